"""The reporting rule as pure functions: periods, due dates, answers, the unapproved ones."""

from __future__ import annotations

from datetime import date

import pytest

from clauses.profile import ProfileError, load_profile
from portal.reports.rules import (
    ReportingRule,
    checklist_items,
    concerns,
    missing_answers,
    periods,
    periods_until,
    reminder_kind,
    unapproved,
)


def test_quarterly_periods_run_from_the_contract_start_and_stop_at_its_end():
    result = periods(start=date(2026, 4, 1), end=date(2027, 3, 31), months=3, due_days=14)
    assert [(p.start, p.end, p.due) for p in result] == [
        (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 14)),
        (date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 14)),
        (date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 14)),
        (date(2027, 1, 1), date(2027, 3, 31), date(2027, 4, 14)),
    ]


def test_a_contract_starting_mid_month_and_ending_early_cuts_the_last_period():
    result = periods(start=date(2026, 1, 31), end=date(2026, 4, 10), months=1, due_days=7)
    assert [(p.start, p.end) for p in result] == [
        (date(2026, 1, 31), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2026, 3, 30)),
        (date(2026, 3, 31), date(2026, 4, 10)),
    ]
    assert result[-1].due == date(2026, 4, 17)


def test_yearly_and_half_yearly_periods():
    yearly = periods(start=date(2026, 4, 1), end=date(2028, 3, 31), months=12, due_days=30)
    assert [(p.start, p.end) for p in yearly] == [
        (date(2026, 4, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2028, 3, 31)),
    ]
    half = periods(start=date(2026, 4, 1), end=date(2026, 12, 31), months=6, due_days=0)
    assert [(p.end, p.due) for p in half] == [
        (date(2026, 9, 30), date(2026, 9, 30)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ]


def test_only_periods_that_have_begun_are_owed():
    owed = periods_until(
        start=date(2026, 4, 1), end=date(2027, 3, 31), months=3, due_days=14, today=date(2026, 7, 1)
    )
    assert [p.start for p in owed] == [date(2026, 4, 1), date(2026, 7, 1)]
    assert (
        periods_until(
            start=date(2026, 4, 1),
            end=date(2027, 3, 31),
            months=3,
            due_days=14,
            today=date(2026, 3, 31),
        )
        == []
    )


def test_rule_from_profile_and_frequency_months():
    rule = ReportingRule.from_profile(load_profile("miki").reporting)
    assert rule == ReportingRule(default_frequency="quarterly", due_days_after_period=14)
    assert rule.months(None) == 3
    assert rule.months("monthly") == 1
    assert rule.months("half_yearly") == 6
    assert rule.months("yearly") == 12
    assert ReportingRule(default_frequency="yearly").months("nonsense") == 12


def test_profile_rejects_an_unknown_frequency_and_bad_due_days(tmp_path):
    source = (load_profile("miki").source).read_text(encoding="utf-8")
    (tmp_path / "weekly.toml").write_text(
        source.replace('id = "miki"', 'id = "weekly"').replace(
            'default_frequency = "quarterly"', 'default_frequency = "weekly"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="default_frequency"):
        load_profile("weekly", [tmp_path])
    (tmp_path / "late.toml").write_text(
        source.replace('id = "miki"', 'id = "late"').replace(
            "due_days_after_period = 14", "due_days_after_period = -1"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="due_days_after_period"):
        load_profile("late", [tmp_path])


def test_reminder_kinds_count_down_to_the_due_date():
    due = date(2027, 1, 14)
    assert reminder_kind(due=due, today=date(2026, 12, 1)) is None
    assert reminder_kind(due=due, today=date(2026, 12, 15)) == "30"
    assert reminder_kind(due=due, today=date(2027, 1, 7)) == "7"
    assert reminder_kind(due=due, today=date(2027, 1, 13)) == "1"
    assert reminder_kind(due=due, today=date(2027, 1, 14)) == "1"
    assert reminder_kind(due=due, today=date(2027, 1, 15)) == "overdue"


def test_the_checklist_is_the_eight_matters_of_the_catalog():
    ids = [key for key, _title in checklist_items()]
    assert ids == [
        "confidentiality",
        "subcontracting",
        "copying",
        "security",
        "incident",
        "return_deletion",
        "breach_remedies",
        "reporting_audit",
    ]
    assert all(title for _key, title in checklist_items())


def test_no_answers_are_concerns_and_blanks_are_missing():
    checklist = {key: {"answer": "yes"} for key, _title in checklist_items()}
    checklist["copying"] = {"answer": "no", "comment": "USBに複製した"}
    checklist["security"] = {"answer": ""}
    assert concerns(checklist) == ["copying"]
    assert missing_answers(checklist) == ["security"]
    assert missing_answers({}) == [key for key, _title in checklist_items()]


def test_unapproved_keeps_order_and_reports_each_once():
    assert unapproved(["1", "2", "1", "3"], approved=["2"]) == ["1", "3"]
    assert unapproved([], approved=["2"]) == []
    assert unapproved(["2"], approved=["2"]) == []
