"""Find a sentence of the extracted text on its page and return the boxes that cover it.

The evidence sentences come from the cleaned text (running heads removed, lines re-joined,
spaces normalised); the page has its characters with boxes, from PDFium's text layer or from
Tesseract's word boxes. Both sides are compared *compacted* (NFKC, Kangxi radicals mapped to
their ideographs, no whitespace), which makes the sentence a run of the page's characters in
the usual case. When it is not (a page number between two halves of a sentence, columns read
in another order), the longest common run anchors an alignment inside a window around it.

Pure Python, no PDF library: the sandboxed child imports it for text-layer pages, the worker
for OCR pages.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

__all__ = ["Box", "PageChars", "compact", "locate", "merge_boxes"]

MIN_ANCHOR = 6  # characters of the longest common run before an alignment is trusted
MIN_BLOCK = 2  # shorter matching blocks in the alignment are noise (one common kana)
CONTINUES_WITHIN = 40  # a sentence that runs on starts this close to the next page's start
_PAD = 0.002  # fraction of the page added around each box


def _radicals() -> dict[int, str]:
    return {
        cp: unicodedata.normalize("NFKC", chr(cp))
        for cp in [*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6)]
        if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    }


_RADICALS = _radicals()


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle as fractions of the page: left, top, right, bottom (origin top left)."""

    left: float
    top: float
    right: float
    bottom: float

    def to_list(self) -> list[float]:
        """Rounded to 0.1 ‰ of the page, for storage."""
        return [round(v, 4) for v in (self.left, self.top, self.right, self.bottom)]

    @classmethod
    def from_list(cls, values: Sequence[float]) -> Box:
        """Inverse of :meth:`to_list`, clamped to the page (the values may be untrusted)."""
        left, top, right, bottom = (min(max(float(v), 0.0), 1.0) for v in values)
        return cls(left, top, right, bottom)


def compact(text: str) -> str:
    """The characters that are compared: NFKC, radicals as ideographs, no whitespace."""
    normal = unicodedata.normalize("NFKC", text.translate(_RADICALS))
    return "".join(ch for ch in normal if not ch.isspace())


@dataclass
class PageChars:
    """A page's printed characters in reading order, compacted, each with its box."""

    text: str
    boxes: list[Box]

    @classmethod
    def build(cls, chars: Sequence[tuple[str, Box]]) -> PageChars:
        """From (character as printed, box) pairs; one printed character may compact to
        several (㈱ → (株)) or to none (a space)."""
        text: list[str] = []
        boxes: list[Box] = []
        for ch, box in chars:
            for part in compact(ch):
                text.append(part)
                boxes.append(box)
        return cls("".join(text), boxes)

    @classmethod
    def from_words(cls, words: Sequence[tuple[str, Box]], *, vertical: bool) -> PageChars:
        """From OCR words: each word's box is shared out evenly among its characters."""
        chars: list[tuple[str, Box]] = []
        for word, box in words:
            letters = compact(word)
            n = len(letters) or 1
            for i, ch in enumerate(letters):
                if vertical:
                    step = (box.bottom - box.top) / n
                    part = Box(box.left, box.top + i * step, box.right, box.top + (i + 1) * step)
                else:
                    step = (box.right - box.left) / n
                    part = Box(box.left + i * step, box.top, box.left + (i + 1) * step, box.bottom)
                chars.append((ch, part))
        return cls.build(chars)


@dataclass(frozen=True)
class Match:
    """Where a sentence was found: page character indices, and how much of it they cover."""

    indices: list[int]
    last_sentence_index: int  # the sentence's last character that was found
    coverage: float  # share of the sentence's characters found
    length: int = 0  # characters of the (compacted) sentence


