"""The management-structure rules without Flask: staff head counts, due dates, and which
confirmed version is in force on a day."""

from __future__ import annotations

from datetime import date, timedelta

from portal.structures.rules import (
    DUE_DAYS,
    REMINDERS,
    StaffMember,
    current_at,
    due_date_for,
    summarise,
)


def test_summary_counts_groups_and_dispatched_workers_among_those_to_train():
    staff = [
        StaffMember("山田 太郎", 1, date(2026, 4, 1), date(2026, 4, 1)),
        StaffMember("入力オペレーター", 5, None, date(2026, 4, 2), dispatched=True),
        StaffMember("派遣 花子", 1, date(2026, 4, 3), None, dispatched=True),
    ]
    summary = summarise(staff)
    assert (summary.total, summary.dispatched) == (7, 6)
    assert summary.untrained == 5  # the dispatched group is not trained yet (第8条)
    assert summary.unpledged == 1


def test_staff_member_round_trips_through_its_stored_form():
    member = StaffMember("佐藤", 3, date(2026, 5, 1), date(2026, 5, 2), dispatched=True)
    assert StaffMember.from_json(member.to_json()) == member
    assert StaffMember.from_json({"name": "x", "training_date": "bad"}).training_date is None


def test_due_date_counts_from_the_start_or_today_whichever_is_later():
    assert due_date_for(start=date(2026, 4, 1), today=date(2026, 3, 1)) == date(2026, 4, 15)
    late = due_date_for(start=date(2026, 4, 1), today=date(2026, 11, 24))
    assert late == date(2026, 11, 24) + timedelta(days=DUE_DAYS) == date(2026, 12, 8)


def test_reminders_go_seven_and_one_day_before_and_once_overdue():
    due = date(2026, 12, 8)
    assert REMINDERS.kind_for(due=due, today=date(2026, 11, 30)) is None
    assert REMINDERS.kind_for(due=due, today=date(2026, 12, 1)) == "7"
    assert REMINDERS.kind_for(due=due, today=date(2026, 12, 7)) == "1"
    assert REMINDERS.kind_for(due=due, today=date(2026, 12, 9)) == "overdue"


def test_the_version_in_force_is_the_last_confirmed_on_or_before_the_day():
    confirmed = [("v1", date(2026, 4, 10)), ("v2", date(2026, 6, 1)), ("v3", date(2026, 9, 1))]
    assert current_at(confirmed, date(2026, 4, 9)) is None
    assert current_at(confirmed, date(2026, 4, 10)) == "v1"
    assert current_at(confirmed, date(2026, 8, 31)) == "v2"
    assert current_at(confirmed, date(2026, 12, 1)) == "v3"
    assert current_at([], date(2026, 12, 1)) is None
    same_day = [("v1", date(2026, 4, 10)), ("v2", date(2026, 4, 10))]
    assert current_at(same_day, date(2026, 4, 10)) == "v2"  # the later version
