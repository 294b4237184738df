"""PDF files that cannot be a contract: cut short, without pages, blank, or a scan with no
legible text. Each is made on the fly; none is a real document."""

from __future__ import annotations

import functools
import io
import random

from pdfgen import _assemble, reportlab_pdf
from review_samples import STRONG

__all__ = ["blank_page_pdf", "no_pages_pdf", "truncated_pdf", "unreadable_scan_pdf"]


@functools.cache
def truncated_pdf() -> bytes:
    """A contract PDF whose download stopped half way (no xref, no trailer)."""
    whole = reportlab_pdf(STRONG)
    return whole[: len(whole) // 2]


@functools.cache
def no_pages_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    return _assemble(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


@functools.cache
def blank_page_pdf() -> bytes:
    """One A4 page with nothing on it (a scanner's empty output, a wrong export)."""
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


@functools.cache
def unreadable_scan_pdf() -> bytes:
    """An image-only page that opens but holds no legible text: scanner noise, faint ruled
    lines and a seal, as a scan of the back of a page or an over-exposed copy looks."""
    from PIL import Image, ImageDraw

    rng = random.Random(5)
    image = Image.new("RGB", (1654, 2339), "white")  # A4 at 200 dpi
    pixels = image.load()
    for _ in range(image.width * image.height // 300):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        shade = rng.randrange(0, 160)
        pixels[x, y] = (shade, shade, shade)
    draw = ImageDraw.Draw(image)
    draw.ellipse((1100, 1700, 1350, 1950), outline=(210, 30, 30), width=6)
    for k in range(8):
        y = 300 + k * 40
        draw.line((200, y, 1400, y + rng.randrange(-5, 5)), fill=(200, 200, 200), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=200)
    return buffer.getvalue()
