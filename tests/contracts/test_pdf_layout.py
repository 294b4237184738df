"""The layout rules on hand-made pages: what counts as running text, what starts a paragraph."""

from __future__ import annotations

import pytest

from contracts.layout import Line, RawPage, clean_pages

SIZE = 10.0
LEFT, RIGHT = 70.0, 525.0


def line(
    text: str, row: int, *, end: float = RIGHT, start: float = LEFT, y: float | None = None
) -> Line:
    top = 80.0 + row * 17
    return Line(text, start, end, top, top + SIZE, SIZE, 0.5, y if y is not None else top / 842)


def page(number: int, *lines: Line) -> RawPage:
    return RawPage(number=number, width=595.0, height=842.0, lines=list(lines))


@pytest.mark.parametrize("footer", ["- 3 -", "－ ３ －", "3 / 18", "３", "Page 3 of 18", "3頁"])
def test_page_numbers_at_the_bottom_go(footer: str) -> None:
    body = line("第1条（目的）", 0, end=200)
    (result,) = clean_pages([page(1, body, line(footer, 40, end=300, y=0.95))])
    assert result.text == "第1条（目的）"


def test_a_number_in_the_body_stays() -> None:
    full = line("乙は、甲の書面による承諾を得た場合を除き、本業務の全部又は一部を第三", 20)
    lines = [full, line("者に再委託してはならない。", 21, end=300), line("３", 22, end=80)]
    (result,) = clean_pages([page(1, *lines)])
    assert result.text.split("\n")[-1] == "３"


def test_repeated_first_body_line_is_not_taken_for_a_header() -> None:
    pages = [page(n, line("甲及び乙は、誠実に協議する。", 0, end=300, y=0.1),
                  line("本文", 1, end=100)) for n in (1, 2, 3)]  # fmt: skip
    assert all(p.text.startswith("甲及び乙は") for p in clean_pages(pages))


def test_header_set_apart_from_the_body_goes() -> None:
    pages = [
        page(n, line("委託契約書　社外秘", -3, end=300), line(f"第{n}条（目的）", 0, end=200),
             line(f"本文{n}", 1, end=100))
        for n in (1, 2, 3)
    ]  # fmt: skip
    assert [p.text for p in clean_pages(pages)] == [f"第{n}条（目的）\n本文{n}" for n in (1, 2, 3)]


def test_full_lines_join_and_paragraph_starts_do_not() -> None:
    lines = [
        line("乙は、甲の書面による承諾を得た場合を除き、本業務の全部又は一部を第三", 0),
        line("者に再委託してはならない。", 1, end=300),
        line("２　乙は、前項の承諾を得て再委託する場合には、再委託先に対し本契約に", 2),
        line("（１）再委託先の名称", 3, end=200),
        line("Personal data shall be", 4),
        line("deleted.", 5, end=120),
    ]
    (result,) = clean_pages([page(1, *lines)])
    assert result.text.split("\n") == [
        "乙は、甲の書面による承諾を得た場合を除き、本業務の全部又は一部を第三者に再委託してはならない。",
        "２　乙は、前項の承諾を得て再委託する場合には、再委託先に対し本契約に",
        "（１）再委託先の名称",
        "Personal data shall be deleted.",
    ]


def test_kangxi_radicals_from_word_become_ideographs() -> None:
    (result,) = clean_pages([page(1, line("⽇本の⾏政", 0, end=200))])
    assert result.text == "日本の行政"
