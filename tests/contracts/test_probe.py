"""Opening an untrusted PDF before it is stored: readable files are summarised, every kind of
unreadable file is refused with its own code and Japanese message (all in the sandbox)."""

from __future__ import annotations

import pytest
from unreadable_pdfs import blank_page_pdf, no_pages_pdf, truncated_pdf, unreadable_scan_pdf

from contracts import errors
from contracts.probe import probe_pdf
from pdfgen import encrypted_pdf, recursive_page_tree_pdf, reportlab_pdf, scanned_pdf
from review_samples import STRONG


def test_a_text_pdf_is_summarised():
    summary = probe_pdf(reportlab_pdf(STRONG))
    assert summary.pages >= 1 and summary.text_chars > 100 and summary.images == 0


@pytest.mark.parametrize("make", [lambda: scanned_pdf(STRONG, max_pages=1), unreadable_scan_pdf])
def test_a_scan_opens_with_its_image(make):
    summary = probe_pdf(make())
    assert summary.pages == 1 and summary.text_chars == 0 and summary.images == 1


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (truncated_pdf, errors.BrokenPDFError),
        (recursive_page_tree_pdf, errors.BrokenPDFError),
        (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 100, errors.BrokenPDFError),
        (encrypted_pdf, errors.EncryptedPDFError),
        (no_pages_pdf, errors.NoPagesError),
        (blank_page_pdf, errors.BlankPDFError),
        (lambda: b"GIF89a not a pdf", errors.NotPDFError),
    ],
    ids=["truncated", "recursive", "garbage", "encrypted", "no-pages", "blank", "not-pdf"],
)
def test_unreadable_files_are_refused_in_japanese(make, error):
    with pytest.raises(error) as caught:
        probe_pdf(make())
    assert caught.value.message_ja and caught.value.code == error.code


def test_more_pages_than_allowed_are_refused():
    long_text = "\n".join([STRONG] * 4)
    assert probe_pdf(reportlab_pdf(long_text)).pages > 2
    with pytest.raises(errors.TooManyPagesError):
        probe_pdf(reportlab_pdf(long_text), max_pages=2)