def locate(
    sentence: str, page: PageChars, *, position: float | None = None, near_start: bool = False
) -> Match:
    """The page characters that print ``sentence``.

    ``position`` is where the sentence starts in the page's extracted text (0 top … 1 end):
    contracts repeat sentences word for word, so the occurrence nearest to it is taken and
    one far from it is not. ``near_start`` asks for a continuation from the previous page:
    the match must begin in the first characters of the page, or nothing is returned.
    """
    wanted = compact(sentence)
    empty = Match([], -1, 0.0)
    if not wanted or not page.text:
        return empty
    low, high = 0, len(page.text)
    if near_start:
        high = min(high, CONTINUES_WITHIN + len(wanted))
    elif position is not None:
        centre = position * len(page.text)
        reach = len(wanted) + 0.25 * len(page.text) + 20
        low, high = max(0, int(centre - reach)), min(len(page.text), int(centre + reach))
    exact = []
    at = page.text.find(wanted, low)
    while at >= 0 and at + len(wanted) <= high:
        exact.append(at)
        at = page.text.find(wanted, at + 1)
    if exact:
        centre = (position or 0.0) * len(page.text)
        at = min(exact, key=lambda i: abs(i - centre)) if position is not None else exact[0]
        return Match(list(range(at, at + len(wanted))), len(wanted) - 1, 1.0, len(wanted))
    finder = SequenceMatcher(None, page.text, wanted, autojunk=False)
    anchor = finder.find_longest_match(low, high, 0, len(wanted))
    if anchor.size < min(MIN_ANCHOR, len(wanted)):
        return empty
    slack = len(wanted) // 5 + 10
    start = max(0, anchor.a - anchor.b - slack)
    stop = min(len(page.text), anchor.a + (len(wanted) - anchor.b) + slack)
    aligner = SequenceMatcher(None, page.text[start:stop], wanted, autojunk=False)
    indices: list[int] = []
    last = -1
    for block in aligner.get_matching_blocks():
        if block.size >= MIN_BLOCK or block.size == len(wanted):
            indices.extend(range(start + block.a, start + block.a + block.size))
            last = max(last, block.b + block.size - 1)
    if not indices or (near_start and indices[0] > CONTINUES_WITHIN):
        return empty
    return Match(indices, last, len(indices) / len(wanted), len(wanted))


def runs_on(match: Match, page: PageChars) -> bool:
    """Whether a sentence whose end was not found reaches the end of the page (and so
    continues on the next one)."""
    return (
        bool(match.indices)
        and match.last_sentence_index < match.length - 1
        and max(match.indices) >= len(page.text) - CONTINUES_WITHIN
    )


def merge_boxes(boxes: Sequence[Box]) -> list[Box]:
    """Character boxes in reading order → one box per printed line (or 縦書き column)."""
    if not boxes:
        return []
    steps = [(b.left - a.left, b.top - a.top) for a, b in pairwise(boxes)]
    vertical = (
        bool(steps)
        and statistics.median([1.0 if abs(dy) > abs(dx) else 0.0 for dx, dy in steps]) >= 0.5
    )
    lines: list[Box] = [boxes[0]]
    for box in boxes[1:]:
        line = lines[-1]
        if vertical:
            overlap = min(line.right, box.right) - max(line.left, box.left)
            size = min(line.right - line.left, box.right - box.left)
            same = overlap > 0.5 * size and box.top >= line.top - 0.5 * size
        else:
            overlap = min(line.bottom, box.bottom) - max(line.top, box.top)
            size = min(line.bottom - line.top, box.bottom - box.top)
            same = overlap > 0.5 * size and box.left >= line.left - 0.5 * size
        if same and size > 0:
            lines[-1] = Box(
                min(line.left, box.left),
                min(line.top, box.top),
                max(line.right, box.right),
                max(line.bottom, box.bottom),
            )
        else:
            lines.append(box)
    return [
        Box(
            max(b.left - _PAD, 0.0),
            max(b.top - _PAD, 0.0),
            min(b.right + _PAD, 1.0),
            min(b.bottom + _PAD, 1.0),
        )
        for b in lines
    ]
