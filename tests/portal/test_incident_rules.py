"""The incident rules without Flask or a database: when the 個人情報保護委員会 must be told,
the deadlines, reminders, who escalates, and what counts as similar work."""

from __future__ import annotations

from datetime import date

import pytest

from clauses.profile import load_profile
from portal.incidents.rules import (
    CommissionRule,
    Deadlines,
    IncidentFacts,
    categories,
    deadline_state,
    escalating_role,
    reminder_kinds,
    similar_work,
    step_roles,
)

AWARE = date(2026, 11, 24)
RULE = CommissionRule.from_profile(load_profile("miki").incident["commission"])


def test_one_hundred_persons_is_not_enough_one_hundred_and_one_is():
    assert RULE.reasons(IncidentFacts(persons=100)) == ()
    assert RULE.reasons(IncidentFacts(persons=101)) == ("persons",)
    assert RULE.reasons(IncidentFacts(persons=0)) == ()


@pytest.mark.parametrize(
    "trigger", ["special_care", "financial_harm", "wrongful_purpose", "ordinance_designated"]
)
def test_each_fact_alone_requires_a_report_even_for_one_person(trigger):
    assert RULE.reasons(IncidentFacts(persons=1, **{trigger: True})) == (trigger,)


def test_reasons_are_listed_in_a_stable_order():
    facts = IncidentFacts(persons=150, special_care=True, wrongful_purpose=True)
    assert RULE.reasons(facts) == ("special_care", "wrongful_purpose", "persons")


def test_final_report_within_30_days_of_becoming_aware():
    deadlines = RULE.deadlines(aware_on=AWARE, wrongful_purpose=False)
    assert deadlines.final == date(2026, 12, 24)
    assert deadlines.final_days == 30
    assert deadlines.first == date(2026, 11, 29)  # the 速報 target: 5 days (3〜5日)


def test_final_report_within_60_days_for_a_wrongful_purpose():
    deadlines = RULE.deadlines(aware_on=AWARE, wrongful_purpose=True)
    assert deadlines.final == date(2027, 1, 23)
    assert deadlines.final_days == 60


def test_calendar_days_cross_month_and_leap_day():
    assert RULE.deadlines(aware_on=date(2028, 2, 1), wrongful_purpose=False).final == date(
        2028, 3, 2
    )


def test_a_rule_without_a_trigger_ignores_that_fact():
    rule = CommissionRule(triggers=("special_care", "persons"), persons_threshold=1000)
    assert rule.reasons(IncidentFacts(persons=500, financial_harm=True)) == ()
    assert rule.reasons(IncidentFacts(persons=1001)) == ("persons",)


def test_deadline_states():
    due = date(2026, 12, 24)
    assert deadline_state(due=due, filed_on=due, today=date(2027, 1, 1)) == "met"
    assert deadline_state(due=due, filed_on=date(2026, 12, 25), today=date(2027, 1, 1)) == "late"
    assert deadline_state(due=due, filed_on=None, today=due) == "pending"
    assert deadline_state(due=due, filed_on=None, today=date(2026, 12, 25)) == "overdue"


def test_reminders_for_the_first_report_and_the_final_deadline():
    deadlines = Deadlines(first=date(2026, 11, 29), final=date(2026, 12, 24), final_days=30)

    def kinds(today, first=False, final=False):
        return reminder_kinds(
            deadlines=deadlines, first_filed=first, final_filed=final, today=today
        )

    assert kinds(date(2026, 11, 28)) == []
    assert kinds(date(2026, 11, 29)) == ["first"]
    assert kinds(date(2026, 12, 17)) == ["first", "final_7"]
    assert kinds(date(2026, 12, 17), first=True) == ["final_7"]
    assert kinds(date(2026, 12, 25), first=True) == ["final_overdue"]
    assert kinds(date(2026, 12, 25), first=True, final=True) == []


def test_miki_chain_manager_then_chief_records_the_top_steps():
    profile = load_profile("miki")
    chain = profile.incident["escalation"]
    assert step_roles(chain, profile.roles) == ["manager", "chief", None, None]
    assert [escalating_role(chain, profile.roles, level) for level in range(4)] == [
        "manager",
        "chief",
        "chief",
        None,
    ]


def test_kuki_chain_is_one_step_shorter():
    profile = load_profile("kuki")
    chain = profile.incident["escalation"]
    assert chain == ("保護管理者", "総括保護管理者", "市長")
    assert [escalating_role(chain, profile.roles, level) for level in range(3)] == [
        "manager",
        "chief",
        None,
    ]


def test_similar_work_by_vendor_task_or_two_shared_categories():
    mine = {
        "vendor_id": 1,
        "task_name": "介護保険通知作成",
        "pi_categories": "氏名、住所、生年月日",
    }
    assert similar_work(**mine, candidate=(1, "別の業務", "")) == "vendor"
    assert similar_work(**mine, candidate=(2, "介護保険通知作成", "")) == "task"
    assert similar_work(**mine, candidate=(3, "税務", "氏名・住所・税額")) == "categories"
    assert similar_work(**mine, candidate=(3, "税務", "氏名、税額")) is None
    assert categories("氏名、住所等、 電話番号") == {"氏名", "住所等", "電話番号"}
