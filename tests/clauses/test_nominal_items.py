"""Duties written as noun phrases under a lead that imposes them (issue #12, modality).

「乙は、次に掲げる事項を遵守しなければならない。(1) 個人情報の目的外利用の禁止 …」: each
item names an act and the lead makes it a duty; 禁止 forbids the act, 実施 / 報告 obliges it.
A lead that lists what a document must state imposes nothing, and neither does an item that
names a restriction without saying which (…の制限).
"""

from __future__ import annotations

from clause_samples import PREAMBLE, status

from clauses.catalog import load_catalog

ITEMS = (
    "(1) 個人情報の漏えいの禁止\n"
    "(2) 個人情報の目的外利用の禁止\n"
    "(3) 甲の承諾のない再委託の禁止\n"
    "(4) 甲の承諾のない個人情報の複写及び複製の禁止\n"
    "(5) 個人情報の漏えい、滅失及びき損の防止のための安全管理措置の実施\n"
    "(6) 個人情報の漏えい等の事故が発生した場合の甲への報告及び甲の指示に従った対応\n"
    "(7) 業務終了時の個人情報の返還及び消去\n"
)
IMPOSED = load_catalog().ids[:6]  # the six matters the items above name, in catalog order


def _doc(lead: str, items: str = ITEMS) -> str:
    return PREAMBLE + "第1条 " + lead + "\n" + items


def test_noun_items_under_a_duty_to_comply_are_imposed() -> None:
    text = _doc(
        "乙は、この契約による個人情報の取扱いに当たり、次に掲げる事項を遵守しなければならない。"
    )
    for clause in IMPOSED:
        assert status(text, clause) == "satisfied", clause


def test_noun_items_under_a_list_of_what_to_state_impose_nothing() -> None:
    text = _doc("甲は、個人情報を取り扱う業務の委託契約書に、次に掲げる事項を明記するものとする。")
    for clause in IMPOSED:
        assert status(text, clause) != "satisfied", clause


def test_a_restriction_named_without_its_kind_is_not_satisfied() -> None:
    text = _doc(
        "乙は、次に掲げる事項を遵守しなければならない。",
        "(1) 個人情報の複写及び複製の制限\n",
    )
    assert status(text, "copying") != "satisfied"
