"""The elements of a structured contract: pages, sections, articles, paragraphs, items and
sentences, each with ``start``/``end`` character offsets into ``Document.text``."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from contracts.ocr import LOW_CONFIDENCE


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
