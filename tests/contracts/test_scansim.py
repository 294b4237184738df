"""The scan maker: image-only JPEG pages, red seals over the text, rotation, noise, photos."""

from __future__ import annotations

import re

import numpy as np
import pypdfium2 as pdfium
import pytest

from contracts.scansim import scan_pdf
from tests import pdfgen
from tests.contracts.conftest import contract_text


@pytest.fixture(scope="module")
def source() -> bytes:
    return pdfgen.reportlab_pdf(contract_text(30))


def _pages(pdf: bytes) -> list[np.ndarray]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [
            np.asarray(page.render(scale=100 / 72).to_pil().convert("RGB")) for page in document
        ]
    finally:
        document.close()


def _red(pixels: np.ndarray) -> int:
    r, g, b = (pixels[..., i].astype(int) for i in range(3))
    return int(((r - g > 60) & (r - b > 60)).sum())


def test_scan_is_image_only_jpeg_with_seals_on_first_and_last_page(source: bytes) -> None:
    scanned = scan_pdf(source, seed=1)
    document = pdfium.PdfDocument(scanned)
    original = pdfium.PdfDocument(source)
    count = len(document)
    assert count == len(original) >= 3
    original.close()
    assert all(document[i].get_textpage().count_chars() == 0 for i in range(count))
    document.close()
    assert scanned.count(b"/DCTDecode") == count
    pages = _pages(scanned)
    red = [_red(page) for page in pages]
    assert red[0] > 500 and red[-1] > 500, red
    assert all(value < 50 for value in red[1:-1]), red


def test_scan_adds_noise_and_is_reproducible(source: bytes) -> None:
    first = scan_pdf(source, seed=5, max_pages=1)
    assert first == scan_pdf(source, seed=5, max_pages=1)
    assert first != scan_pdf(source, seed=6, max_pages=1)
    page = _pages(first)[0].astype(float).mean(axis=2)
    paper = page[20:120, 20:120]  # a blank margin: noise, not a flat white
    assert 4 < paper.std() < 20


def test_photographed_page_is_darker_and_uneven(source: bytes) -> None:
    photo = _pages(scan_pdf(source, seed=2, photographed=True, max_pages=1))[0].mean(axis=2)
    h, w = photo.shape
    corners = [photo[:60, :60], photo[:60, -60:], photo[-60:, :60], photo[-60:, -60:]]
    brightness = sorted(float(c.mean()) for c in corners)
    assert brightness[-1] - brightness[0] > 25  # light falls off, a shadow lies over a corner
    assert not re.search(rb"/Font", scan_pdf(source, seed=2, photographed=True, max_pages=1))
    assert h > 0 and w > 0
