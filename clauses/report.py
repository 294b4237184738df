"""The result of a clause check, as CLAUSES.md defines its JSON."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

STATUS_JA = {"satisfied": "充足", "weak": "不十分", "missing": "記載なし"}


@dataclass(frozen=True)
class Evidence:
    """A sentence a result rests on: article as written, page and character offsets."""

    article: str
    page: int
    start: int
    end: int
    text: str
    # "duty": the sentence that imposes (or fails to impose) the matter; "definition": the
    # definition that made a term in it mean personal information.
    role: str = "duty"

    def to_dict(self) -> dict[str, Any]:
        """The evidence as JSON-ready data."""
        return {
            "article": self.article,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "role": self.role,
        }


@dataclass(frozen=True)
class ClauseResult:
    """The status of one clause with its evidence and advisory notes."""

    id: str
    title: str
    status: str
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "id": self.id,
            "status": self.status,
            "evidence": [e.to_dict() for e in self.evidence],
            "notes": list(self.notes),
        }


@dataclass
class Report:
    """All eight results for one file."""

    file: str
    profile: str
    pages: int
    ocr: bool
    clauses: list[ClauseResult]
    seconds: float
    municipality: str = ""
    article: str = ""

    def status(self, clause_id: str) -> str:
        """The status of clause ``clause_id``."""
        return next(c.status for c in self.clauses if c.id == clause_id)

    def to_dict(self) -> dict[str, Any]:
        """The report as the JSON object of CLAUSES.md."""
        return {
            "file": self.file,
            "profile": self.profile,
            "pages": self.pages,
            "ocr": self.ocr,
            "clauses": [c.to_dict() for c in self.clauses],
            "seconds": self.seconds,
        }

    def to_text(self) -> str:
        """A readable Japanese table of the results."""
        head = f"■ {self.file or '(テキスト)'}　{self.municipality}"
        if self.article:
            head += f"（規程{self.article}第1項）"
        lines = [
            head,
            f"  ページ数: {self.pages}　OCR: {'あり' if self.ocr else 'なし'}　"
            f"処理時間: {self.seconds:.2f}秒",
        ]
        width = max(_width(c.title) for c in self.clauses) if self.clauses else 0
        for c in self.clauses:
            pad = " " * (width - _width(c.title))
            where = "、".join(f"{e.article or '前文'}（{e.page}頁）" for e in c.evidence)
            lines.append(f"  {c.title}{pad}  {STATUS_JA[c.status]:<4}  {where}")
            lines.extend(f"      ※ {n}" for n in c.notes)
        return "\n".join(lines)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
