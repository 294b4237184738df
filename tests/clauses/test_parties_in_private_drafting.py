"""Who the parties are in company-to-company and provider-side drafting, terms defined through
other terms, and the register of a provider's own terms (です・ます)."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract

from clauses import check

pytestmark = pytest.mark.usefixtures("nlp")

_COMPANIES = (
    "株式会社Ａ（以下「甲」という。）と株式会社Ｂ（以下「乙」という。）は、"
    "甲が乙に委託する業務について、次のとおり契約を締結する。\n"
)


# -- parties ----------------------------------------------------------------------------------
def test_a_rule_mapping_its_names_onto_the_parties() -> None:
    text = _COMPANIES + (
        "第1条 別紙の規程は本契約の一部を構成し、規程において「当社」とは甲を、「取引先」とは"
        "乙をいう。\n"
        "第2条 取引先は、当社の書面による承諾を得た場合を除き、個人情報を複製してはならない。\n"
        "第3条 当社は、個人情報を複製してはならない。\n"
    )
    result = next(c for c in check(text).clauses if c.id == "copying")
    assert result.status == "satisfied"
    assert result.evidence[0].article == "第2条"


def test_a_writer_that_entrusts_is_the_principal_even_in_its_terms() -> None:
    text = (
        "業務委託取引基本約款\n"
        "この約款は、株式会社Ｋ（以下「当社」という。）が、顧客の個人情報の取扱いを伴う業務を"
        "委託する事業者（以下「委託先」という。）との取引に適用する。\n"
        "第1条 当社は、必要と認めるときは、委託先の事業所に立ち入り、個人情報の管理状況を"
        "監査することができる。\n"
        "第2条 委託先は、毎年度、個人情報の管理状況を当社に報告しなければならない。\n"
    )
    assert check(text).status("reporting_audit") == "satisfied"


def test_defined_things_are_no_parties() -> None:
    # Two aliases of things (本件業務, 個別契約) in one sentence do not make a principal and a
    # contractor: a duty on 本件業務 binds no one.
    text = _COMPANIES + (
        "第1条 本契約は、甲が乙に委託する入力業務（以下「本件業務」という。）に関する全ての"
        "取引（以下「個別契約」という。）に適用する。\n"
        "第2条 乙は、個人情報を第三者に漏らしてはならず、本件業務の目的以外に利用してはならない。\n"
    )
    assert check(text).status("confidentiality") == "satisfied"


def test_an_auditor_appointed_by_the_principal_acts_for_it() -> None:
    text = contract(
        "乙は、四半期ごとに、個人情報の取扱状況を甲に報告しなければならない。",
        "甲又は甲が指名する監査人（乙の競合事業者を除く。）は、年1回、乙の事業所において、"
        "個人情報の取扱状況について監査を行うことができる。",
    )
    assert check(text).status("reporting_audit") == "satisfied"


def test_the_receiving_party_of_a_mutual_nda_is_not_the_one_who_audits() -> None:
    text = (
        "株式会社Ａと株式会社Ｂは、次のとおり秘密保持契約を締結する。\n"
        "第1条 本契約において、情報を開示する当事者を「開示者」、受領する当事者を「受領者」"
        "という。\n"
        "第2条 受領者は、個人情報の漏えいが生じたことを知ったときは、直ちに開示者に通知し、"
        "必要な調査及び被害の拡大を防止するための措置を講じなければならない。\n"
        "第3条 受領者は、毎年、個人情報の管理状況を開示者に書面で報告しなければならない。\n"
    )
    # 受領者's own investigation of a leak is no audit by the disclosing party.
    assert check(text).status("reporting_audit") == "weak"


def test_a_pledge_signed_by_a_person_binds_no_contractor() -> None:
    text = (
        "秘密保持に関する誓約書\n株式会社Ｈ 御中\n"
        "私は、貴社に入社するに当たり、次の事項を遵守することを誓約いたします。\n"
        "第1条 在職中及び退職後において、顧客の個人情報を第三者に開示し、又は漏えいいたしません。\n"
        "第2条 顧客の個人情報を貴社の業務以外の目的に使用いたしません。\n"
    )
    result = next(c for c in check(text).clauses if c.id == "confidentiality")
    assert result.status == "weak"
    assert "個人が差し入れる誓約" in result.notes[0]


# -- definitions through other terms ----------------------------------------------------------
def test_a_term_carved_out_of_another_makes_the_wider_one_personal() -> None:
    text = (
        "株式会社Ａと株式会社Ｂは、次のとおり秘密保持契約を締結する。\n"
        "第1条 本契約において「本件秘密情報」とは、開示者が受領者に開示した一切の情報をいう。\n"
        "２ 本契約において「本件個人情報」とは、本件秘密情報のうち個人情報保護法に定める個人情報"
        "をいう。\n"
        "第2条 受領者は、開示者の書面による事前の承諾を得た場合を除き、本件秘密情報を複製して"
        "はならない。\n"
    )
    assert check(text).status("copying") == "satisfied"


def test_two_definitions_in_one_sentence() -> None:
    text = PREAMBLE + (
        "第1条 この契約において「本件個人情報」とは、乙が取り扱う受診者の個人情報をいい、"
        "「資料等」とは、本件個人情報が記録された書類及び電磁的記録をいう。\n"
        "第2条（資料等の返還等） 乙は、業務が完了したときは、資料等を直ちに甲に返還しなければ"
        "ならない。\n"
        "２ 乙が業務のために作成した電磁的記録については、乙は、甲の指示に従い、復元できない"
        "方法で消去しなければならない。\n"
    )
    assert check(text).status("return_deletion") == "satisfied"


def test_what_a_definition_excludes_is_not_in_it() -> None:
    text = PREAMBLE + (
        "第1条 この契約において「秘密情報」とは、甲が乙に開示した技術上又は営業上の情報（個人"
        "情報を除く。）をいう。\n"
        "第2条 乙は、秘密情報を第三者に開示してはならず、業務の目的以外に利用してはならない。\n"
    )
    assert check(text).status("confidentiality") == "weak"


# -- modality and exceptions -------------------------------------------------------------------
def test_disclosure_without_approval_at_the_recipients_judgement_cancels_the_secret() -> None:
    text = contract(
        "乙は、個人情報を秘密として保持し、第三者に開示してはならない。ただし、乙は、業務の"
        "遂行に必要と自ら判断した第三者に対しては、甲の承諾を要することなく開示することが"
        "できる。",
        "乙は、個人情報を業務の目的以外に利用してはならない。",
    )
    assert check(text).status("confidentiality") == "weak"


def test_copying_at_the_providers_judgement_past_a_parenthetical() -> None:
    text = (
        "クラウドサービス利用規約\n第1条 本規約は、株式会社Ｘ（以下「当社」といいます。）が提供"
        "する本サービスの利用条件を定めるものです。\n"
        "第2条 当社は、お客様の承諾を得ることなく、お客様の個人情報を当社の判断により複製"
        "（バックアップを含みます。）することができます。\n"
    )
    assert check(text).status("copying") == "weak"


def test_the_time_and_method_of_a_return_left_to_agreement() -> None:
    text = contract(
        "個人情報が記録された資料の返却又は廃棄の時期及び方法は、甲乙別途協議して定める。"
    )
    assert check(text).status("return_deletion") == "weak"


def test_the_measures_of_a_later_paragraph_follow_the_incident_of_the_first() -> None:
    text = (
        "クラウドサービス利用規約\n第1条 本規約は、株式会社Ｘ（以下「当社」といいます。）が提供"
        "する本サービスの利用条件を定めるものです。\n"
        "第2条（セキュリティインシデント）\n"
        "1. 当社は、お客様の個人情報の漏えいが発生したことを知ったときは、遅滞なくお客様に"
        "通知します。\n"
        "2. 当社は、前項の場合、直ちに被害の拡大防止のために合理的な措置を講じます。\n"
    )
    assert check(text).status("incident") == "satisfied"


def test_a_defined_incident_is_one_that_has_occurred() -> None:
    text = (
        "個人データの取扱いに関する付属合意書\n"
        "株式会社Ｘ（以下「当社」という。）は、お客様から委託を受けた個人データを次のとおり"
        "取り扱う。\n"
        "1. 当社は、個人データの漏えいが発生し、又は発生したおそれがある事態（以下「個人データ"
        "侵害」という。）を知ったときは、遅滞なくお客様に通知するものとする。\n"
        "2. 当社は、個人データ侵害の影響を軽減するために合理的な措置を講じ、お客様の指示に"
        "従うものとする。\n"
    )
    assert check(text).status("incident") == "satisfied"


# -- remedies ---------------------------------------------------------------------------------
def test_termination_for_breaching_the_antisocial_forces_paragraph_is_no_remedy() -> None:
    text = contract(
        "甲及び乙は、自らが暴力団その他の反社会的勢力に該当しないことを表明する。\n"
        "２ 甲又は乙は、相手方が前項に違反したときは、本契約を解除することができる。"
        "この場合において、解除された当事者は、解除により生じた損害の賠償を相手方に請求する"
        "ことができない。",
        "乙は、個人情報を第三者に漏らしてはならない。",
    )
    assert check(text).status("breach_remedies") == "missing"


def test_a_penalty_with_its_amount_between_is_weak() -> None:
    text = contract(
        "乙は、この契約に違反したときは、甲に対し、違約金として委託料の総額の100分の10に相当する"
        "額を支払わなければならない。",
        "乙は、個人情報を第三者に漏らしてはならない。",
    )
    assert check(text).status("breach_remedies") == "weak"


# -- a provider's own register and practice --------------------------------------------------
_TERMS = (
    "受託業務約款\n第1条 この約款は、株式会社Ｘ（以下「当社」という。）が委託者から受託する"
    "データ入力業務に適用する。\n"
)


def test_subcontracting_to_partners_at_the_providers_choice_is_weak() -> None:
    text = _TERMS + (
        "第2条 当社は、業務の一部を当社が選定する協力会社に委託することができる。この場合、当社は、"
        "委託後遅滞なく委託者に報告する。\n"
    )
    assert check(text).status("subcontracting") == "weak"


def test_a_described_practice_of_entrusting_presumes_subcontracting() -> None:
    text = (
        "個人情報の取扱いについて\n当社は、利用目的の達成に必要な範囲で、個人情報の取扱いの全部又は"
        "一部を委託することがあります。\n"
    )
    assert check(text).status("subcontracting") == "weak"


def test_an_effort_to_prevent_leaks_before_another_duty_is_weak() -> None:
    text = _TERMS + (
        "第2条 当社は、委託者の個人情報の漏えい、滅失又は毀損の防止に努めるものとし、その取組の"
        "概要を当社のウェブサイトに掲載する。\n"
    )
    assert check(text).status("security") == "weak"


def test_one_locked_cabinet_is_part_of_the_measures() -> None:
    text = _TERMS + "第2条 当社は、預託資料を、作業時間外は施錠できる書庫に保管するものとする。\n"
    assert check(text).status("security") == "weak"


def test_making_copies_at_the_providers_judgement_is_weak() -> None:
    text = _TERMS + (
        "第2条 当社は、業務の遂行に必要な最小限の範囲において、委託者の個人情報の複製物（作業用の"
        "中間ファイルを含む。）を作成することができる。\n"
    )
    assert check(text).status("copying") == "weak"


def test_a_body_named_by_its_own_short_name_is_the_principal() -> None:
    """あさぎり市教育委員会（以下「教育委員会」という。）が発注する…: the board, not a thing."""
    text = (
        "仕様書\n本仕様書は、あさぎり市教育委員会（以下「教育委員会」という。）が発注する"
        "「校務支援システム運用保守業務委託」（以下「本業務」という。）について、"
        "受注者が履行すべき事項を定めるものである。\n"
        "（１）受注者は、個人情報を適正に取り扱わなければならない。\n"
        "（２）受注者がこの章に定める事項に違反したときは、教育委員会は、契約を解除し、"
        "及び受注者に対して損害の賠償を請求することができる。\n"
    )
    assert check(text).status("breach_remedies") == "satisfied"
