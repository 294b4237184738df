"""Scanned (image-only) pages are read by Tesseract: horizontal and 縦書き, stamped and skewed."""

from __future__ import annotations

import re

import pytest

from contracts.errors import OCRUnavailableError
from contracts.pdf import extract_pages
from tests import pdfgen
from tests.contracts.conftest import contract_text

pytestmark = pytest.mark.slow

KEY_PHRASES = ["業務委託契約書", "秘密保持", "再委託", "個人情報", "研修"]


@pytest.fixture(scope="module", autouse=True)
def needs_tesseract() -> None:
    if not pdfgen.tesseract_ready():
        pdfgen.missing_tool("tesseract with jpn and jpn_vert is not installed")


def found(text: str) -> list[str]:
    flat = re.sub(r"\s+", "", text)
    return [phrase for phrase in KEY_PHRASES if phrase in flat]


def test_scanned_page_is_read_by_ocr() -> None:
    calls: list[tuple[str, int, int]] = []
    pages = extract_pages(pdfgen.scanned_pdf(contract_text(3)), progress=lambda *a: calls.append(a))
    assert all(page.ocr for page in pages)
    assert all(page.confidence is not None and page.confidence > 60 for page in pages)
    text = "\n".join(page.text for page in pages)
    assert len(found(text)) >= 4, text
    assert "第1条" in text.replace(" ", "")
    assert not re.search(r"[０-９（）]", text)  # NFKC-normalised
    assert not re.search(r"[぀-ヿ一-鿿] [぀-ヿ一-鿿]", text)  # no spaces inside Japanese
    ocr_calls = [c for c in calls if c[0] == "ocr"]
    assert ocr_calls[-1] == ("ocr", len(pages), len(pages))
    assert [c for c in calls if c[0] == "extracting"][-1][1] == len(pages)


def test_scanned_vertical_page_is_read_with_vertical_model() -> None:
    pages = extract_pages(pdfgen.scanned_pdf(contract_text(2), vertical=True))
    assert pages[0].ocr and pages[0].vertical
    assert len(found(pages[0].text)) >= 3, pages[0].text


def test_scanned_page_without_ocr_is_refused() -> None:
    with pytest.raises(OCRUnavailableError) as caught:
        extract_pages(pdfgen.scanned_pdf(contract_text(3)), ocr=False)
    assert "OCR" in caught.value.message_ja
