"""The structured form of a contract: text, pages, articles, paragraphs, items and sentences.

Every element carries ``start``/``end`` character offsets into ``Document.text`` so that any
finding can point back at the exact words of the contract.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

# The elements live in their own module so that the scanner (structure.py) can build them
# without importing this one; they are re-exported here, where callers have always found them.
from contracts.elements import Article as Article
from contracts.elements import Document
from contracts.elements import Item as Item
from contracts.elements import PageSpan as PageSpan
from contracts.elements import Paragraph as Paragraph
from contracts.elements import Section as Section
from contracts.elements import Sentence as Sentence
from contracts.errors import ContractError, EmptyDocumentError, TextEncodingError
from contracts.pages import PageText, Progress
from contracts.structure import structure


def build_document(pages: Sequence[PageText]) -> Document:
    """Structure page texts into a Document (articles, paragraphs, items, sentences)."""
    return structure(pages)


def load(
    source: str | os.PathLike[str] | bytes,
    *,
    progress: Progress | None = None,
    ocr: bool = True,
    ocr_engine: str | None = None,
) -> Document:
    """Read a ``.txt`` (UTF-8) or ``.pdf`` file, or PDF bytes, into a Document."""
    if isinstance(source, bytes | bytearray):
        return _from_pdf(bytes(source), progress=progress, ocr=ocr, ocr_engine=ocr_engine)
    path = Path(source)
    if path.suffix.lower() == ".txt":
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ContractError(str(exc), message_ja=f"ファイルを開けません: {path.name}") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TextEncodingError(f"{path}: {exc}") from exc
        if not text.strip():
            raise EmptyDocumentError(str(path))
        if progress:
            progress("extracting", 1, 1)
        return build_document([PageText(number=1, text=text)])
    if not path.exists():
        raise ContractError(str(path), message_ja=f"ファイルが見つかりません: {path.name}")
    return _from_pdf(path, progress=progress, ocr=ocr, ocr_engine=ocr_engine)


def _from_pdf(
    source: bytes | Path, *, progress: Progress | None, ocr: bool, ocr_engine: str | None = None
) -> Document:
    # Imported lazily: PDF support pulls in pypdfium2/OCR and runs a child process.
    from contracts.pdf import extract_pages

    # The engine is passed only when chosen: None means extract_pages' own default.
    options = {"ocr_engine": ocr_engine} if ocr_engine else {}
    pages = extract_pages(source, progress=progress, ocr=ocr, **options)
    if not any(p.text.strip() for p in pages):
        raise EmptyDocumentError("no text")
    return build_document(pages)
