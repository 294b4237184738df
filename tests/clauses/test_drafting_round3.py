"""Drafting of incident and other matters met in municipal documents, and document types that
impose nothing (describing, quoting, pledging)."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract, status

from clauses import check
from clauses.analysis import normalize

pytestmark = pytest.mark.usefixtures("nlp")

LEAK = "乙は、個人情報の漏えい、滅失その他の事故が発生したときは、"


# -- incident ---------------------------------------------------------------------------------
def test_measures_in_the_next_article_refer_back_to_the_report() -> None:
    text = contract(
        LEAK + "直ちに甲に報告しなければならない。",
        "乙は、前条の報告をしたときは、甲の指示に従い、必要な措置を講じなければならない。",
    )
    assert status(text, "incident") == "satisfied"


def test_a_reference_to_an_earlier_article_without_an_incident_is_no_incident() -> None:
    text = contract(
        "乙は、毎月の作業の状況を甲に報告しなければならない。",
        "乙は、前条の報告をしたときは、甲の指示に従い、必要な措置を講じなければならない。",
    )
    assert status(text, "incident") == "missing"


@pytest.mark.parametrize("to", ["乙の個人情報保護管理者に報告し", "直ちに業務責任者に報告し"])
def test_a_report_within_the_contractor_is_no_report_to_the_municipality(to: str) -> None:
    text = contract(LEAK + f"{to}、その指示の下に必要な措置を講ずるものとする。")
    assert status(text, "incident") == "weak"


def test_a_report_to_an_officer_of_the_municipality_counts() -> None:
    text = contract(LEAK + "直ちに甲の管理責任者に報告し、甲の指示に従わなければならない。")
    assert status(text, "incident") == "satisfied"


def test_a_report_as_an_effort_stays_weak_when_measures_follow() -> None:
    text = contract(
        LEAK + "直ちに甲に報告するよう努めるとともに、甲の指示に従い、必要な措置を講ずる"
        "ものとする。"
    )
    assert status(text, "incident") == "weak"


def test_steps_under_an_incident_lead_carry_the_report() -> None:
    text = contract(
        LEAK + "次の手順により対応すること。\n"
        "（１）事故の内容を記載した事故報告書を、翌日までに甲に提出すること。\n"
        "（２）甲の指示に従い、被害の拡大防止のための措置を講ずること。"
    )
    assert status(text, "incident") == "satisfied"


# -- reporting and audit ----------------------------------------------------------------------
def test_an_inspection_the_municipality_carries_out_does_not_change_who_reports() -> None:
    text = contract(
        "乙は、個人情報の取扱状況を毎年3月末日現在で取りまとめ、甲に書面で報告するとともに、"
        "甲が行う実地検査を受けなければならない。"
    )
    assert status(text, "reporting_audit") == "satisfied"


# -- parties ----------------------------------------------------------------------------------
def test_the_party_named_before_otsu_entrusts() -> None:
    text = (
        "東西衛生事務組合（以下「組合」という。）と株式会社テスト（以下「乙」という。）とは、"
        "次のとおり契約を締結する。\n"
        "第1条 乙は、組合の承認を得ないで、個人情報が記録された資料を複写し、又は複製しては"
        "ならない。ただし、組合が指示する方法により行う複製については、この限りでない。\n"
    )
    assert status(text, "copying") == "satisfied"


# -- security ---------------------------------------------------------------------------------
def test_a_list_lead_under_a_safe_management_title_takes_the_list_scope() -> None:
    text = (
        PREAMBLE + "特記事項\n"
        "1 安全管理措置\n"
        "(1) 乙は、次に掲げる措置を講じなければならない。\n"
        "(2) 個人情報へのアクセス権限を必要最小限とすること。\n"
    )
    assert status(text, "security") == "satisfied"


# -- layout -----------------------------------------------------------------------------------
def test_layout_commas_and_line_breaks_are_normalised() -> None:
    assert normalize("受注者は，１，０００円を\u3000\nはらう") == "受注者は、1,000円をはらう"


def test_a_sentence_broken_by_the_layout_still_prohibits() -> None:
    text = contract(
        "乙は，業務に関して知り得た個人情報を他に漏らしてはな \n  らない。",
        "乙は，業務に関して知り得た個人情報を業務の目的以外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"


# -- documents that impose nothing --------------------------------------------------------------
DUTY = "乙は、甲の承諾を得ないで、本業務を第三者に再委託してはならない。"


@pytest.mark.parametrize(
    "title",
    [
        "個人情報取扱特記事項新旧対照表",
        "定期監査結果報告書",
        "個人情報の取扱いについて（通達）",
        "委託事務処理要領",
        "指定管理者募集要項",
        "事故対応訓練実施結果報告書",
        "報道発表資料",
        "業務委託の手引き",
        "様式第2号",
    ],
)
def test_a_describing_document_imposes_nothing(title: str) -> None:
    text = f"{title}\n\n{contract(DUTY)}"
    report = check(text)
    assert report.status("subcontracting") == "missing"
    sub = next(c for c in report.clauses if c.id == "subcontracting")
    assert any("受託者に義務を課す契約ではありません" in n for n in sub.notes)


def test_a_contract_titled_first_is_checked_whatever_it_attaches() -> None:
    text = f"業務委託契約書\n\n新旧対照表\n\n{contract(DUTY)}"
    assert status(text, "subcontracting") == "satisfied"


def test_a_pledge_of_one_person_binds_no_contractor() -> None:
    text = (
        "秘密保持に関する誓約書\n\n甲市長 様\n\n"
        "私は、株式会社テストの従業員として、次の事項を遵守することを誓約します。\n"
        "１ 業務に関して知り得た個人情報を他に漏らしません。\n"
        "２ 業務に関して知り得た個人情報を業務の目的以外に利用しません。\n"
    )
    # It mentions the matter (weak, CLAUSES.md) but binds a person, never the contractor.
    assert status(text, "confidentiality") == "weak"
    assert status(text, "subcontracting") == "missing"


def test_answers_to_bidders_satisfy_nothing() -> None:
    text = f"質問回答書\n\n{contract(DUTY)}"
    assert status(text, "subcontracting") == "weak"


# -- vocabulary ---------------------------------------------------------------------------------
def test_keeping_business_secrets_with_due_care_is_weak_for_security() -> None:
    text = contract(
        "乙は、業務上知り得た秘密を記録した文書を善良な管理者の注意をもって管理しなければならない。"
    )
    assert status(text, "security") == "weak"


def test_measures_over_secrets_of_the_business_are_weak_for_security() -> None:
    text = contract(
        "乙は、業務上の秘密に属する資料の漏えいを防止するため、必要な措置を講じなければならない。"
    )
    assert status(text, "security") == "weak"


def test_the_importance_of_protection_is_no_duty_of_security() -> None:
    text = contract("乙は、個人情報の保護の重要性を認識し、この特記事項を遵守しなければならない。")
    assert status(text, "security") == "missing"


def test_copying_of_paper_originals_only_is_weak() -> None:
    text = contract(
        "乙は、甲から引き渡された個人情報が記載された申込書の原本を複写機により複写してはならない。"
    )
    assert status(text, "copying") == "weak"


def test_a_key_copied_is_no_information() -> None:
    text = contract("乙は、甲から貸与された庁舎の鍵を複製してはならない。")
    assert status(text, "copying") == "missing"


def test_remedies_for_breach_left_to_agreement_are_weak() -> None:
    text = contract("乙がこの契約に違反した場合の措置については、甲乙協議して定める。")
    assert status(text, "breach_remedies") == "weak"


def test_data_at_the_end_left_to_agreement_is_weak_for_return() -> None:
    text = contract("契約終了時の個人データの取扱いについては、甲と乙が協議して定めるものとする。")
    assert status(text, "return_deletion") == "weak"


def test_the_municipalitys_right_to_ask_for_papers_back_is_weak() -> None:
    text = contract(
        "甲は、本業務が完了したときは、乙に対し、甲が提供した資料の返還を求めることができる。"
    )
    assert status(text, "return_deletion") == "weak"


def test_secrecy_named_only_in_a_staff_pledge_is_weak() -> None:
    text = contract(
        "乙は、従事者に、業務に関して知り得た個人情報を他に漏らさない旨の誓約書を提出させなければならない。"
    )
    assert status(text, "confidentiality") == "weak"


def test_a_report_to_the_writing_company_is_no_internal_report() -> None:
    text = (
        "委託業務約款\n第1条 委託先は、個人情報の漏えいその他の事故が発生したときは、直ちに当社に"
        "報告し、当社の指示に従い、必要な措置を講じなければならない。\n"
    )
    report = check(text)
    inc = next(c for c in report.clauses if c.id == "incident")
    assert not any("内部" in n for n in inc.notes)
