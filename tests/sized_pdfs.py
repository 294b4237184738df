"""Real, readable one-page PDFs of any size and unique content, for tests that need many
distinct files (uploads now open every PDF before storing it, so random bytes behind a
``%PDF`` header no longer pass)."""

from __future__ import annotations

import os

from pdfgen import _assemble

__all__ = ["pdf_with_payload"]


def pdf_with_payload(size: int = 4096, *, payload: bytes | None = None) -> bytes:
    """A one-page PDF that prints a line, carrying ``payload`` (default: ``size`` random
    bytes) in an object no page uses, so that each call yields a different, valid file."""
    data = os.urandom(size) if payload is None else payload
    content = b"BT /F1 12 Tf 72 760 Td (Contract for a test) Tj ET"
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
        ]
    )
