"""Words for the same act (catalog vocabulary): each entry decides a clause on its own."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract

from clauses import check

pytestmark = pytest.mark.usefixtures("nlp")

_INCIDENT = (
    "乙は、個人情報の{event}が発生したときは、直ちに甲に{report}、甲の指示に従わなければならない。"
)


@pytest.mark.parametrize(
    "report", ["報告し", "通知し", "通報し", "連絡し", "届け出て", "第一報を入れ", "電話で連絡し"]
)
def test_incident_report_words(report: str) -> None:
    text = contract(_INCIDENT.format(event="漏えい", report=report))
    assert check(text).status("incident") == "satisfied"


@pytest.mark.parametrize(
    "event", ["漏えい", "漏洩", "流出", "漏出", "紛失", "改ざん", "不正アクセス"]
)
def test_incident_leak_words(event: str) -> None:
    text = contract(_INCIDENT.format(event=event, report="報告し"))
    assert check(text).status("incident") == "satisfied"


@pytest.mark.parametrize("harm", ["漏えい", "流出", "不正アクセス", "紛失", "改ざん"])
def test_security_harm_words(harm: str) -> None:
    text = contract(
        f"乙は、個人情報の{harm}の防止その他の安全管理のために必要な措置を講じなければならない。"
    )
    assert check(text).status("security") == "satisfied"


@pytest.mark.parametrize("give_back", ["返還し", "返却し", "引き渡し"])
@pytest.mark.parametrize(
    "erase",
    [
        "消去しなければならない",
        "廃棄しなければならない",
        "抹消しなければならない",
        "裁断しなければならない",
        "溶解しなければならない",
        "破砕しなければならない",
        "復元不可能な方法により処分しなければならない",
    ],
)
def test_return_and_erasure_words(give_back: str, erase: str) -> None:
    text = contract(
        f"乙は、業務が完了したときは、個人情報が記録された帳票を甲に{give_back}、"
        f"電子データは{erase}。"
    )
    assert check(text).status("return_deletion") == "satisfied"


@pytest.mark.parametrize("act", ["複製し", "複写し", "コピーし", "スキャンし", "撮影し", "転記し"])
def test_copying_words(act: str) -> None:
    text = contract(f"乙は、甲の承諾を得ないで、個人情報が記録された資料を{act}てはならない。")
    assert check(text).status("copying") == "satisfied"


def test_copying_of_paper_documents_only_is_weak() -> None:
    text = contract("乙は、個人情報が記載された書類を甲の承諾なく複写しないこと。")
    result = next(c for c in check(text).clauses if c.id == "copying")
    assert result.status == "weak"
    assert any("紙の書類" in n for n in result.notes)
    text = contract("乙は、個人情報が記録された書類及び電磁的記録を甲の承諾なく複写しないこと。")
    assert check(text).status("copying") == "satisfied"


@pytest.mark.parametrize("paper", ["紙の帳票", "帳票（紙媒体）", "紙媒体の帳票"])
def test_copying_of_paper_forms_only_is_weak(paper: str) -> None:
    text = contract(f"乙は、個人情報が記載された{paper}を甲の承諾なく複写しないこと。")
    assert check(text).status("copying") == "weak"


@pytest.mark.parametrize(
    "meaning",
    [
        "氏名、生年月日その他の記述等により特定の個人を識別することができるもの",
        "それにより個人が識別され、又は識別され得るもの",
        "個人の識別が可能な情報",
        "保育所等利用申込書その他の添付書類",
        "利用者の氏名、住所、電話番号その他の利用者に関する事項",
        "顧客の氏名及び電子メールアドレス",
    ],
)
def test_a_term_defined_as_identifying_a_person_carries_personal_information(
    meaning: str,
) -> None:
    text = contract(
        f"この契約において「教育情報」とは、児童生徒に関する情報であって、{meaning}をいう。",
        "乙は、教育情報を他に漏らしてはならない。",
        "乙は、教育情報を本業務以外の目的に利用してはならない。",
    )
    assert check(text).status("confidentiality") == "satisfied"
    text = contract(
        "この契約において「技術情報」とは、甲が開示する設計図面その他の技術上の情報をいう。",
        "乙は、技術情報を他に漏らしてはならない。",
        "乙は、技術情報を本業務以外の目的に利用してはならない。",
    )
    assert check(text).status("confidentiality") == "weak"


@pytest.mark.parametrize(
    "act",
    [
        "業務を再委託してはならない",
        "業務を第三者に委任し、又は請け負わせてはならない",
        "業務を下請負に付してはならない",
        "個人情報を第三者に取り扱わせてはならない",
        "サブプロセッサを利用してはならない",
        "他の処理者を関与させてはならない",
    ],
)
def test_subcontracting_words(act: str) -> None:
    text = contract(f"乙は、甲の書面による承諾を得た場合を除き、{act}。")
    assert check(text).status("subcontracting") == "satisfied"


@pytest.mark.parametrize(
    "audit",
    [
        "乙の個人情報の取扱状況について監査を行うことができる",
        "乙の事業所において個人情報の管理状況を検査することができる",
        "乙の事業所に立入り、個人情報の取扱状況を確認することができる",
        "乙の個人情報の取扱状況について実地に調査することができる",
        "乙に対し、個人情報の取扱状況について報告を求めることができる",
    ],
)
def test_audit_words(audit: str) -> None:
    text = contract(
        "乙は、毎月、個人情報の取扱状況を甲に報告しなければならない。",
        f"甲は、必要があると認めるときは、{audit}。",
    )
    assert check(text).status("reporting_audit") == "satisfied"


@pytest.mark.parametrize(
    "sentence",
    [
        "乙は、業務上知り得た個人情報を第三者に開示し、又は漏えいしてはなりません。",
        "乙は、業務上知り得た個人情報を第三者に開示することを禁じます。",
        "乙は、業務上知り得た個人情報を第三者に開示しないものとします。",
        "乙は、業務上知り得た個人情報を第三者に開示いたしません。",
    ],
)
def test_registers_of_a_prohibition(sentence: str) -> None:
    text = contract(sentence, "乙は、個人情報を本業務の目的以外に利用してはならない。")
    assert check(text).status("confidentiality") == "satisfied"


def test_a_definition_list_with_quoted_terms_and_noun_phrases() -> None:
    """「本契約において、次の用語はそれぞれ次の意味を有する。」 and items 「X」 <noun phrase>:
    the quoted term is defined even though the item does not end in …をいう; so is a term set
    off by a space under that lead (（２）患者情報　…に該当するもの), but not a list item under a
    lead that defines nothing."""
    text = (
        PREAMBLE + "第1条 本契約において、次の用語はそれぞれ次の意味を有する。\n"
        "（1）「本件顧客データ」　甲が乙に提供する顧客リスト（顧客の購入履歴その他の個人データを"
        "含む。）\n"
        "第2条 乙は、本件顧客データを本業務以外の目的で利用し、又は第三者に漏えいしないものと"
        "する。\n"
    )
    assert check(text).status("confidentiality") == "satisfied"
    unquoted = text.replace("「本件顧客データ」", "本件顧客データ")
    assert check(unquoted).status("confidentiality") == "satisfied"
    no_lead = unquoted.replace(
        "本契約において、次の用語はそれぞれ次の意味を有する。", "甲は、次のものを乙に提供する。"
    )
    assert check(no_lead).status("confidentiality") == "weak"


def test_due_care_in_keeping_personal_information_is_weak_security() -> None:
    """善良な管理者の注意をもって保管する: a general standard of care, no safety measures."""
    text = contract(
        "乙は、個人情報が記録された名簿を善良な管理者の注意をもって保管するものとする。"
    )
    assert check(text).status("security") == "weak"
    text = contract("乙は、善良なる管理者の注意をもって本業務を遂行する。")
    assert check(text).status("security") == "missing"
