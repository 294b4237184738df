"""The ``[incident]`` table of a profile: the escalation chain and the Commission-report rules
are data, validated on load, with defaults where a profile says nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from clauses.profile import BUILTIN_DIR, ProfileError, load_profile


def _variant(tmp_path: Path, name: str, replace: dict[str, str]) -> Path:
    text = (BUILTIN_DIR / "miki.toml").read_text(encoding="utf-8")
    text = text.replace('id = "miki"', f'id = "{name}"')
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", ["miki", "kuki"])
def test_builtin_profiles_carry_the_commission_rules(name):
    commission = load_profile(name).incident["commission"]
    assert commission["persons_threshold"] == 100
    assert commission["final_report_days"] == 30
    assert commission["final_report_days_wrongful"] == 60
    assert 3 <= commission["first_report_days"] <= 5
    assert set(commission["triggers"]) == {
        "special_care",
        "financial_harm",
        "wrongful_purpose",
        "persons",
        "ordinance_designated",
    }
    assert "第68条" in commission["legal_basis"]


def test_escalation_chains_follow_the_regulations():
    assert load_profile("miki").incident["escalation"][-1] == "市長"
    assert load_profile("miki").incident["escalation"][1] == "統括情報セキュリティ責任者"
    assert load_profile("kuki").incident["escalation"][1] == "総括保護管理者"


def test_a_profile_without_the_commission_table_gets_the_law_as_default(tmp_path):
    text = (BUILTIN_DIR / "kuki.toml").read_text(encoding="utf-8")
    start = text.index("[incident.commission]")
    end = text.index("[security]")
    text = text[:start] + text[end:]
    (tmp_path / "kuki.toml").write_text(text, encoding="utf-8")
    commission = load_profile("kuki", search_path=[tmp_path]).incident["commission"]
    assert commission["persons_threshold"] == 100
    assert commission["final_report_days"] == 30
    assert commission["final_report_days_wrongful"] == 60


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({"persons_threshold = 100": 'persons_threshold = "百"'}, "persons_threshold"),
        ({"final_report_days_wrongful = 60": "final_report_days_wrongful = 20"}, "wrongful"),
        ({'"ordinance_designated"]': '"weather"]'}, "triggers"),
        ({"first_report_days = 5": "first_report_days = 45"}, "first_report_days"),
        ({"escalation = [": "escalation = [] # ["}, "escalation"),
    ],
)
def test_invalid_commission_rules_are_refused(tmp_path, replace, message):
    _variant(tmp_path, "broken", replace)
    with pytest.raises(ProfileError, match=message):
        load_profile("broken", search_path=[tmp_path])
