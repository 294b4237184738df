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
