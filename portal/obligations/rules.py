"""The obligation rules as plain data and functions (no Flask, no database): when a reminder
is due, and the submit → review → accept/return cycle.

A feature that owes something by a date declares a ``ReminderRule`` (days before the date,
and whether to chase it once it has passed) and, when the owed thing is reviewed, a
``ReviewCycle`` of its statuses; everything else comes from ``portal.obligations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

#: The reminder stamped when the date has passed.
OVERDUE = "overdue"


class ObligationError(ValueError):
    """A change an obligation's rules refuse; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReminderRule:
    """Reminders ``days_before`` a date (e.g. 30/7/1 before a due date, or 60/30 before an
    expiry), and one more once it has passed when ``overdue`` is set."""

    days_before: tuple[int, ...] = (30, 7, 1)
    overdue: bool = True

    def kind_for(self, *, due: date, today: date) -> str | None:
        """The reminder that is due today: the nearest threshold reached ("30", "7", "1"),
        "overdue", or None; each kind is sent once, so a late run sends only the latest."""
        days = (due - today).days
        if days < 0:
            return OVERDUE if self.overdue else None
        for threshold in sorted(self.days_before):
            if days <= threshold:
                return str(threshold)
        return None


class Refusals(NamedTuple):
    """What a refused review step says (lazy texts: ``str()`` translates them)."""

    not_owed: object  # the party no longer owes the thing (it was submitted or accepted)
    not_submitted: object  # only a submitted thing can be reviewed
    reason_required: object  # a return needs the reason


@dataclass(frozen=True)
class ReviewCycle:
    """submit → review → accepted, or returned (owed again until it is submitted anew).

    ``owed`` are the statuses in which the party still owes the thing (it may change or
    submit it); each step takes the ``Refusals`` that say, in the feature's words, why it
    is refused.
    """

    owed: tuple[str, ...]
    submitted: str
    accepted: str
    returned: str

    def check_owed(self, status: str, refusals: Refusals) -> None:
        """Refuse a change by the party once it no longer owes the thing."""
        if status not in self.owed:
            raise ObligationError(str(refusals.not_owed))

    def submit(self, status: str, refusals: Refusals) -> str:
        """The status after the party submits (refused unless it still owes the thing)."""
        self.check_owed(status, refusals)
        return self.submitted

    def review(self, status: str, refusals: Refusals, *, accept: bool, comment: str) -> str:
        """The status after the reviewer accepts or returns (a return needs a reason)."""
        if status != self.submitted:
            raise ObligationError(str(refusals.not_submitted))
        if not accept and not comment.strip():
            raise ObligationError(str(refusals.reason_required))
        return self.accepted if accept else self.returned
