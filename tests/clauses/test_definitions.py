"""The definition resolver: terms that carry personal information, in every drafting form."""

from __future__ import annotations

import pytest
from clause_samples import PREAMBLE, contract

from clauses import check
from clauses.catalog import load_catalog
from clauses.checker import Checker
from clauses.definitions import learn_definitions
from contracts.document import build_document
from contracts.pages import PageText

pytestmark = pytest.mark.usefixtures("nlp")


def terms(text: str) -> dict[str, bool]:
    """Defined term → whether it carries personal information, without any parse."""
    doc = build_document([PageText(number=1, text=text)])
    norm = Checker().context(doc).norm
    return {t.term: t.personal for t in learn_definitions(doc, norm, load_catalog()).terms}


def test_toha_definition_with_personal_information() -> None:
    text = contract(
        "この契約において「資料等」とは、甲が乙に貸与する帳票その他の書類であって"
        "個人情報が記録されたものをいう。"
    )
    assert terms(text)["資料等"] is True


def test_toha_definition_without_personal_information() -> None:
    text = contract("この契約において「成果物」とは、乙が甲に納入する報告書をいう。")
    assert terms(text)["成果物"] is False


def test_definition_list_item_first_word_is_the_term() -> None:
    text = (
        PREAMBLE + "第1条 この特記事項において、次の各号に掲げる用語の意義は、当該各号に定める"
        "ところによる。\n（１）業務 甲が乙に委託する事務をいう。\n"
        "（２）記録媒体　個人情報が記録された紙、磁気ディスクその他の媒体をいう。\n"
    )
    found = terms(text)
    assert found["記録媒体"] is True and found["業務"] is False


def test_alias_inside_a_parenthetical() -> None:
    text = contract(
        "乙は、甲から貸与された資料（個人情報を含む。以下「貸与資料」という。）を"
        "甲の承諾なく複製してはならない。"
    )
    assert terms(text)["貸与資料"] is True


def test_alias_declared_personal_information() -> None:
    text = (
        PREAMBLE + "第1条 次に掲げる情報（以下「対象情報」という。）は、全て個人情報として"
        "取り扱う。\n（１）住民の氏名\n（２）住所\n"
    )
    assert terms(text)["対象情報"] is True


def test_derived_term_follows_the_term_it_is_defined_by() -> None:
    text = contract(
        "この契約において「提供データ」とは、甲が乙に提供する個人情報を含むデータをいう。",
        "この契約において「提供データ等」とは、提供データ並びにその複製物をいう。",
    )
    assert terms(text) == {"提供データ": True, "提供データ等": True}


def test_definition_in_an_attachment_applies_only_there() -> None:
    text = (
        PREAMBLE + "第1条 乙は、別記１及び別記２の定めを守らなければならない。\n"
        "別記１\n第1条 この別記において「資料等」とは、個人情報が記録された帳票をいう。\n"
        "第2条 乙は、甲の承諾なく資料等を複写してはならない。\n"
        "別記２\n第1条 乙は、甲の承諾なく資料等を複写してはならない。\n"
    )
    doc = build_document([PageText(number=1, text=text)])
    ctx = Checker().context(doc)
    copies = [s.index for s in doc.sentences if "複写" in s.text]
    assert len(copies) == 2
    assert ctx.explicit_pi(copies[0]) and not ctx.explicit_pi(copies[1])


@pytest.mark.parametrize(
    ("definition", "duty", "clause"),
    [
        (
            "この契約において「資料等」とは、甲が貸与する書類であって個人情報が記録されたものをいう。",
            "乙は、甲の承諾を得ないで資料等を複写し、又は複製してはならない。",
            "copying",
        ),
        (
            "この契約において「提供データ」とは、甲が乙に提供する個人情報を含むデータをいう。",
            "乙は、業務が終了したときは、提供データを甲に返還し、又は消去しなければならない。",
            "return_deletion",
        ),
        (
            "この契約において「原票」とは、個人情報が記載された申請書をいう。",
            "乙は、原票の漏えい、滅失及びき損の防止その他の適切な管理のために必要な措置を講じなければならない。",
            "security",
        ),
        (
            "この契約において「帳票」とは、住民の個人情報が記録された紙媒体をいう。",
            "乙は、帳票の内容を第三者に漏らし、又は本業務の目的以外に利用してはならない。",
            "confidentiality",
        ),
    ],
)
def test_duties_over_a_defined_term_are_about_personal_information(
    definition: str, duty: str, clause: str
) -> None:
    assert check(contract(definition, duty)).status(clause) == "satisfied"
    # Without the definition the same duty does not name personal information.
    assert check(contract(duty)).status(clause) != "satisfied"


