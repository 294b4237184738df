"""The reporting rule as plain functions (no Flask, no database): the periods an outsourcing
reports on, when each report is due, what a report's answers mean."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from clauses.catalog import load_catalog
from clauses.profile import REPORTING_FREQUENCIES
from portal.deadlines import add_months
from portal.obligations.rules import ReminderRule

FREQUENCIES = tuple(REPORTING_FREQUENCIES)
ANSWERS = ("yes", "no")
WARNING_DAYS = 30
#: Reminders before the due date, and once it has passed (the same rule as inspections').
REMINDERS = ReminderRule(days_before=(30, 7, 1))

__all__ = [
    "ANSWERS",
    "FREQUENCIES",
    "REMINDERS",
    "Period",
    "ReportingRule",
    "checklist_items",
    "concerns",
    "missing_answers",
    "periods",
    "periods_until",
    "reminder_kind",
    "unapproved",
]


@dataclass(frozen=True)
class Period:
    """One reporting period and the day its report is due."""

    start: date
    end: date
    due: date


@dataclass(frozen=True)
class ReportingRule:
    """The profile's ``[reporting]`` table."""

    default_frequency: str = "quarterly"
    due_days_after_period: int = 14

    @classmethod
    def from_profile(cls, table: Mapping[str, Any]) -> ReportingRule:
        """The rule of a profile's ``reporting`` table."""
        return cls(
            default_frequency=str(table.get("default_frequency", "quarterly")),
            due_days_after_period=int(table.get("due_days_after_period", 14)),
        )

    def months(self, frequency: str | None) -> int:
        """Months per period for ``frequency`` (None or unknown: the profile's default)."""
        return REPORTING_FREQUENCIES.get(
            frequency or "", REPORTING_FREQUENCIES[self.default_frequency]
        )


def periods(*, start: date, end: date, months: int, due_days: int) -> list[Period]:
    """The periods of a contract, from its start date, the last one cut at its end date."""
    result: list[Period] = []
    index = 0
    while True:
        first = add_months(start, index * months)
        if first > end:
            return result
        last = min(add_months(start, (index + 1) * months) - timedelta(days=1), end)
        result.append(Period(first, last, last + timedelta(days=due_days)))
        index += 1


def periods_until(
    *, start: date, end: date, months: int, due_days: int, today: date
) -> list[Period]:
    """The periods that have begun by ``today`` (their reports exist, written or owed)."""
    return [
        p
        for p in periods(start=start, end=end, months=months, due_days=due_days)
        if p.start <= today
    ]


def reminder_kind(*, due: date, today: date) -> str | None:
    """The reminder that is due today: "30", "7", "1" (days before) or "overdue"."""
    return REMINDERS.kind_for(due=due, today=today)


def checklist_items() -> list[tuple[str, str]]:
    """The eight matters (clause id, title) in catalog order."""
    return [(clause.id, clause.title) for clause in load_catalog().clauses]


def missing_answers(checklist: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The matters not answered yes or no."""
    return [
        key
        for key, _title in checklist_items()
        if checklist.get(key, {}).get("answer") not in ANSWERS
    ]


def concerns(checklist: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The matters the vendor answered "no" (not complied with): the officer's concerns."""
    return [
        key for key, _title in checklist_items() if checklist.get(key, {}).get("answer") == "no"
    ]


def unapproved(named: Iterable[str], approved: Iterable[str]) -> list[str]:
    """The named 法人番号 that are not among the approved ones, in order, once each."""
    allowed, seen, result = set(approved), set(), []
    for number in named:
        if number not in allowed and number not in seen:
            result.append(number)
        seen.add(number)
    return result
