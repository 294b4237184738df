"""The management-structure rule as plain data and functions (no Flask, no database): who
handles the information, whether each is trained and pledged, when a version is owed, and
which confirmed version was in force on a given day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from portal.obligations.rules import ReminderRule

#: Days the vendor has to submit a structure once it is owed (the contract started, or the
#: vendor began a change).
DUE_DAYS = 14
#: Reminders 7 and 1 days before the due date, and once it has passed.
REMINDERS = ReminderRule(days_before=(7, 1))
#: The most staff rows, places and systems one version holds.
MAX_STAFF = 200
MAX_ITEMS = 50

__all__ = [
    "DUE_DAYS",
    "MAX_ITEMS",
    "MAX_STAFF",
    "REMINDERS",
    "StaffMember",
    "StaffSummary",
    "current_at",
    "due_date_for",
    "summarise",
]


@dataclass(frozen=True)
class StaffMember:
    """A person who handles the information (``count`` 1), or a group of ``count`` persons
    named by their role; their training (研修) and pledge (誓約書) dates, and whether they are
    dispatched workers (派遣労働者), who count among the staff to be trained."""

    name: str
    count: int = 1
    training_date: date | None = None
    pledge_date: date | None = None
    dispatched: bool = False

    def to_json(self) -> dict[str, Any]:
        """The stored form (dates as ISO text, "" when unknown)."""
        return {
            "name": self.name,
            "count": self.count,
            "training_date": self.training_date.isoformat() if self.training_date else "",
            "pledge_date": self.pledge_date.isoformat() if self.pledge_date else "",
            "dispatched": self.dispatched,
        }

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> StaffMember:
        """A stored entry as a ``StaffMember`` (unreadable dates as None)."""
        return cls(
            name=str(item.get("name", "")),
            count=int(item.get("count") or 1),
            training_date=_date(item.get("training_date")),
            pledge_date=_date(item.get("pledge_date")),
            dispatched=bool(item.get("dispatched", False)),
        )


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class StaffSummary:
    """Head counts of a version's staff: all, dispatched, not yet trained, not yet pledged."""

    total: int
    dispatched: int
    untrained: int
    unpledged: int


def summarise(staff: Iterable[StaffMember]) -> StaffSummary:
    """The head counts of ``staff`` (a group counts as its ``count`` persons)."""
    members = list(staff)
    return StaffSummary(
        total=sum(m.count for m in members),
        dispatched=sum(m.count for m in members if m.dispatched),
        untrained=sum(m.count for m in members if m.training_date is None),
        unpledged=sum(m.count for m in members if m.pledge_date is None),
    )


def due_date_for(*, start: date, today: date, days: int = DUE_DAYS) -> date:
    """When a structure owed from ``start`` (a contract's first day) is due: ``days`` after
    the later of the start and today (a contract registered late is not overdue at once)."""
    return max(start, today) + timedelta(days=days)


V = TypeVar("V")


def current_at(confirmed: Sequence[tuple[V, date]], when: date) -> V | None:
    """Of (version, the day it was confirmed) pairs, oldest version first, the version in
    force on ``when``: the one confirmed last on or before that day (of two confirmed the same
    day, the later version); None when none was confirmed yet."""
    in_force = [pair for pair in confirmed if pair[1] <= when]
    if not in_force:
        return None
    # sorted() is stable: among equal days the later version stays last.
    return sorted(in_force, key=lambda pair: pair[1])[-1][0]
