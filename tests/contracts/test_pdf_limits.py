"""Files that are not PDFs, are locked, broken or hostile fail cleanly, within the limits."""

from __future__ import annotations

import time

import pytest

from contracts.errors import (
    BrokenPDFError,
    EmptyDocumentError,
    EncryptedPDFError,
    LimitExceededError,
    NotPDFError,
    TooManyPagesError,
)
from contracts.pdf import Limits, extract_pages
from tests import pdfgen
from tests.contracts.conftest import contract_text

FAST = 15.0  # seconds: every failure here must come back well within this


def fails_within(
    error: type[Exception], source: bytes, seconds: float = FAST, **kwargs
) -> Exception:
    start = time.monotonic()
    with pytest.raises(error) as caught:
        extract_pages(source, **kwargs)
    assert time.monotonic() - start < seconds
    return caught.value


def test_not_a_pdf() -> None:
    error = fails_within(NotPDFError, "契約書です。".encode())
    assert error.code == "not_pdf" and "PDF" in error.message_ja


def test_pdf_header_must_be_near_the_start() -> None:
    fails_within(NotPDFError, b" " * 2000 + pdfgen.reportlab_pdf("本文"))


def test_header_after_a_little_junk_is_accepted() -> None:
    pages = extract_pages(b"junk\n" + pdfgen.reportlab_pdf("第1条（目的）\n本文である。"))
    assert "本文である。" in pages[0].text


def test_not_a_pdf_from_a_path(tmp_path) -> None:
    path = tmp_path / "contract.docx"
    path.write_bytes(b"PK\x03\x04 a zip file")
    fails_within(NotPDFError, path)


def test_encrypted_pdf() -> None:
    fails_within(EncryptedPDFError, pdfgen.encrypted_pdf())


def test_truncated_pdf_is_broken() -> None:
    pdf = pdfgen.reportlab_pdf(contract_text(3))
    fails_within(BrokenPDFError, pdf[: len(pdf) // 3])


def test_garbage_after_the_header_is_broken() -> None:
    fails_within(BrokenPDFError, b"%PDF-1.7\n" + bytes(range(256)) * 64)


def test_recursive_page_tree_is_broken() -> None:
    fails_within(BrokenPDFError, pdfgen.recursive_page_tree_pdf())


def test_decompression_bomb_stops_at_the_memory_limit() -> None:
    limits = Limits(max_memory_bytes=512 * 2**20, timeout_seconds=60)
    error = fails_within(LimitExceededError, pdfgen.decompression_bomb_pdf(), 60, limits=limits)
    assert error.code == "limit_exceeded"


def test_too_many_pages() -> None:
    pdf = pdfgen.reportlab_pdf(contract_text(20))
    error = fails_within(TooManyPagesError, pdf, limits=Limits(max_pages=2))
    assert "上限（2ページ）" in error.message_ja


def test_text_size_limit() -> None:
    pdf = pdfgen.reportlab_pdf(contract_text(20))
    fails_within(LimitExceededError, pdf, limits=Limits(max_text_chars=500))


def test_wall_clock_timeout_kills_the_parser() -> None:
    pdf = pdfgen.reportlab_pdf(contract_text(20))
    error = fails_within(LimitExceededError, pdf, 5, limits=Limits(timeout_seconds=0.001))
    assert "制限時間" in error.message_ja


def test_file_size_limit(tmp_path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(pdfgen.reportlab_pdf(contract_text(3)))
    fails_within(LimitExceededError, path, limits=Limits(max_file_bytes=1000))


def test_blank_pdf_is_empty() -> None:
    fails_within(EmptyDocumentError, pdfgen.reportlab_pdf("\n", footer_page_numbers=False))


def test_the_caller_survives_and_can_go_on() -> None:
    with pytest.raises(LimitExceededError):
        extract_pages(pdfgen.decompression_bomb_pdf(), limits=Limits(max_memory_bytes=512 * 2**20))
    assert extract_pages(pdfgen.reportlab_pdf("第1条（目的）\n本文である。"))[0].text