def test_evidence_links_the_definition_that_carried_the_decision() -> None:
    text = contract(
        "この契約において「資料等」とは、甲が貸与する書類であって個人情報が記録されたものをいう。",
        "乙は、甲の承諾を得ないで資料等を複写してはならない。",
    )
    copying = next(c for c in check(text).clauses if c.id == "copying")
    assert copying.status == "satisfied"
    assert [e.text[:9] for e in copying.evidence] == ["この契約において「", "乙は、甲の承諾を得"]
    assert copying.evidence[0].role == "definition"
    assert copying.evidence[1].role == "duty"


def test_weak_result_explains_that_the_term_is_not_defined_as_personal() -> None:
    text = contract(
        "この契約において「資料等」とは、甲が乙に貸与する図面その他の書類をいう。",
        "乙は、甲の承諾を得ないで資料等を複写してはならない。",
    )
    copying = next(c for c in check(text).clauses if c.id == "copying")
    assert copying.status == "weak"
    assert any("「資料等」" in n and "定義されていません" in n for n in copying.notes)


def test_party_aliases_are_not_defined_terms() -> None:
    text = (
        "株式会社Ａ（以下「開示者」という。）と株式会社Ｂ（以下「受領者」という。）は、"
        "次のとおり合意する。\n"
        "第1条 本契約において「秘密情報」とは、開示者が受領者に開示する技術上の情報をいう。\n"
        "第2条 受領者は、秘密情報を第三者に開示してはならない。\n"
    )
    assert terms(text) == {"秘密情報": False}
    result = next(c for c in check(text).clauses if c.id == "confidentiality")
    assert result.status == "weak"
    assert any("対象の「秘密情報」が個人情報を含むと定義されていません" in n for n in result.notes)


DEEMED = (
    "株式会社エー（以下「甲」という。）と株式会社ビー（以下「乙」という。）は、次のとおり契約を締結する。\n"
    "第1条 本契約において「秘密情報」とは、"
    "本業務に関して甲が乙に開示した技術上又は営業上の情報をいう。\n"
    "2 {deeming}\n"
    "第2条 乙は、秘密情報を第三者に開示し、又は漏えいしてはならない。\n"
    "2 乙は、秘密情報を本業務の目的以外に利用してはならない。\n"
)


@pytest.mark.parametrize(
    "deeming",
    [
        "甲が乙に提供する個人情報は、前項の秘密情報とみなす。",
        "甲が乙に提供する個人情報についても、秘密情報として取り扱うものとする。",
        "秘密情報には、甲の顧客の個人情報を含むものとする。",
    ],
)
def test_a_sentence_that_brings_personal_information_into_a_term(deeming: str) -> None:
    from clause_samples import status

    assert status(DEEMED.format(deeming=deeming), "confidentiality") == "satisfied"


@pytest.mark.parametrize(
    "deeming",
    ["個人情報は、秘密情報に含まれないものとする。", "秘密情報には、個人情報を含まない。"],
)
def test_a_sentence_that_keeps_personal_information_out_of_a_term(deeming: str) -> None:
    from clause_samples import status

    assert status(DEEMED.format(deeming=deeming), "confidentiality") == "weak"


def test_a_definition_whose_items_list_personal_attributes() -> None:
    from clause_samples import status

    text = (
        "株式会社エー（以下「甲」という。）と株式会社ビー（以下「乙」という。）は、"
        "次のとおり契約を締結する。\n"
        "第1条 本契約において「対象情報」とは、甲が乙に提供する次に掲げる情報をいう。\n"
        "(1) 氏名\n(2) 住所\n(3) 電話番号\n"
        "第2条 乙は、対象情報を第三者に開示し、又は漏えいしてはならない。\n"
        "2 乙は、対象情報を本契約の目的以外に利用してはならない。\n"
    )
    assert status(text, "confidentiality") == "satisfied"


def test_an_inline_definition_that_holds_from_here_on() -> None:
    from clause_samples import status

    text = contract(
        "乙は、この契約の履行に関して知り得た秘密（個人情報を含む。以下同じ。）を他に漏らしてはならない。",
        "乙は、秘密を目的外に利用してはならない。",
    )
    assert status(text, "confidentiality") == "satisfied"
    plain = contract(
        "乙は、この契約の履行に関して知り得た秘密（電磁的記録を含む。以下同じ。）を他に漏らしてはならない。",
        "乙は、秘密を目的外に利用してはならない。",
    )
    assert status(plain, "confidentiality") == "weak"
