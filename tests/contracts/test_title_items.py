"""Titled items in a 仕様書 (（８）管理状況の報告及び調査 followed by its own text)."""

from __future__ import annotations

from contracts.document import build_document
from contracts.pages import PageText


def test_a_title_under_a_chapter_title_keeps_the_chapter_as_lead() -> None:
    text = (
        "別紙\n4　安全管理措置\n(1)　管理体制\n　①　責任者を定めること。\n"
        "(2)　ログ\n　①　ログを取得すること。\n"
    )
    doc = build_document([PageText(number=1, text=text)])
    chapter = next(s for s in doc.sentences if s.text.startswith("安全管理措置"))
    item = next(s for s in doc.sentences if "責任者" in s.text)
    assert item.lead == chapter.index
