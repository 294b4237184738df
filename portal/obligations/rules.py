"""The obligation rules as plain data and functions (no Flask, no database): when a reminder
is due, and the submit → review → accept/return cycle.

A feature that owes something by a date declares a ``ReminderRule`` (days before the date,
and whether to chase it once it has passed) and, when the owed thing is reviewed, a
``ReviewCycle`` of its statuses; everything else comes from ``portal.obligations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


#: A message translated when it is shown: a lazy string (``str()`` translates it).
Message = object


@dataclass(frozen=True)
class ReviewCycle:
    """submit → review → accepted, or returned (owed again until it is submitted anew).

    ``owed`` are the statuses in which the party still owes the thing (it may submit);
    the messages are what the refusals say.
    """

    owed: tuple[str, ...]
    submitted: str
    accepted: str
    returned: str
    not_owed: Message
    not_submitted: Message
    reason_required: Message

    def check_owed(self, status: str) -> None:
        """Refuse a change by the party once it no longer owes the thing."""
        if status not in self.owed:
            raise ObligationError(str(self.not_owed))

    def submit(self, status: str) -> str:
        """The status after the party submits (refused unless it still owes the thing)."""
        self.check_owed(status)
        return self.submitted

    def review(self, status: str, *, accept: bool, comment: str) -> str:
        """The status after the reviewer accepts or returns (a return needs a reason)."""
        if status != self.submitted:
            raise ObligationError(str(self.not_submitted))
        if not accept and not comment.strip():
            raise ObligationError(str(self.reason_required))
        return self.accepted if accept else self.returned
