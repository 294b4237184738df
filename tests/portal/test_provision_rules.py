"""The provision rules, without the database: pseudonymisation reasons, periods, the
requested safety measures, checks and their follow-up dates, and the reminder rule."""

from __future__ import annotations

from datetime import date

import pytest

from portal.provisions.rules import (
    REMINDERS,
    ProvisionError,
    check_inspection,
    check_measures,
    check_period,
    check_pseudonymisation,
    default_follow_up,
)

KNOWN = {"leak_prevention": "漏えい…", "purpose_limit": "目的外…", "secrecy": "秘密保持"}


def test_a_reason_is_required_only_when_nothing_is_removed_or_replaced(app_ctx):
    assert check_pseudonymisation("removed", "  ") == ""
    assert check_pseudonymisation("replaced", "") == ""
    assert check_pseudonymisation("not_applied", " 本人確認に氏名が必要 ") == "本人確認に氏名が必要"
    with pytest.raises(ProvisionError, match="理由を入力"):
        check_pseudonymisation("not_applied", " ")
    with pytest.raises(ProvisionError, match="区分が正しくありません"):
        check_pseudonymisation("maybe", "")


def test_a_period_may_be_open_but_not_reversed(app_ctx):
    check_period(date(2026, 4, 1), None)
    check_period(date(2026, 4, 1), date(2026, 4, 1))
    with pytest.raises(ProvisionError, match="開始日より前"):
        check_period(date(2026, 4, 1), date(2026, 3, 31))


def test_measures_come_back_in_profile_order_and_unknown_ones_are_named(app_ctx):
    assert check_measures(["secrecy", "leak_prevention"], KNOWN) == ["leak_prevention", "secrecy"]
    with pytest.raises(ProvisionError, match="teleport"):
        check_measures(["secrecy", "teleport"], KNOWN)
    with pytest.raises(ProvisionError, match="一つ以上"):
        check_measures([], KNOWN)


def test_checks_and_follow_up_dates(app_ctx):
    today = date(2026, 5, 10)
    check_inspection(checked_on=today, today=today, result="adequate", request="", due=None)
    check_inspection(
        checked_on=today, today=today, result="improvement", request="施錠", due=date(2026, 6, 1)
    )
    with pytest.raises(ProvisionError, match="未来"):
        check_inspection(
            checked_on=date(2026, 5, 11), today=today, result="adequate", request="", due=None
        )
    with pytest.raises(ProvisionError, match="改善要求の内容"):
        check_inspection(checked_on=today, today=today, result="improvement", request=" ", due=None)
    with pytest.raises(ProvisionError, match="調査日より後"):
        check_inspection(
            checked_on=today, today=today, result="improvement", request="施錠", due=today
        )
    with pytest.raises(ProvisionError, match="結果の区分"):
        check_inspection(checked_on=today, today=today, result="fine", request="", due=None)
    assert default_follow_up(today, 30) == date(2026, 6, 9)


def test_improvements_are_chased_30_7_1_days_ahead_and_when_late():
    due = date(2026, 6, 30)
    assert REMINDERS.kind_for(due=due, today=date(2026, 5, 1)) is None
    assert REMINDERS.kind_for(due=due, today=date(2026, 5, 31)) == "30"
    assert REMINDERS.kind_for(due=due, today=date(2026, 6, 29)) == "1"
    assert REMINDERS.kind_for(due=due, today=date(2026, 7, 1)) == "overdue"
