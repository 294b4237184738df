"""The selection rules without Flask or a database: the profile's lists, which
certifications are required, expiry, the checklist and the items beyond the parent's."""

from __future__ import annotations

from datetime import date

import pytest

from clauses.profile import load_profile
from portal.selection.rules import (
    HeldCertification,
    SelectionRule,
    SelectionRuleError,
    excess_items,
    expiry_state,
)

TODAY = date(2026, 12, 6)


@pytest.fixture(params=["kuki", "miki"])
def rule(request) -> SelectionRule:
    return SelectionRule.from_profile(load_profile(request.param).selection)


def test_both_profiles_list_the_certifications_items_and_questions(rule):
    labels = {c.label for c in rule.certifications}
    assert {"プライバシーマーク", "ISMS（ISO/IEC 27001）", "ISMAP（クラウドサービス）"} <= labels
    items = [i.label for i in rule.items]
    for needed in ("氏名", "住所", "生年月日", "個人番号", "要配慮個人情報"):
        assert needed in items
    assert len(rule.checklist) >= 3
    assert rule.reminder_days == (60, 30)


def test_type_named_by_key_or_label_unknown_is_none(rule):
    assert rule.certification_type("pmark") == "pmark"
    assert rule.certification_type(" プライバシーマーク ") == "pmark"
    assert rule.certification_type("ISO 9001") is None


def test_special_care_needs_pmark_or_isms_either_satisfies(rule):
    facts = {"special_care": True, "persons": 10, "cloud": False, "today": TODAY}
    missing = rule.findings([], **facts)
    assert [f.requirement.any_of for f in missing] == [("pmark", "isms")]
    assert not missing[0].expired
    assert rule.findings([HeldCertification("isms", date(2027, 1, 1))], **facts) == []
    assert rule.findings([HeldCertification("pmark", TODAY)], **facts) == []  # valid that day


def test_an_expired_certification_is_reported_as_expired(rule):
    held = [HeldCertification("pmark", date(2026, 12, 5))]
    found = rule.findings(held, special_care=True, persons=0, cloud=False, today=TODAY)
    assert len(found) == 1 and found[0].expired


def test_nothing_required_of_a_small_ordinary_outsourcing(rule):
    assert rule.findings([], special_care=False, persons=999, cloud=False, today=TODAY) == []
    many = rule.findings([], special_care=False, persons=1000, cloud=False, today=TODAY)
    assert [f.requirement.when for f in many] == ["persons"]


def test_cloud_needs_ismap_in_kuki_and_ismap_or_isms_cloud_in_miki():
    kuki = SelectionRule.from_profile(load_profile("kuki").selection)
    miki = SelectionRule.from_profile(load_profile("miki").selection)
    cloud_cert = [HeldCertification("isms_cloud", date(2028, 1, 1))]
    facts = {"special_care": False, "persons": 1, "cloud": True, "today": TODAY}
    assert [f.requirement.when for f in kuki.findings(cloud_cert, **facts)] == ["cloud"]
    assert miki.findings(cloud_cert, **facts) == []
    assert "ISMAP（クラウドサービス）" in kuki.describe(kuki.required[-1])


def test_expiry_states():
    assert expiry_state(date(2026, 12, 5), TODAY, 60) == "expired"
    assert expiry_state(TODAY, TODAY, 60) == "expiring"
    assert expiry_state(date(2027, 2, 4), TODAY, 60) == "expiring"
    assert expiry_state(date(2027, 2, 5), TODAY, 60) == "valid"


def test_items_beyond_the_parent():
    assert excess_items(["name", "my_number"], ["name", "address"]) == ["my_number"]
    assert excess_items(["name"], ["name", "address"]) == []
    assert excess_items(["name", "my_number"], None) == []  # parent not recorded


def test_item_ids_from_keys_or_labels_and_the_unknown(rule):
    ids, unknown = rule.item_ids(["住所", "name", "", "趣味"])
    assert ids == ["name", "address"] and unknown == ["趣味"]
    assert rule.item_labels(["address", "name"]) == ["氏名", "住所"]


def test_checklist_unanswered_and_concerns(rule):
    first, second, *rest = rule.checklist
    answers = {first.id: "yes", second.id: "no"}
    assert rule.unanswered(answers) == rest
    assert rule.concerns(answers) == [second]


@pytest.mark.parametrize(
    "table",
    [
        {"certifications": [{"type": "a"}]},  # no label
        {"certifications": [{"type": "a", "label": "A"}, {"type": "a", "label": "B"}]},
        {"certifications": [{"type": "a", "label": "A"}], "required": [{"any_of": ["b"]}]},
        {
            "certifications": [{"type": "a", "label": "A"}],
            "required": [{"when": "x", "any_of": ["a"]}],
        },
        {"reminder_days": [0]},
        {"checklist": "not a list"},
    ],
)
def test_invalid_profile_tables_are_refused(table):
    with pytest.raises(SelectionRuleError):
        SelectionRule.from_profile(table)
