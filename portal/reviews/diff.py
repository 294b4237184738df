"""What changed between two versions of a contract, clause by clause: the evidence sentences
of both versions with the changed characters marked (difflib), for the comparison page.

Plain Python (no Flask, no database): it reads the clause-check reports as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any


@dataclass(frozen=True)
class Segment:
    """A run of characters of one side, ``changed`` when the other side differs there."""

    text: str
    changed: bool = False


@dataclass(frozen=True)
class EvidenceChange:
    """One clause whose status or evidence changed: both statuses and both texts, marked."""

    clause_id: str
    before_status: str | None
    after_status: str | None
    before: tuple[Segment, ...]
    after: tuple[Segment, ...]


def evidence_text(report: Mapping[str, Any] | None, clause_id: str) -> str:
    """The evidence sentences of ``clause_id`` in a stored report, one per line."""
    for clause in (report or {}).get("clauses", []):
        if clause.get("id") == clause_id:
            return "\n".join(str(e.get("text", "")) for e in clause.get("evidence", []))
    return ""


def mark(before: str, after: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both texts cut into runs, the runs that differ from the other text marked changed."""
    old: list[Segment] = []
    new: list[Segment] = []
    # autojunk off: in Japanese text frequent characters (の, を) are not noise.
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if before[i1:i2]:
            old.append(Segment(before[i1:i2], tag != "equal"))
        if after[j1:j2]:
            new.append(Segment(after[j1:j2], tag != "equal"))
    return tuple(old), tuple(new)


def evidence_changes(
    before_report: Mapping[str, Any] | None,
    after_report: Mapping[str, Any] | None,
    before_statuses: Mapping[str, str] | None,
    after_statuses: Mapping[str, str] | None,
) -> list[EvidenceChange]:
    """The clauses (in the newer version's order) whose status or evidence changed."""
    before_statuses = before_statuses or {}
    after_statuses = after_statuses or {}
    order = [c.get("id") for c in (after_report or {}).get("clauses", [])]
    order += [c for c in [*after_statuses, *before_statuses] if c not in order]
    changes = []
    for clause_id in order:
        old_text = evidence_text(before_report, clause_id)
        new_text = evidence_text(after_report, clause_id)
        old_status = before_statuses.get(clause_id)
        new_status = after_statuses.get(clause_id)
        if old_text == new_text and old_status == new_status:
            continue
        old, new = mark(old_text, new_text)
        changes.append(EvidenceChange(clause_id, old_status, new_status, old, new))
    return changes


__all__ = ["EvidenceChange", "Segment", "evidence_changes", "evidence_text", "mark"]
