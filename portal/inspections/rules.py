"""The inspection rule as plain functions (no Flask, no database): how often an outsourcing
is inspected and when its next inspection is due."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from portal.deadlines import add_months as add_months
from portal.obligations.rules import ReminderRule

#: The checklist: the management and implementation structure (第1項) and the eight matters.
CHECKLIST_ITEMS = (
    "management_structure",
    "implementation_structure",
    "confidentiality",
    "subcontracting",
    "copying",
    "security",
    "incident",
    "return_deletion",
    "breach_remedies",
    "reporting_audit",
)
CHECK_RESULTS = ("ok", "ng", "na")
REMINDER_DAYS = (30, 7, 1)
#: Reminders before the due date, and once it has passed.
REMINDERS = ReminderRule(days_before=REMINDER_DAYS)
WARNING_DAYS = 30


@dataclass(frozen=True)
class IntervalRule:
    """The profile's ``[inspection]`` table: months between inspections."""

    interval_months: int = 12
    high_sensitivity_interval_months: int = 12
    high_sensitivity_persons: int = 1000

    @classmethod
    def from_profile(cls, table: Mapping[str, Any]) -> IntervalRule:
        """The rule of a profile's ``inspection`` table."""
        return cls(
            interval_months=int(table.get("interval_months", 12)),
            high_sensitivity_interval_months=int(
                table.get("high_sensitivity_interval_months", table.get("interval_months", 12))
            ),
            high_sensitivity_persons=int(table.get("high_sensitivity_persons", 1000)),
        )

    def months_for(self, *, special_care: bool, persons: int) -> int:
        """The interval for an outsourcing: shorter for 要配慮個人情報 or many persons."""
        if special_care or persons >= self.high_sensitivity_persons:
            return min(self.interval_months, self.high_sensitivity_interval_months)
        return self.interval_months


def first_due_date(*, start: date, end: date, months: int) -> date:
    """Within ``months`` of the start date, and never after the end date."""
    return min(add_months(start, months) - timedelta(days=1), end)


def next_due_date(*, last_inspected: date, end: date, months: int) -> date | None:
    """The inspection after one done on ``last_inspected``; None when the contract ends
    before another is needed."""
    due = add_months(last_inspected, months) - timedelta(days=1)
    return None if due > end else due


def due_date_for(
    *, start: date, end: date, months: int, last_inspected: date | None
) -> date | None:
    """When the next inspection of an outsourcing is due (None: none is needed)."""
    if last_inspected is None:
        return first_due_date(start=start, end=end, months=months)
    return next_due_date(last_inspected=last_inspected, end=end, months=months)


def reminder_kind(*, due: date, today: date) -> str | None:
    """The reminder that is due today: "30", "7", "1" (days before) or "overdue"."""
    return REMINDERS.kind_for(due=due, today=today)


def health(
    *,
    today: date,
    months: int,
    last_completed: date | None,
    open_due: date | None,
    open_actions: int,
) -> str:
    """The state a tree badge shows: overdue, due_soon, open_actions, ok, or none."""
    if open_due is not None and open_due < today:
        return "overdue"
    if open_due is not None and (open_due - today).days <= WARNING_DAYS:
        return "due_soon"
    if open_actions:
        return "open_actions"
    if last_completed is not None and add_months(last_completed, months) > today:
        return "ok"
    return "none"


def current_since(*, today: date, months: int) -> date:
    """The earliest completion date still within its interval on ``today`` (the first day
    with ``add_months(day, months) > today``): what ``health`` calls "ok", as one date a
    query compares with."""
    day = add_months(today, -months)  # add_months never moves a day past this one's mark
    while add_months(day, months) <= today:
        day += timedelta(days=1)
    return day
