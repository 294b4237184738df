"""The inspection rule, without Flask or a database."""

from __future__ import annotations

from datetime import date

from portal.inspections.rules import (
    IntervalRule,
    add_months,
    current_since,
    due_date_for,
    first_due_date,
    health,
    next_due_date,
    reminder_kind,
)

RULE = IntervalRule(
    interval_months=12, high_sensitivity_interval_months=6, high_sensitivity_persons=1000
)


def test_interval_is_shorter_for_special_care_or_many_persons():
    assert RULE.months_for(special_care=False, persons=999) == 12
    assert RULE.months_for(special_care=True, persons=10) == 6
    assert RULE.months_for(special_care=False, persons=1000) == 6


def test_interval_comes_from_the_profile_table():
    rule = IntervalRule.from_profile({"interval_months": 12, "high_sensitivity_interval_months": 4})
    assert rule.months_for(special_care=True, persons=0) == 4


def test_add_months_keeps_month_ends():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_first_inspection_due_within_the_interval_never_after_the_end():
    assert first_due_date(start=date(2026, 4, 1), end=date(2028, 3, 31), months=12) == date(
        2027, 3, 31
    )
    assert first_due_date(start=date(2026, 4, 1), end=date(2026, 9, 30), months=12) == date(
        2026, 9, 30
    )


def test_next_inspection_follows_the_last_and_stops_at_the_end():
    assert next_due_date(last_inspected=date(2026, 6, 10), end=date(2028, 3, 31), months=12) == (
        date(2027, 6, 9)
    )
    # The contract ends before another inspection is needed.
    assert next_due_date(last_inspected=date(2027, 6, 1), end=date(2028, 3, 31), months=12) is None
    assert due_date_for(
        start=date(2026, 4, 1), end=date(2027, 3, 31), months=6, last_inspected=None
    ) == (date(2026, 9, 30))


def test_reminders_30_7_1_and_overdue():
    due = date(2026, 12, 31)
    assert reminder_kind(due=due, today=date(2026, 11, 30)) is None
    assert reminder_kind(due=due, today=date(2026, 12, 1)) == "30"
    assert reminder_kind(due=due, today=date(2026, 12, 24)) == "7"
    assert reminder_kind(due=due, today=date(2026, 12, 30)) == "1"
    assert reminder_kind(due=due, today=date(2027, 1, 1)) == "overdue"


def test_health_of_a_node():
    today = date(2026, 11, 24)
    common = {"today": today, "months": 12}
    assert (
        health(**common, last_completed=None, open_due=date(2026, 11, 1), open_actions=0)
        == "overdue"
    )
    assert (
        health(**common, last_completed=None, open_due=date(2026, 12, 20), open_actions=0)
        == "due_soon"
    )
    recent = date(2026, 10, 1)
    assert (
        health(**common, last_completed=recent, open_due=date(2027, 9, 30), open_actions=1)
        == "open_actions"
    )
    assert (
        health(**common, last_completed=recent, open_due=date(2027, 9, 30), open_actions=0) == "ok"
    )
    assert (
        health(**common, last_completed=None, open_due=date(2027, 9, 30), open_actions=0) == "none"
    )


def test_current_since_is_the_first_day_health_calls_ok():
    """The tree's query compares a completion date with one date instead of calling
    ``add_months`` per node: that date must be exactly where ``health`` turns to "ok"."""
    start = date(2023, 12, 1)
    for offset in range(800):  # every day: month ends, a leap day and ordinary days
        today = date.fromordinal(start.toordinal() + offset)
        for months in (1, 6, 12):
            since = current_since(today=today, months=months)
            assert add_months(since, months) > today
            before = date.fromordinal(since.toordinal() - 1)
            assert add_months(before, months) <= today
            for done in (before, since):
                expected = "ok" if done == since else "none"
                state = health(
                    today=today,
                    months=months,
                    last_completed=done,
                    open_due=None,
                    open_actions=0,
                )
                assert state == expected
