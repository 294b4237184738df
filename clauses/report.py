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
    # The confidence (0–100) of the OCR that read the page, None for a text page.
    ocr_confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The evidence as JSON-ready data (``ocr_confidence`` only for OCR pages)."""
        data: dict[str, Any] = {
            "article": self.article,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "role": self.role,
        }
        if self.ocr_confidence is not None:
            data["ocr_confidence"] = self.ocr_confidence
        return data


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
    # OCR pages: page number → confidence (0–100), and those too uncertain to go unchecked.
    ocr_pages: dict[int, float] = field(default_factory=dict)
    low_confidence_pages: list[int] = field(default_factory=list)

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
        } | (
            # Only when OCR read a page: a text PDF's JSON is as it always was.
            {
                "ocr_pages": [
                    {"page": n, "confidence": c, "low": n in self.low_confidence_pages}
                    for n, c in sorted(self.ocr_pages.items())
                ]
            }
            if self.ocr_pages
            else {}
        )

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
        if self.low_confidence_pages:
            pages = "、".join(f"{n}頁" for n in self.low_confidence_pages)
            lines.append(f"  ※ 読み取りの信頼度が低いページ: {pages}（原本で確認してください）")
        return "\n".join(lines)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
