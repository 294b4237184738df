"""Drafting of periodic reports and audits met in sector outsourcing (education, hospitals,
water, elections)."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract, status

pytestmark = pytest.mark.usefixtures("nlp")


def test_an_inspection_named_in_a_condition_and_accepted_by_an_anaphor() -> None:
    text = PREAMBLE + (
        "第1条 乙は、個人情報の取扱いについて、次に掲げる事項を遵守すること。\n"
        "（１）毎月、個人情報の取扱状況を書面により甲に報告すること。\n"
        "（２）甲が、必要があると認めて乙の事務所に立ち入り、個人情報の管理状況を調査する場合は、"
        "これに応じること。\n"
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_an_inspection_condition_with_a_duty_of_the_municipality_is_no_audit() -> None:
    text = contract(
        "乙は、毎月、個人情報の取扱状況を書面により甲に報告しなければならない。",
        "甲は、乙の事務所に立ち入って調査したときは、その結果を乙に通知するものとする。",
    )
    assert status(text, "reporting_audit") == "weak"


def test_weekly_copies_of_a_handling_record_are_a_periodic_report() -> None:
    text = contract(
        "乙は、作業日ごとに個人情報の使用及び保管の状況を記録した管理簿を作成し、毎週その写しを"
        "甲に提出しなければならない。",
        "甲は、必要があると認めるときは、乙の作業場所に立ち入り、個人情報の管理状況を検査する"
        "ことができる。",
    )
    assert status(text, "reporting_audit") == "satisfied"


def test_a_monthly_invoice_submitted_is_no_compliance_report() -> None:
    text = contract(
        "乙は、毎月、業務の実績を記載した請求書を甲に提出しなければならない。",
        "甲は、必要があると認めるときは、乙の作業場所に立ち入り、個人情報の管理状況を検査する"
        "ことができる。",
    )
    assert status(text, "reporting_audit") == "weak"


DUTY = "乙は、甲の承諾を得ないで、本業務を第三者に再委託してはならない。"


@pytest.mark.parametrize(
    "title",
    ["委託契約の留意事項について（ガイドラインの要点整理）", "令和7年度職員研修（委託先の監督）"],
)
def test_staff_guidance_and_training_material_impose_nothing(title: str) -> None:
    assert status(f"{title}\n\n{contract(DUTY)}", "subcontracting") == "missing"


@pytest.mark.parametrize("title", ["令和7年度職員研修業務委託契約", "職員研修業務委託仕様書"])
def test_a_contract_for_staff_training_is_checked(title: str) -> None:
    assert status(f"{title}\n\n{contract(DUTY)}", "subcontracting") == "satisfied"


def test_copying_restricted_only_onto_a_carrier_is_weak() -> None:
    text = contract("乙は、甲の承認を得ないで、個人情報を外部の記録媒体に複写してはならない。")
    assert status(text, "copying") == "weak"


def test_copying_and_duplication_restricted_is_satisfied() -> None:
    text = contract(
        "乙は、甲の承認を得ないで、個人情報を記録した媒体を複写し、又は複製してはならない。"
    )
    assert status(text, "copying") == "satisfied"


def test_a_certificate_of_erasure_handed_in_on_instruction_is_no_compliance_report() -> None:
    text = contract(
        "乙は、契約が終了したときは、甲の指示に従い、個人情報を復元不可能な方法で廃棄し、"
        "廃棄した日時及び方法を記載した証明書を甲に提出しなければならない。"
    )
    assert status(text, "reporting_audit") == "missing"
    assert status(text, "return_deletion") != "missing"
