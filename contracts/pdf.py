"""PDF bytes → clean text per page, safely: the public entry point of text extraction."""

from __future__ import annotations

import os
import time
from pathlib import Path

from contracts.errors import (
    EmptyDocumentError,
    LimitExceededError,
    NotPDFError,
    OCRUnavailableError,
)
from contracts.isolation import InProcessReader, IsolatedReader, PageSource
from contracts.layout import clean_pages
from contracts.limits import Limits
from contracts.ocr import ocr_pages
from contracts.pages import PageText, Progress

__all__ = ["Limits", "extract_pages"]

PDF_HEADER_WINDOW = 1024


def _read(source: bytes | str | os.PathLike[str], limits: Limits) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        path = Path(source)
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise LimitExceededError(
                f"file of {size} bytes > {limits.max_file_bytes}",
                message_ja="ファイルのサイズが上限を超えています。",
            )
        data = path.read_bytes()
    if len(data) > limits.max_file_bytes:
        raise LimitExceededError(
            f"file of {len(data)} bytes > {limits.max_file_bytes}",
            message_ja="ファイルのサイズが上限を超えています。",
        )
    if b"%PDF" not in data[:PDF_HEADER_WINDOW]:
        raise NotPDFError("no %PDF header in the first 1024 bytes")
    return data


def extract_pages(
    source: bytes | str | os.PathLike[str],
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
    ocr: bool = True,
    isolate: bool = True,
    ocr_engine: str | None = None,
) -> list[PageText]:
    """Read a PDF into clean per-page text, with OCR for scanned pages.

    Parsing runs in a resource-limited child process; ``isolate=False`` parses in this process
    and is meant only for trusted files (benchmarks). Raises a ContractError subclass for files
    that are not PDFs, encrypted, broken, too large, unreadable or need OCR that is off.
    ``ocr_engine`` is "ppocr" or "tesseract" (None: ``contracts.ocr.DEFAULT_ENGINE``).
    """
    limits = limits or Limits()
    deadline = time.monotonic() + limits.timeout_seconds
    data = _read(source, limits)
    reader: PageSource
    if isolate:
        reader = IsolatedReader(data, limits, deadline=deadline)
    else:
        reader = InProcessReader(data, limits)
    del data
    with reader:
        raw_pages = reader.read_pages(progress)
        scanned = [page.number for page in raw_pages if page.needs_ocr]
        if scanned:
            if not ocr:
                raise OCRUnavailableError(f"OCR is off; scanned pages: {scanned}")
            recognised = ocr_pages(
                scanned,
                reader.render,
                limits=limits,
                deadline=deadline,
                progress=progress,
                engine=ocr_engine,
            )
            raw_pages = [recognised.get(page.number, page) for page in raw_pages]
    pages = clean_pages(raw_pages)
    if not any(page.text.strip() for page in pages):
        raise EmptyDocumentError("no text on any page")
    return pages
