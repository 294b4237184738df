"""Titled items in a 仕様書 (（８）管理状況の報告及び調査 followed by its own text)."""

from __future__ import annotations

from contracts.document import build_document
from contracts.pages import PageText

SPEC = (
    "業務仕様書\n"
    "７ 個人情報の取扱い\n"
    "（１）返還及び廃棄\n"
    "　受託者は、業務の完了後、個人情報を記録した媒体を市に返還すること。\n"
    "（２）管理状況の報告\n"
    "　ア　受託者は、毎月、個人情報の管理状況を市に報告すること。\n"
)


def test_a_title_after_a_sentence_leads_its_own_items() -> None:
    doc = build_document([PageText(number=1, text=SPEC)])
    title = next(s for s in doc.sentences if s.text.startswith("管理状況の報告"))
    item = next(s for s in doc.sentences if "毎月" in s.text)
    assert title.lead is None
    assert item.lead == title.index


def test_a_title_under_a_chapter_title_keeps_the_chapter_as_lead() -> None:
    text = (
        "別紙\n4　安全管理措置\n(1)　管理体制\n　①　責任者を定めること。\n"
        "(2)　ログ\n　①　ログを取得すること。\n"
    )
    doc = build_document([PageText(number=1, text=text)])
    chapter = next(s for s in doc.sentences if s.text.startswith("安全管理措置"))
    item = next(s for s in doc.sentences if "責任者" in s.text)
    assert item.lead == chapter.index
