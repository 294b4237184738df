"""The obligation rules without Flask or a database: when reminders fall due, and the
submit → review → accept/return cycle."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.obligations.rules import ObligationError, Refusals, ReminderRule, ReviewCycle

DUE = date(2027, 3, 31)


def kinds(rule: ReminderRule, days: range) -> dict[int, str | None]:
    return {d: rule.kind_for(due=DUE, today=DUE - timedelta(days=d)) for d in days}


def test_thirty_seven_one_and_overdue_count_down_to_the_date():
    rule = ReminderRule(days_before=(30, 7, 1))
    assert kinds(rule, range(31, 29, -1)) == {31: None, 30: "30"}
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=8)) == "30"
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=7)) == "7"
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=2)) == "7"
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=1)) == "1"
    assert rule.kind_for(due=DUE, today=DUE) == "1"  # due today: the last reminder
    assert rule.kind_for(due=DUE, today=DUE + timedelta(days=1)) == "overdue"


def test_an_expiry_rule_reminds_60_and_30_days_before_and_not_after():
    # e.g. a vendor certification that expires: 60/30 days before, nothing once it has lapsed
    rule = ReminderRule(days_before=(60, 30), overdue=False)
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=61)) is None
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=60)) == "60"
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=31)) == "60"
    assert rule.kind_for(due=DUE, today=DUE - timedelta(days=30)) == "30"
    assert rule.kind_for(due=DUE, today=DUE) == "30"
    assert rule.kind_for(due=DUE, today=DUE + timedelta(days=1)) is None


REFUSALS = Refusals("no longer owed", "not submitted", "reason required")
CYCLE = ReviewCycle(("due", "draft", "returned"), "submitted", "accepted", "returned")


def test_the_party_submits_while_it_owes_the_thing():
    assert CYCLE.submit("draft", REFUSALS) == "submitted"
    assert CYCLE.submit("returned", REFUSALS) == "submitted"
    for status in ("submitted", "accepted"):
        with pytest.raises(ObligationError, match="no longer owed"):
            CYCLE.submit(status, REFUSALS)


def test_the_reviewer_accepts_or_returns_with_a_reason():
    assert CYCLE.review("submitted", REFUSALS, accept=True, comment="") == "accepted"
    assert CYCLE.review("submitted", REFUSALS, accept=False, comment="直して") == "returned"
    with pytest.raises(ObligationError, match="reason required"):
        CYCLE.review("submitted", REFUSALS, accept=False, comment="  ")
    with pytest.raises(ObligationError, match="not submitted"):
        CYCLE.review("draft", REFUSALS, accept=True, comment="")


def test_a_cycle_may_return_to_the_first_status():
    # A corrective action: answered again while it waits; sent back to open.
    actions = ReviewCycle(("open", "answered"), "answered", "closed", "open")
    assert actions.submit("answered", REFUSALS) == "answered"
    assert actions.review("answered", REFUSALS, accept=False, comment="不十分") == "open"
    with pytest.raises(ObligationError, match="no longer owed"):
        actions.submit("closed", REFUSALS)
