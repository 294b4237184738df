"""Incident duties as public bodies and companies draft them (issue #12, mechanism 2).

Each case is a short text written here in the manner of real 特記事項, 仕様書 and 約款: the
incident named by its occurrence (発生 / 発見 / 発覚 / 把握 / 起こった / 事故時), by a heading
or a list lead, the report made by telephone or 報告の上, the response as 指示を仰ぐ, 処置 or
措置を採る. The traps share the words only (a water leak, a traffic accident, goods damaged).
"""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract, status

PI = "乙は、この契約による業務を処理するため個人情報を取り扱う。"

SATISFIED = [
    # occurrence written as discovery / awareness
    "乙は、個人情報の漏えい、滅失又はき損を発見したときは、直ちに甲に報告し、甲の指示に従わなければならない。",
    "乙は、個人情報の紛失又は盗難が発覚したときは、速やかに甲に報告し、その指示に従うものとする。",
    "乙は、個人情報の盗用、不正利用又は誤送付を把握した場合は、直ちに甲に連絡し、甲の指示を仰がなければならない。",
    "乙は、個人情報の取扱いに関して事故が起こった場合は、直ちに甲に報告し、甲の指示に従わなければならない。",
    "乙は、個人情報の漏えい等の事故に遭ったときは、直ちに甲に報告し、甲の指示に従わなければならない。",
    # report 報告の上, first report by phone, response as 処置 / 措置を採る
    "乙は、個人情報の漏えい等の事故が発生したときは、直ちに甲に報告の上、甲の指示に従い必要な処置を講じなければならない。",
    "乙は、個人情報の漏えい等の事故が発生したときは、直ちに電話で甲に第一報を入れ、甲の指示を仰がなければならない。",
    "乙は、個人情報の漏えい等の事故が発生したときは、速やかに甲に報告するとともに、被害の拡大を防止するための措置を採らなければならない。",
    "乙は、個人情報の不正な持出しその他の事故があったときは、直ちに甲に報告し、甲が指示する措置を実施しなければならない。",
]

# the measures in the next sentence of the paragraph (この場合において / また)
SATISFIED += [
    "乙は、個人情報の漏えい等の事故が発生したときは、直ちに甲に報告しなければならない。"
    "この場合において、乙は、甲の指示に従い、被害の拡大を防止するための措置を講じなければならない。",
    "乙は、個人データの漏えい等を知ったときは、遅滞なく甲に通知するものとする。"
    "また、乙は、甲の求めに応じ、必要な調査及び再発防止策を講じる。",
]

HEADED = [
    # the incident named by the heading, the duties in items under it
    "（事故発生時の対応）\n第1条 乙は、個人情報の漏えい、滅失、き損その他の事故が"
    "発生したときは、次に掲げる措置を講じなければならない。\n"
    "(1) 直ちに甲に報告すること。\n(2) 甲の指示に従い、被害の拡大を防止すること。\n",
    "（事故時の報告）\n第1条 乙は、個人情報の漏えい等の事故時には、"
    "直ちに甲に報告し、甲の指示に従わなければならない。\n",
]

TRAPS = [
    # physical events share the words only
    "乙は、検針中に漏水又はメーターの異常を発見したときは、直ちに甲に報告しなければならない。",
    "乙は、同封物の破損を発見したときは、直ちに甲に報告し、その指示に従わなければならない。",
    "乙は、業務の実施中に交通事故が発生したときは、直ちに甲に報告し、甲の指示に従わなければならない。",
    # a continuation of a sentence about no incident
    "乙は、個人情報を適正に管理しなければならない。"
    "この場合において、乙は、甲の指示に従い、必要な措置を講じなければならない。",
]


@pytest.mark.parametrize("sentence", SATISFIED)
def test_incident_duties_as_drafted_are_satisfied(sentence: str) -> None:
    assert status(contract(PI, sentence), "incident") == "satisfied"


@pytest.mark.parametrize("text", HEADED)
def test_incident_named_by_heading_or_lead(text: str) -> None:
    assert status(PREAMBLE + PI + "\n" + text, "incident") == "satisfied"


@pytest.mark.parametrize("sentence", TRAPS)
def test_physical_events_are_no_incident(sentence: str) -> None:
    assert status(contract(sentence), "incident") == "missing"


DPA = (
    "データ処理補遺\n"
    "株式会社エー（以下「管理者」という。）と株式会社ビー（以下「処理者」という。）は、"
    "次のとおり合意する。\n"
    "1.1　「個人データ侵害」とは、処理者が処理する個人データの偶発的又は違法な破壊、喪失、改変、"
    "無権限の開示又は無権限のアクセスをもたらすセキュリティの侵害をいう。\n"
    "7.1　処理者は、個人データ侵害を認識した場合、遅滞なく管理者に通知する。"
    "通知には次の事項を含める。\n"
    "(a)　個人データ侵害の内容\n"
    "(b)　処理者が講じた措置又は講じる予定の措置\n"
    "7.2　処理者は、管理者の指示に従い、個人データ侵害の影響を軽減するために"
    "必要な措置を直ちに講じる。\n"
)


def test_a_defined_breach_is_an_incident_wherever_it_is_named() -> None:
    assert status(DPA, "incident") == "satisfied"


def test_a_decimal_paragraph_after_an_item_starts_a_new_sentence() -> None:
    from contracts.document import build_document
    from contracts.pages import PageText

    doc = build_document([PageText(number=1, text=DPA)])
    assert any(s.text.startswith("7.2\u3000処理者は") for s in doc.sentences)
