"""Due dates, shared by every feature that has them (no Flask, no database): months added
to a date, and the reminders sent 30, 7 and 1 days before a due date."""

from __future__ import annotations

import calendar
from datetime import date

REMINDER_DAYS = (30, 7, 1)

__all__ = ["REMINDER_DAYS", "add_months", "reminder_kind"]


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reminder_kind(*, due: date, today: date) -> str | None:
    """The reminder that is due today: "30", "7", "1" (days before) or "overdue"."""
    days = (due - today).days
    if days < 0:
        return "overdue"
    for threshold in sorted(REMINDER_DAYS):
        if days <= threshold:
            return str(threshold)
    return None
