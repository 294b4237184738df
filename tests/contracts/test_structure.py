"""The structure of a contract: sections, articles, paragraphs, items, sentences, citations."""

from __future__ import annotations

from contracts import PageText, build_document
from contracts.structure import kanji_to_int, running_headers, without_page_furniture

CONTRACT = """業務委託契約書

三木市（以下「甲」という。）と株式会社テスト（以下「乙」という。）とは、次のとおり契約を締結する。

（秘密の保持）
第１条　乙は、個人情報を他に漏らしてはならない。ただし、法令に基づく場合は、この限りでない。
２　乙は、次に掲げる事項を遵守しなければならない。
（１）個人情報を複製しないこと。
（２）個人情報を目的外に利用しないこと。
ア　電子媒体の場合
３　乙は、「秘密。」と表示された（甲の指示による。）資料を管理しなければならない。

第十二条（再委託）
乙は、再委託してはならない。

別記

個人情報取扱特記事項

第3条 乙は、甲の承諾なく個人情報を複写してはならない。
"""


def _doc(text: str = CONTRACT):
    return build_document([PageText(number=1, text=text)])


def test_articles_have_label_number_heading_and_section() -> None:
    doc = _doc()
    labels = [(a.label, a.number, a.heading) for a in doc.articles]
    assert labels == [("第１条", 1, "秘密の保持"), ("第十二条", 12, "再委託"), ("第3条", 3, "")]
    assert doc.articles[2].section == 1
    assert doc.sections[1].label == "別記"
    assert doc.sections[1].title == "個人情報取扱特記事項"


def test_offsets_point_at_the_text() -> None:
    doc = _doc()
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
    for a in doc.articles:
        assert doc.text[a.start :].startswith(a.label)


def test_citations_as_written() -> None:
    doc = _doc()
    by_text = {s.text: s.citation for s in doc.sentences}
    assert by_text["乙は、個人情報を他に漏らしてはならない。"] == "第１条第１項"
    assert by_text["個人情報を複製しないこと。"] == "第１条第２項第１号"
    assert by_text["電子媒体の場合"] == "第１条第２項第２号ア"
    # A single-paragraph article is cited without 第1項.
    assert by_text["乙は、再委託してはならない。"] == "第十二条"
    assert by_text["乙は、甲の承諾なく個人情報を複写してはならない。"] == "別記 第3条"


def test_proviso_and_list_lead_are_linked() -> None:
    doc = _doc()
    main = next(s for s in doc.sentences if s.text.startswith("乙は、個人情報を他に"))
    proviso = next(s for s in doc.sentences if s.text.startswith("ただし"))
    assert proviso.proviso_of == main.index
    lead = next(s for s in doc.sentences if "次に掲げる事項" in s.text)
    items = [s for s in doc.sentences if s.lead == lead.index]
    assert [s.text for s in items][:2] == [
        "個人情報を複製しないこと。",
        "個人情報を目的外に利用しないこと。",
    ]


def test_sentences_are_not_split_inside_brackets() -> None:
    doc = _doc()
    assert any(
        s.text == "乙は、「秘密。」と表示された（甲の指示による。）資料を管理しなければならない。"
        for s in doc.sentences
    )


def test_headings_and_titles_are_not_body_sentences() -> None:
    doc = _doc()
    kinds = {s.text: s.kind for s in doc.sentences}
    assert kinds["（秘密の保持）"] == "heading"
    assert kinds["別記"] == "heading"
    assert kinds["個人情報を複製しないこと。"] == "body"
    assert kinds["電子媒体の場合"] == "item"


def test_pages_and_page_break_inside_a_sentence() -> None:
    pages = [
        PageText(1, "第1条 乙は、本業務に関して知り得た個人情報を、本契約の目的以外の目的に利用し"),
        PageText(
            2, "てはならない。\n第2条 乙は、再委託してはならない。", ocr=True, confidence=90.0
        ),
    ]
    doc = build_document(pages)
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, False), (2, True)]
    first = doc.sentences[0]
    assert first.text.replace("\n", "").endswith("目的以外の目的に利用してはならない。")
    assert first.page == 1
    second = next(s for s in doc.sentences if "再委託" in s.text)
    assert second.page == 2 and second.citation == "第2条"
    assert doc.page_at(second.start) == 2
    assert doc.ocr


def test_hard_wrapped_text_is_rejoined() -> None:
    text = (
        "第1条 この訓令は、市の保有する個人情報の適切な管理に関して必要な事\n\n"
        "項を定めることを目的とする。\n"
    )
    doc = _doc(text)
    body = [s for s in doc.sentences if s.kind == "body"]
    assert len(body) == 1
    expected = (
        "この訓令は、市の保有する個人情報の適切な管理に関して必要な事項を定めることを目的とする。"
    )
    assert body[0].text.replace("\n", "") == expected


def test_reference_to_an_article_is_not_an_article() -> None:
    doc = _doc("第1条 乙は、報告しなければならない。\n第1条の規定は、再委託先にも適用する。\n")
    assert len(doc.articles) == 1


def test_kanji_numbers() -> None:
    assert kanji_to_int("十二") == 12
    assert kanji_to_int("二十一") == 21
    assert kanji_to_int("１２") == 12
    assert kanji_to_int("百五") == 105


def test_articles_numbered_without_jo_are_cited_as_written() -> None:
    doc = _doc(
        "別記\n\n個人情報取扱特記事項\n\n第１　基本的事項\n"
        "乙は、個人情報を適正に取り扱わなければならない。\n"
        "第４　乙は、個人情報を第三者に漏らしてはならない。\n"
        "２　乙は、甲の承諾なく個人情報を複写してはならない。\n"
    )
    by_text = {s.text: s.citation for s in doc.sentences}
    assert by_text["乙は、個人情報を適正に取り扱わなければならない。"] == "別記 第１"
    assert by_text["乙は、個人情報を第三者に漏らしてはならない。"] == "別記 第４第１項"
    assert by_text["乙は、甲の承諾なく個人情報を複写してはならない。"] == "別記 第４第２項"
    assert [(a.label, a.number, a.heading) for a in doc.articles] == [
        ("第１", 1, "基本的事項"),
        ("第４", 4, ""),
    ]


def test_page_numbers_and_running_headers_inside_a_sentence_are_skipped() -> None:
    header = "さくら野市業務委託契約約款"
    text = (
        f"{header}\n第１条　乙は、個人情報の漏えいの防止のために必要な措置を講じなければならな\n"
        f"\n- 6 -\n{header}\nい。\n第２条　乙は、個人情報を複製してはならない。\n- 7 -\n{header}\n"
    )
    doc = _doc(text)
    running = running_headers(doc.text.split("\n"))
    sentences = [without_page_furniture(s.text, running).replace("\n", "") for s in doc.sentences]
    assert sentences == [
        "乙は、個人情報の漏えいの防止のために必要な措置を講じなければならない。",
        "乙は、個人情報を複製してはならない。",
    ]
