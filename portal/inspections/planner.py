"""The inspection planner: proposes a date for every open inspection over the next year.

Plain functions, no Flask and no database: the operations feed it rows and store what it
proposes. A date is always a working day of the municipality (no weekend, no national
holiday, no year-end closing 12/29–1/3), inside the contract period, on or before the due date
when that is still possible (as early as possible when it is already overdue), and the load is
spread over the months and days of each inspector — or of the department when nobody is
assigned yet.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import jpholiday

HORIZON_DAYS = 366
OVERDUE_WINDOW_DAYS = 30  # an overdue inspection is proposed within the next 30 days


@dataclass(frozen=True)
class PlanItem:
    """One open inspection as the planner sees it."""

    id: int
    due_date: date
    start_date: date  # the contract period
    end_date: date
    department_id: int
    inspector_id: int | None = None


@dataclass(frozen=True)
class Booked:
    """An inspection already planned: it counts towards the load but is not moved."""

    day: date
    department_id: int
    inspector_id: int | None = None


def _is_closed(day: date) -> bool:
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return True
    return (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)


@cache
def working_days_of_month(year: int, month: int) -> tuple[date, ...]:
    """The days of a month on which the municipality works."""
    last = calendar.monthrange(year, month)[1]
    return tuple(d for n in range(1, last + 1) if not _is_closed(d := date(year, month, n)))


def is_working_day(day: date) -> bool:
    """Whether inspections can be held on ``day``."""
    return not _is_closed(day)


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _owner(department_id: int, inspector_id: int | None) -> tuple[str, int]:
    return ("inspector", inspector_id) if inspector_id else ("department", department_id)


def plan(
    items: Sequence[PlanItem], *, today: date, booked: Iterable[Booked] = ()
) -> dict[int, date]:
    """A proposed date per inspection id (inspections that cannot be placed are left out)."""
    month_load: Counter[tuple[tuple[str, int], int, int]] = Counter()
    day_load: Counter[tuple[tuple[str, int], date]] = Counter()
    for b in booked:
        owner = _owner(b.department_id, b.inspector_id)
        month_load[(owner, b.day.year, b.day.month)] += 1
        day_load[(owner, b.day)] += 1

    horizon = today + timedelta(days=HORIZON_DAYS)
    proposals: dict[int, date] = {}
    # The most urgent first, so that they get the free days nearest to their due date.
    for item in sorted(items, key=lambda i: (i.due_date, i.id)):
        first = max(today + timedelta(days=1), item.start_date)
        if item.due_date >= first:
            last = min(item.due_date, item.end_date, horizon)
        else:  # overdue: as soon as possible
            last = min(first + timedelta(days=OVERDUE_WINDOW_DAYS), item.end_date, horizon)
        if last < first:
            continue
        owner = _owner(item.department_id, item.inspector_id)
        best: tuple[float, date] | None = None
        # The month whose working days (inside the window) are least booked — the later one
        # on a tie, keeping the yearly rhythm — then the least booked day in it (the earlier
        # one on a tie).
        for year, month in _months(first, last):
            days = [d for d in working_days_of_month(year, month) if first <= d <= last]
            if not days:
                continue
            utilisation = (month_load[(owner, year, month)] + 1) / len(days)
            day = min(days, key=lambda d: (day_load[(owner, d)], d))
            if best is None or utilisation <= best[0]:
                best = (utilisation, day)
        if best is None:
            continue
        chosen = best[1]
        proposals[item.id] = chosen
        month_load[(owner, chosen.year, chosen.month)] += 1
        day_load[(owner, chosen)] += 1
    return proposals
