"""The page-level result of extraction: what the PDF (or OCR) gave for each page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: progress(stage, done, total): stage is "extracting" or "ocr"; done/total count pages.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PageText:
    """The body text of one page, ready to be structured into a Document.

    ``text`` has running headers, footers and page numbers removed and lines re-joined inside
    sentences; paragraph breaks stay as ``"\\n"``. Characters are as printed (full-width digits
    stay full-width) except on OCR pages, which are NFKC-normalised.
    """

    number: int  # 1-based page number in the file
    text: str
    ocr: bool = False
    # OCR pages only: the share (0–100) of characters the engine was sure of; below
    # contracts.ocr.LOW_CONFIDENCE the page should be checked against the paper.
    confidence: float | None = None
    vertical: bool = False  # 縦書き
    # OCR pages only: the words (Tesseract) or lines (PP-OCR) read, as (text, left, top,
    # right, bottom), fractions of the page from its top left, so that a sentence can be
    # shown on the page image.
    words: tuple[tuple[str, float, float, float, float], ...] = ()
