"""The structured form of a contract: text, pages, articles, paragraphs, items and sentences.

Every element carries ``start``/``end`` character offsets into ``Document.text`` so that any
finding can point back at the exact words of the contract.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contracts.errors import ContractError, EmptyDocumentError, TextEncodingError
from contracts.pages import PageText, Progress


@dataclass(frozen=True)
class PageSpan:
    """Where one page of the source lies in ``Document.text``."""

    number: int
    start: int
    end: int
    ocr: bool = False
    confidence: float | None = None  # OCR pages: share of characters read with confidence
    vertical: bool = False

    @property
    def low_confidence(self) -> bool:
        """Whether this page was read by OCR with too little confidence to go unchecked."""
        from contracts.ocr import LOW_CONFIDENCE

        return self.ocr and (self.confidence or 0.0) < LOW_CONFIDENCE


@dataclass(frozen=True)
class Section:
    """An attached part of the contract (別記, 別紙２, 別添 …) or the main body (label ``""``)."""

    index: int
    label: str
    title: str
    start: int
    end: int
    page: int


@dataclass(frozen=True)
class Article:
    """One article (条) as written: ``label`` 第６条, ``number`` 6, ``heading`` 秘密の保持."""

    index: int
    label: str
    number: int
    heading: str
    start: int
    end: int
    page: int
    section: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (項); the first of an article is 第1項 even though it has no number."""

    index: int
    label: str  # as written ("２"), "" for the implicit first paragraph
    number: int
    start: int
    end: int
    page: int
    article: int | None
    section: int


@dataclass(frozen=True)
class Item:
    """One item (号 or a sub-item): ``label`` as written, e.g. （１）, (1), 一, ア."""

    index: int
    label: str
    number: int
    level: int
    start: int
    end: int
    page: int
    paragraph: int | None
    parent: int | None


@dataclass(frozen=True)
class Sentence:
    """One sentence (or heading/item fragment) with its place in the structure.

    ``kind`` is ``body`` (a sentence ending in 。), ``item`` (the text of an item),
    ``heading`` (an article heading, a title, a table-of-contents or chapter line) or
    ``fragment`` (other unterminated text). ``proviso_of`` links a ただし sentence to the
    sentence it qualifies; ``lead`` links an item to the sentence introducing the list.
    """

    index: int
    start: int
    end: int
    text: str
    page: int
    citation: str
    kind: str
    section: int
    article: int | None
    paragraph: int | None
    item: int | None
    proviso_of: int | None = None
    lead: int | None = None


@dataclass(frozen=True)
class Document:
    """A contract as text plus its structure."""

    text: str
    pages: tuple[PageSpan, ...]
    sections: tuple[Section, ...]
    articles: tuple[Article, ...]
    paragraphs: tuple[Paragraph, ...]
    items: tuple[Item, ...]
    sentences: tuple[Sentence, ...]

    @property
    def ocr(self) -> bool:
        """True when any page was read by OCR."""
        return any(p.ocr for p in self.pages)

    def page(self, number: int) -> PageSpan | None:
        """The page numbered ``number``, if the document has it."""
        return next((p for p in self.pages if p.number == number), None)

    def page_at(self, offset: int) -> int:
        """The page number holding character ``offset``."""
        starts = [p.start for p in self.pages]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.pages[i].number if self.pages else 1

    def provisos(self, index: int) -> list[Sentence]:
        """The ただし sentences that qualify sentence ``index``."""
        return [s for s in self.sentences if s.proviso_of == index]

    def items_of(self, index: int) -> list[Sentence]:
        """The item sentences introduced by sentence ``index``."""
        return [s for s in self.sentences if s.lead == index]


def build_document(pages: Sequence[PageText]) -> Document:
    """Structure page texts into a Document (articles, paragraphs, items, sentences)."""
    from contracts.structure import structure

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
