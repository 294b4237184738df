"""Text-layer PDFs from a word processor (reportlab) and LibreOffice become clean page text."""

from __future__ import annotations

import re
import shutil

import pytest

from contracts.pages import PageText
from contracts.pdf import extract_pages
from tests import pdfgen
from tests.contracts.conftest import HEADER, TITLE, contract_text

PAGE_NUMBER_LINE = re.compile(r"^[-－‐―]?\s*[0-9０-９]+\s*[-－‐―]?$")


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def lines_of(pages: list[PageText]) -> list[str]:
    return [line for page in pages for line in page.text.split("\n")]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_clean(pages: list[PageText], source: str, *, header: str | None) -> None:
    """Every paragraph survives whole (unless split by a page break); no running text."""
    got = lines_of(pages)
    whole = set(got)
    joined = compact("".join(got))
    missing = [p for p in paragraphs(source) if compact(p) not in joined]
    assert not missing, f"lost text: {missing[:3]}"
    split = [p for p in paragraphs(source) if p not in whole]
    # A paragraph may only be split where a page ends.
    assert len(split) <= len(pages) - 1, f"paragraphs broken apart: {split}"
    assert not [line for line in got if PAGE_NUMBER_LINE.match(line.strip())]
    if header:
        assert header not in "\n".join(got)


@pytest.fixture(scope="module")
def needs_soffice() -> None:
    if shutil.which("soffice") is None:
        pdfgen.missing_tool("LibreOffice (soffice) is not installed")


def test_word_like_pdf_with_embedded_font_reads_as_paragraphs(contract: str) -> None:
    pdf = pdfgen.reportlab_pdf(contract, header=HEADER)
    pages = extract_pages(pdf)
    assert len(pages) >= 3
    assert pages[0].text.startswith(TITLE)
    assert all(not page.ocr and page.confidence is None and not page.vertical for page in pages)
    assert_clean(pages, contract, header=HEADER)


def test_non_embedded_cid_font_reads_the_same(contract: str) -> None:
    embedded = extract_pages(pdfgen.reportlab_pdf(contract, header=HEADER))
    standard = extract_pages(pdfgen.reportlab_pdf(contract, header=HEADER, embed_font=False))
    assert_clean(standard, contract, header=HEADER)
    assert compact("".join(p.text for p in standard)) == compact("".join(p.text for p in embedded))


def test_full_width_and_half_width_digits_stay_as_printed(contract_full_width: str) -> None:
    pages = extract_pages(pdfgen.reportlab_pdf(contract_full_width, header=HEADER))
    got = lines_of(pages)
    assert "第１４条（再委託の制限）" in got
    assert any(line.startswith("２　乙は、前項の義務") for line in got)
    assert "令和7年4月1日" in "".join(got)  # half-width digits inside stay half-width
    assert_clean(pages, contract_full_width, header=HEADER)


def test_long_sentence_broken_over_lines_is_one_line_again(contract: str) -> None:
    pages = extract_pages(pdfgen.reportlab_pdf(contract))
    item = "（２）研修の実施日、実施場所及び内容並びに受講した従事者の人数及び理解度の確認結果"
    assert item in lines_of(pages)
    assert sum(1 for line in lines_of(pages) if line.startswith("第") and "条（" in line) == 20


def test_articles_and_items_keep_their_own_lines(contract: str) -> None:
    got = lines_of(extract_pages(pdfgen.reportlab_pdf(contract)))
    for n in (1, 2, 20):
        assert any(line.startswith(f"第{n}条（") for line in got)
    assert "（１）従事者の氏名及び所属" in got


def test_page_numbers_without_header_are_removed(contract: str) -> None:
    pages = extract_pages(pdfgen.reportlab_pdf(contract, header=None))
    assert not any(PAGE_NUMBER_LINE.match(line) for line in lines_of(pages))
    assert not any(line.strip() in {"- 2 -", "-2-"} for line in lines_of(pages))


def test_vertical_word_like_pdf_reads_right_to_left() -> None:
    short_contract = contract_text(6)
    pages = extract_pages(pdfgen.reportlab_pdf(short_contract, vertical=True, header=HEADER))
    assert len(pages) >= 2
    assert all(page.vertical for page in pages)
    got = lines_of(pages)
    assert got[0] == TITLE
    assert "第1条（秘密保持）" in got
    assert_clean(pages, short_contract, header=HEADER)


def test_libreoffice_pdf(contract_full_width: str, needs_soffice: None) -> None:
    pages = extract_pages(pdfgen.libreoffice_pdf(contract_full_width))
    assert len(pages) >= 3
    assert_clean(pages, contract_full_width, header=pdfgen.LIBREOFFICE_HEADER)
    assert "第１４条（再委託の制限）" in lines_of(pages)


def test_libreoffice_vertical_pdf(contract_full_width: str, needs_soffice: None) -> None:
    pages = extract_pages(pdfgen.libreoffice_pdf(contract_full_width, vertical=True))
    assert all(page.vertical for page in pages)
    got = lines_of(pages)
    assert got[0] == TITLE
    assert "第１条（秘密保持）" in got
    assert_clean(pages, contract_full_width, header=pdfgen.LIBREOFFICE_HEADER)


def test_progress_is_reported_per_page(contract: str) -> None:
    calls: list[tuple[str, int, int]] = []
    pages = extract_pages(pdfgen.reportlab_pdf(contract), progress=lambda *a: calls.append(a))
    total = len(pages)
    assert calls == [("extracting", n, total) for n in range(1, total + 1)]


def test_in_process_parsing_gives_the_same_pages(contract: str, tmp_path) -> None:
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdfgen.reportlab_pdf(contract, header=HEADER))
    assert extract_pages(path, isolate=False) == extract_pages(str(path))
