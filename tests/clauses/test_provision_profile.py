"""The ``[provision]`` table of a profile: the safety measures a recipient may be asked for and
the follow-up days are data, validated on load."""

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


@pytest.mark.parametrize(
    ("name", "provision", "pseudonymisation"),
    [
        ("kuki", "第35条", "第37条"),
        ("miki", "第36条", "第38条"),
    ],
)
def test_builtin_profiles_list_the_safety_measures(name, provision, pseudonymisation):
    profile = load_profile(name)
    assert profile.article("provision") == provision
    assert profile.article("pseudonymisation") == pseudonymisation
    measures = profile.safety_measures()
    assert {"leak_prevention", "purpose_limit", "no_third_party", "disposal"} <= set(measures)
    assert measures["purpose_limit"] == "利用目的以外の目的のための利用の禁止"
    assert profile.provision["follow_up_days"] == 30


def test_a_profile_without_the_table_has_no_measures(tmp_path):
    text = (
        (BUILTIN_DIR / "miki.toml")
        .read_text(encoding="utf-8")
        .replace('id = "miki"', 'id = "bare"')
    )
    (tmp_path / "bare.toml").write_text(text.split("\n[provision]")[0], encoding="utf-8")
    profile = load_profile("bare", [tmp_path])
    assert profile.safety_measures() == {}
    assert profile.provision["follow_up_days"] == 30


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({"follow_up_days = 30": "follow_up_days = 0"}, "follow_up_days"),
        ({'code = "copy_limit"': 'code = "secrecy"'}, "unique"),
        ({'code = "copy_limit"': 'code = "Copy Limit"'}, "unique"),
        ({'label = "複製等の制限"': 'label = ""'}, "needs a label"),
    ],
)
def test_bad_provision_tables_are_refused(tmp_path, replace, message):
    directory = _variant(tmp_path, "broken", replace)
    with pytest.raises(ProfileError, match=message):
        load_profile("broken", [directory])
