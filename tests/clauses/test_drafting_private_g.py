"""Drafting of translated data processing addenda (管理者／処理者), industry 覚書, providers'
約款 and English-style outsourcing contracts."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract, status

pytestmark = pytest.mark.usefixtures("nlp")

DPA_PREAMBLE = (
    "本覚書（以下「本覚書」という。）は、Acme Widgets AB（以下「管理者」という。）と、"
    "株式会社サンプル物流（以下「処理者」という。）との間で締結される。\n"
)


def test_the_processors_counterpart_in_a_dpa_is_the_principal() -> None:
    # The document's own name is defined before the parties: it is no party.
    text = DPA_PREAMBLE + (
        "1. 複製\n1.1 処理者は、管理者の書面による指示がある場合を除き、個人データを複製しない。\n"
    )
    assert status(text, "copying") == "satisfied"


def test_processing_only_for_the_purpose_is_purpose_limitation() -> None:
    text = DPA_PREAMBLE + (
        "1. 処理者の義務\n"
        "1.1 処理者は、本件業務の目的のためにのみ個人データを処理し、自己の目的のために"
        "処理しない。\n"
        "1.2 処理者は、個人データを秘密として保持し、第三者に開示しない。\n"
    )
    assert status(text, "confidentiality") == "satisfied"


def test_measures_against_loss_and_unauthorised_access_are_security_measures() -> None:
    text = DPA_PREAMBLE + (
        "1. セキュリティ\n"
        "1.1 処理者は、個人データを偶発的な喪失、改変又は無権限のアクセスから保護するため、"
        "適切な技術的及び組織的措置を実施する。\n"
    )
    assert status(text, "security") == "satisfied"


def test_a_quarterly_report_that_includes_whether_incidents_occurred_is_periodic() -> None:
    text = contract(
        "乙は、四半期ごとに、個人情報の取扱状況（事故の発生の有無を含む。）を記載した報告書を"
        "甲に提出する。",
        "甲は、乙の事業所において、個人情報の取扱状況について監査を行うことができる。",
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_a_return_whose_light_verb_follows_a_parenthetical_is_imposed() -> None:
    text = contract(
        "乙は、契約が終了したときは、甲の選択に従い、個人データを甲に返還（所定の形式による"
        "書出し）し、又は復元できない方法により消去し、甲の求めに応じて証明書を発行する。"
    )
    assert status(text, "return_deletion") == "satisfied"


@pytest.mark.parametrize(
    "title",
    ["ニュースレター 個人情報保護 2025年5月号", "社内説明資料", "外部委託管理規程"],
)
def test_a_newsletter_an_explanatory_paper_or_an_internal_rule_imposes_nothing(
    title: str,
) -> None:
    text = (
        title
        + "\n\n"
        + contract("乙は、甲の承諾を得た場合を除き、個人情報の処理を再委託してはならない。")
    )
    assert status(text, "subcontracting") == "missing"


def test_a_survival_clause_imposes_none_of_the_matters_it_names() -> None:
    text = contract(
        "乙は、個人情報を契約の目的以外に利用してはならない。",
        "本契約が終了した後も、秘密保持、個人情報の取扱い及び損害賠償に関する規定は、"
        "なお有効に存続する。",
    )
    assert status(text, "confidentiality") == "weak"


def test_a_sentence_that_puts_personal_information_into_a_defined_term() -> None:
    text = contract(
        "この契約において「貸与資料」とは、甲が乙に貸与する一切の資料をいう。"
        "貸与資料には、個人情報を含むものとする。",
        "乙は、貸与資料を秘密として保持し、第三者に開示してはならない。",
        "乙は、貸与資料を契約の目的以外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"
    excluded = text.replace(
        "貸与資料には、個人情報を含むものとする。", "貸与資料には、個人情報を含まない。"
    )
    assert status(excluded, "confidentiality") == "weak"


def test_secrecy_laid_on_staff_is_no_secrecy_of_the_contractor() -> None:
    text = contract(
        "乙は、業務に従事する従業者に対し、個人情報に関する秘密保持義務を課すものとする。",
        "乙は、個人情報を契約の目的以外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "weak"


def test_a_definition_of_an_act_imposes_none_of_the_acts_it_lists() -> None:
    text = DPA_PREAMBLE + (
        "1. 定義\n"
        "1.1 「処理」とは、個人データに対して行われる収集、記録、保存、消去又は破壊その他の一切の"
        "作業をいい、「処理する」はこれに対応する意味を有する。\n"
        "1.2 処理者は、個人データを秘密として保持し、第三者に開示しない。\n"
    )
    assert status(text, "return_deletion") == "missing"


def test_the_report_of_a_return_or_erasure_is_no_compliance_report() -> None:
    text = contract(
        "乙は、業務が終了したときは、個人情報を甲に返還し、又は甲の指示に従い消去し、"
        "その結果を書面により甲に報告しなければならない。"
    )
    assert status(text, "reporting_audit") == "missing"


def test_compliance_with_the_personal_information_protection_act_is_no_security_measure() -> None:
    text = contract(
        "乙は、個人情報の取扱いに当たり、個人情報保護法及び個人情報保護委員会が定める"
        "ガイドラインを遵守する。"
    )
    assert status(text, "security") == "missing"


def test_termination_for_breaching_an_anti_social_forces_representation_is_no_remedy() -> None:
    text = contract(
        "甲及び乙は、自らが反社会的勢力に該当しないことを表明し、将来にわたっても該当しない"
        "ことを確約する。",
        "甲及び乙は、相手方が前条の表明又は確約に違反したときは、直ちにこの契約を解除する"
        "ことができる。",
    )
    text = text.replace("前条の", "前項の").replace(
        "\n第2条 甲及び乙は、相手方が", "\n２ 甲及び乙は、相手方が"
    )
    assert status(text, "breach_remedies") == "missing"


def test_a_negated_verb_the_parser_hung_on_a_noun_still_forbids() -> None:
    text = (
        "株式会社サンプル通販（以下「委託元」という。）と株式会社サンプル受付（以下「委託先」"
        "という。）とは、次のとおり覚書を締結する。\n"
        "第1条 委託先は、委託元から預託を受けた紙媒体の資料について、複写機による複写を"
        "行わないものとする。\n"
    )
    assert status(text, "copying") == "weak"


def test_copies_only_recorded_when_made_are_left_to_the_contractor() -> None:
    text = contract(
        "乙は、個人情報の複製物を作成した場合には、その作成日及び保管場所を記録し、"
        "甲の求めに応じてこれを提示する。"
    )
    assert status(text, "copying") == "weak"


def test_measures_left_to_the_customers_responsibility_are_weak() -> None:
    text = (
        "クラウドサービス利用約款\n第1条 本約款は、当社が提供する本サービスの利用条件を定めます。"
        "「お客様データ」とは、お客様が登録したデータをいい、個人情報を含みます。\n"
        "第2条 お客様データの暗号化その他の漏えい防止のための安全管理措置は、お客様の責任において"
        "行うものとします。\n"
    )
    assert status(text, "security") == "weak"


def test_a_download_by_the_customer_at_the_end_is_no_duty_to_return() -> None:
    text = (
        "クラウドサービス利用約款\n第1条 本約款は、当社が提供する本サービスの利用条件を定めます。\n"
        "第2条 お客様は、利用契約の終了後30日間に限り、個人情報を含むお客様データを"
        "ダウンロードすることができます。\n"
    )
    assert status(text, "return_deletion") == "weak"


def test_a_third_party_audit_report_on_request_is_no_audit_right() -> None:
    text = DPA_PREAMBLE + (
        "1. 監査\n"
        "1.1 処理者は、管理者の要請があった場合、独立した第三者監査人が作成した直近の監査報告書の"
        "写しを管理者に提供する。管理者は、当該報告書の提供をもって、監査に関する処理者の義務が"
        "履行されたものとすることに同意する。\n"
    )
    assert status(text, "reporting_audit") == "weak"


def test_an_effort_at_security_measures_is_weak() -> None:
    text = contract(
        "乙は、個人情報の管理について、合理的な水準のセキュリティ対策を講じるよう努める。"
    )
    assert status(text, "security") == "weak"


def test_an_effort_at_safe_keeping_in_a_list_lead_is_weak() -> None:
    text = PREAMBLE + (
        "第1条 乙は、個人情報を安全に管理するよう努めるものとし、次の各号に掲げる事項を遵守"
        "しなければならない。\n"
        "（１）業務に従事する者に契約の内容を周知すること。\n"
    )
    assert status(text, "security") == "weak"


def test_the_supervision_of_staff_is_part_of_the_measures() -> None:
    text = contract(
        "乙は、業務に従事する者に対し、個人情報の取扱いについて必要な教育を行い、従事者に対する"
        "必要かつ適切な監督を行う。"
    )
    assert status(text, "security") == "weak"
