"""Lines with geometry → clean page text.

Both the text layer (PDFium) and OCR (Tesseract) produce :class:`RawPage` objects: lines in
reading order with their extent in a *reading frame* that is the same for horizontal and
vertical (縦書き) text:

* ``a0``/``a1``: where the line starts and ends along the reading direction (left→right for
  horizontal lines, top→bottom for vertical columns);
* ``b0``/``b1``: the line's extent across lines, growing in reading order (downwards for
  horizontal text, leftwards for vertical text).

This module removes running headers, footers and page numbers (text repeating at the page
edges) and re-joins lines that were broken inside a paragraph. It is pure Python and imports
nothing heavy, because the sandboxed child process imports it too.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any

from contracts.pages import PageText

__all__ = ["Line", "RawPage", "clean_pages"]


@dataclass(slots=True)
class Line:
    """One printed line (or 縦書き column) with its place on the page."""

    text: str
    a0: float
    a1: float
    b0: float
    b1: float
    size: float  # character size, same unit as the coordinates
    x: float  # centre of the line, fraction of the page width from the left (0..1)
    y: float  # centre of the line, fraction of the page height from the top (0..1)
    vertical: bool = False

    def to_json(self) -> list[Any]:
        """Compact form for the child → parent channel."""
        return [
            self.text,
            self.a0,
            self.a1,
            self.b0,
            self.b1,
            self.size,
            self.x,
            self.y,
            self.vertical,
        ]

    @classmethod
    def from_json(cls, row: list[Any]) -> Line:
        """Inverse of :meth:`to_json`, validating types (the child is not trusted)."""
        text, a0, a1, b0, b1, size, x, y, vertical = row
        if not isinstance(text, str):
            raise ValueError("line text must be a string")
        return cls(text, *(float(v) for v in (a0, a1, b0, b1, size, x, y)), bool(vertical))


@dataclass(slots=True)
class RawPage:
    """The lines of one page before cleaning."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    vertical: bool = False
    needs_ocr: bool = False
    ocr: bool = False
    confidence: float | None = None
    # OCR only (made in the parent, never sent by the child): (text, left, top, right, bottom)
    words: list[tuple[str, float, float, float, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Compact form for the child → parent channel."""
        data = asdict(self)
        data["lines"] = [line.to_json() for line in self.lines]
        del data["words"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RawPage:
        """Inverse of :meth:`to_json`, validating types (the child is not trusted)."""
        confidence = data.get("confidence")
        return cls(
            number=int(data["number"]),
            width=float(data["width"]),
            height=float(data["height"]),
            lines=[Line.from_json(row) for row in data["lines"]],
            vertical=bool(data["vertical"]),
            needs_ocr=bool(data["needs_ocr"]),
            ocr=bool(data["ocr"]),
            confidence=None if confidence is None else float(confidence),
        )


# --- running headers, footers, page numbers -------------------------------------------------

EDGE_ZONE = 0.15  # fraction of the page at each edge where running text lives
EDGE_LINES = 4  # running text is among the first/last few lines in reading order
REPEAT_SHARE = 0.4  # share of pages a running line must appear on
SET_APART_PITCH = 1.4  # running text is further from the body than this many line pitches

_DASH = "-‐‑‒–—―−~〜ー－"
_KANJI_DIGITS = "〇一二三四五六七八九十百"
_PAGE_NUMBER = re.compile(
    rf"""
    [{_DASH}]?\d{{1,4}}[{_DASH}]?                    # 3  -3-  －３－
    | [{_DASH}]?\d{{1,4}}/\d{{1,4}}[{_DASH}]?        # 3/18  - 3 / 18 -
    | (?:p|pp|page)\.?\d{{1,4}}(?:(?:of|/)\d{{1,4}})?  # p.3  Page 3 of 18
    | 第?\d{{1,4}}(?:頁|ページ)(?:/\d{{1,4}}(?:頁|ページ)?)?  # 3頁  3ページ
    | [{_DASH}][{_KANJI_DIGITS}]{{1,4}}[{_DASH}]        # ‐三‐ (縦書き)
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", _compact(text))


def _edge_zone(line: Line, page: RawPage) -> str | None:
    if line.vertical and page.vertical:
        if line.x >= 1 - EDGE_ZONE:
            return "right"
        if line.x <= EDGE_ZONE:
            return "left"
        return None
    if line.y <= EDGE_ZONE:
        return "top"
    if line.y >= 1 - EDGE_ZONE:
        return "bottom"
    return None


def _across(line: Line, page: RawPage) -> float:
    """Position of a line across the page, in the direction running text is set apart."""
    return line.x if line.vertical and page.vertical else line.y


def _set_apart(page: RawPage, i: int, zone: str) -> bool:
    """Whether line ``i`` is separated from the body by more than the usual line spacing.

    Running headers and footers sit in the margin, away from the text block; a body line
    that happens to repeat (the first line of a page) sits at the normal pitch.
    """
    here = _across(page.lines[i], page)
    others = [_across(line, page) for j, line in enumerate(page.lines) if j != i]
    # The body lies below a top line and above a bottom one; for 縦書き columns, left of a
    # right-edge column and right of a left-edge one.
    if zone in ("top", "left"):
        toward_body = [p - here for p in others if p > here]
    else:
        toward_body = [here - p for p in others if p < here]
    if not toward_body:  # nothing beyond it: it is the body (or a page of running text only)
        return False
    steps = [b - a for a, b in pairwise(sorted(others)) if b - a > 1e-4]
    if steps:
        pitch = statistics.median(steps)
    else:  # a single body line: measure against the character size instead
        extent = page.width if page.vertical else page.height
        pitch = 1.5 * page.lines[i].size / extent
    return min(toward_body) > SET_APART_PITCH * pitch


def _edge_candidates(page: RawPage) -> list[tuple[int, str]]:
    n = len(page.lines)
    near_ends = set(range(min(EDGE_LINES, n))) | set(range(max(0, n - EDGE_LINES), n))
    found = []
    for i in sorted(near_ends):
        zone = _edge_zone(page.lines[i], page)
        if zone is not None:
            found.append((i, zone))
    return found


def remove_running_lines(pages: list[RawPage]) -> None:
    """Drop page numbers and text that repeats at the page edges of many pages, in place."""
    candidates = {page.number: _edge_candidates(page) for page in pages}
    pages_with_key: dict[tuple[str, str], set[int]] = defaultdict(set)
    for page in pages:
        for i, zone in candidates[page.number]:
            pages_with_key[(zone, _running_key(page.lines[i].text))].add(page.number)
    needed = max(2, math.ceil(REPEAT_SHARE * len(pages)))
    for page in pages:
        drop = set()
        for i, zone in candidates[page.number]:
            text = page.lines[i].text
            page_number = _PAGE_NUMBER.fullmatch(_compact(text))
            repeated = len(pages_with_key[(zone, _running_key(text))]) >= needed
            if page_number or (repeated and _set_apart(page, i, zone)):
                drop.add(i)
        if drop:
            page.lines = [line for i, line in enumerate(page.lines) if i not in drop]


# --- re-joining lines broken inside a paragraph ------------------------------------------

_PARAGRAPH_START = re.compile(
    r"""
    第[0-9０-９一二三四五六七八九十百千]+[条章節款]     # 第3条  第二章
    | [(（][0-9０-９]{1,3}[)）]                          # (1)  （１）
    | [(（][一二三四五六七八九十]{1,3}[)）]               # （一）
    | [(（][ア-ンａ-ｚa-zＡ-ＺA-Z][)）]                   # （ア）  (a)
    | [0-9０-９]{1,2}[ 　](?![年月日条項号時分円人件回名部ヶか箇週%％])  # ２　乙は
    | [0-9０-９]{1,2}[.．][ 　]                            # 1.
    | [一二三四五六七八九十]{1,3}[ 　]                     # 一
    | [ア-ン][ 　]                                         # ア
    | [①-⑳㈠-㈩]
    | [・●○■□◆◇※＊]
    | [(（][^()（）]{1,20}[)）]$                           # （目的）  (a heading alone)
    | (?:記|以上)$
    """,
    re.VERBOSE,
)
_ITEM_MARKER = re.compile(
    r"[(（][0-9０-９一二三四五六七八九十ア-ンa-z]{1,3}[)）]"
    r"|[0-9０-９一二三四五六七八九十ア-ン]{1,2}[ 　.．]"
    r"|[①-⑳]"
)
_HEADING = re.compile(r"第[0-9０-９一二三四五六七八九十百千]+[条章節款](?:[（(][^）)]*[）)])?")
_SENTENCE_END = re.compile(r"[。．.！？!?][」』）)]*$")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9,;:]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9(]")

SHORT_LINE_CHARS = 1.5  # a line ending this many characters before the margin ends a paragraph
BLANK_LINE_PITCH = 1.6  # a gap this many line pitches wide is a blank line


@dataclass(slots=True)
class _Frame:
    """Where full lines end and continuation lines start, for one group of similar pages."""

    end: float
    start: float
    pitch: float
    size_tolerance: float  # relative size change that still counts as the same paragraph


def _group_key(page: RawPage) -> tuple[bool, bool, int, int]:
    return (page.ocr, page.vertical, round(page.width), round(page.height))


def _frames(pages: list[RawPage]) -> dict[tuple[bool, bool, int, int], _Frame]:
    groups: dict[tuple[bool, bool, int, int], list[RawPage]] = defaultdict(list)
    for page in pages:
        groups[_group_key(page)].append(page)
    frames = {}
    for key, group in groups.items():
        ends, starts, pitches = [], [], []
        for page in group:
            main = [ln for ln in page.lines if ln.vertical == page.vertical and len(ln.text) >= 4]
            if not main:
                continue
            ends.append(max(ln.a1 for ln in main))
            starts.extend(
                round(ln.a0 / max(ln.size, 1e-6) * 2) * max(ln.size, 1e-6) / 2 for ln in main
            )
            for prev, cur in pairwise(main):
                step = cur.b0 - prev.b0
                if 0 < step < 3 * cur.size:
                    pitches.append(step)
        if not ends:
            continue
        frames[key] = _Frame(
            end=statistics.median(ends),
            start=Counter(starts).most_common(1)[0][0] if starts else 0.0,
            pitch=statistics.median(pitches) if pitches else 0.0,
            size_tolerance=0.5 if key[0] else 0.2,  # OCR word boxes vary a lot in height
        )
    return frames


def _continues(prev: Line, cur: Line, first_of_paragraph: Line, frame: _Frame) -> bool:
    """Whether ``cur`` carries on the paragraph that ``prev`` belongs to."""
    size = max(prev.size, cur.size, 1e-6)
    if prev.vertical != cur.vertical or abs(prev.size - cur.size) > frame.size_tolerance * size:
        return False
    step = cur.b0 - prev.b0
    if step <= 0 or (frame.pitch and step > BLANK_LINE_PITCH * frame.pitch):
        return False
    if prev.a1 < frame.end - SHORT_LINE_CHARS * size:
        return False
    text = cur.text
    if not text or text[0] in " 　\t" or _PARAGRAPH_START.match(text):
        return False
    if _HEADING.fullmatch(prev.text):
        return False
    if _SENTENCE_END.search(prev.text) and cur.a0 > prev.a0 + 0.6 * size:
        # A new paragraph indented by layout, unless this is the continuation of a hanging
        # indent: an item (（１）…) whose later lines sit further in than its marker.
        hanging = prev is first_of_paragraph and _ITEM_MARKER.match(prev.text)
        return bool(hanging)
    return True


def _page_text(page: RawPage, frame: _Frame | None) -> str:
    paragraphs: list[str] = []
    prev: Line | None = None
    first: Line | None = None
    for line in page.lines:
        text = line.text.strip(" \t")
        if not text.strip():
            continue
        line.text = text
        if (
            prev is not None
            and first is not None
            and frame is not None
            and _continues(prev, line, first, frame)
        ):
            joint = (
                " " if _ASCII_WORD_END.search(prev.text) and _ASCII_WORD_START.match(text) else ""
            )
            paragraphs[-1] += joint + text
        else:
            paragraphs.append(text)
            first = line
        prev = line
    return "\n".join(p.rstrip() for p in paragraphs)


# Word and some Japanese office software map ordinary kanji to the look-alike Kangxi radical
# code points in their ToUnicode tables (⽇ for 日); the printed character is the ideograph.
_RADICALS = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for cp in [*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6)]
    if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
}


def clean_pages(pages: list[RawPage]) -> list[PageText]:
    """Turn raw pages into PageText: running headers/footers out, paragraphs re-joined."""
    remove_running_lines(pages)
    frames = _frames(pages)
    result = []
    for page in pages:
        text = _page_text(page, frames.get(_group_key(page)))
        if not page.ocr:
            text = text.translate(_RADICALS)
        result.append(
            PageText(
                number=page.number,
                text=text,
                ocr=page.ocr,
                confidence=page.confidence,
                vertical=page.vertical,
                words=tuple(page.words),
            )
        )
    return result
