"""Bare page numbers (１, ２ …) and the running header after them break no sentence."""

from __future__ import annotations

from contracts.document import build_document
from contracts.pages import PageText


def test_bare_page_numbers_and_the_header_after_them_are_page_breaks() -> None:
    header = "業務再委託契約書（入力業務）"
    text = (
        f"{header}\n第1条 乙は、個人情報の漏えいが生じたときは、直ちに甲に報告し、甲の指示に従わ"
        f"\n\n１\n{header}\nなければならない。\n第2条 乙は、前条の報告をしなければならない。"
        f"\n\n２\n{header}\n第3条 乙は、業務を行う。\n\n３\n"
    )
    doc = build_document([PageText(number=1, text=text)])
    first = next(s for s in doc.sentences if s.citation == "第1条")
    assert first.kind == "body"
    assert "なければならない。" in first.text


def test_a_header_after_dashed_folios_on_two_pages_is_a_page_break() -> None:
    header = "サンプル印刷 発送サービス約款"
    text = (
        "発送サービス約款\n第1条 当社は、宛名データを本サービス以外の目的に利用しません。\n"
        f"第2条 お客様は、当社が本約款に違反したときは、\n\n- 1 -\n{header}\n"
        "個別契約を解除することができます。\n"
        f"第3条 当社は、業務を行います。\n\n- 2 -\n{header}\n第4条 当社は、報告します。\n"
    )
    doc = build_document([PageText(number=1, text=text)])
    second = next(s for s in doc.sentences if s.citation == "第2条")
    assert "解除することができます。" in second.text
