"""Page images with the evidence sentences highlighted: PDF bytes → PNG per page + boxes.

The untrusted PDF is opened again in a sandboxed child (:class:`contracts.isolation.Sandbox`,
same memory, CPU and time limits as extraction). The child finds each requested sentence
among the page's characters (:mod:`contracts.highlight`) and sends the boxes as JSON and the
page as raw RGB pixels; the parent checks the pixel count and encodes the PNG itself, so no
image bytes made by the child ever reach a browser.

Scanned pages have no text layer: their boxes come from the OCR words kept by extraction
(``PageText.words``), matched in the parent.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from contracts import errors
from contracts.highlight import Box, PageChars, compact, locate, merge_boxes, runs_on
from contracts.isolation import Sandbox, apply_limits
from contracts.limits import Limits

__all__ = ["DEFAULT_DPI", "HighlightRequest", "PageImage", "render_page_images"]

DEFAULT_DPI = 110  # an A4 page 910 px wide: readable on screen, small to send
MAX_PAGE_IMAGES = 60


@dataclass(frozen=True)
class HighlightRequest:
    """Highlight ``text`` (an evidence sentence, as extracted) found on page ``page``."""

    key: str
    page: int
    text: str
    # Where the sentence starts in its page's extracted text, 0 … 1 (a repeated sentence is
    # then found at the right place); None when unknown.
    position: float | None = None


@dataclass
class PageImage:
    """One rendered page: the PNG and, per request key, the boxes to highlight on it."""

    number: int
    width: int
    height: int
    png: bytes
    highlights: dict[str, list[Box]] = field(default_factory=dict)
    ocr: bool = False


def render_page_images(
    data: bytes,
    requests: Sequence[HighlightRequest],
    *,
    ocr_words: Mapping[int, tuple[bool, Sequence[tuple[str, Box]]]] | None = None,
    limits: Limits | None = None,
    dpi: int = DEFAULT_DPI,
    max_pages: int = MAX_PAGE_IMAGES,
) -> list[PageImage]:
    """Render the pages the requests point at (and a next page a sentence runs on to).

    ``ocr_words`` maps OCR'd page numbers to (vertical, [(word, box)]): those pages are
    matched against Tesseract's words. Raises a ContractError subclass on a hostile file.
    """
    limits = limits or Limits()
    ocr_words = dict(ocr_words or {})
    pages = sorted({r.page for r in requests})[:max_pages]
    wanted = [r for r in requests if r.page in pages]
    payload = {
        "requests": [
            [r.key, r.page, r.text, r.position] for r in wanted if r.page not in ocr_words
        ],
        "pages": pages,
        "dpi": dpi,
        "max_pages": max_pages,
    }
    deadline = time.monotonic() + limits.timeout_seconds
    sandbox = Sandbox(_child_main, (data, limits.to_dict(), payload), limits, deadline=deadline)
    images: list[PageImage] = []
    try:
        while True:
            message = sandbox._message()
            if message["t"] == "end":
                break
            width, height = int(message["width"]), int(message["height"])
            if not (0 < width * height <= limits.max_render_pixels):
                raise errors.BrokenPDFError("page image size out of range")
            pixels = sandbox._receive()
            if len(pixels) != width * height * 3:
                raise errors.BrokenPDFError("page image size mismatch")
            number = int(message["number"])
            highlights = {
                str(key): [Box.from_list(b) for b in boxes]
                for key, boxes in dict(message["boxes"]).items()
            }
            images.append(PageImage(number, width, height, _png(width, height, pixels), highlights))
    finally:
        sandbox.close()
    for image in images:
        if image.number in ocr_words:
            vertical, words = ocr_words[image.number]
            image.ocr = True
            chars = PageChars.from_words(words, vertical=vertical)
            for request in wanted:
                if request.page == image.number:
                    found = locate(request.text, chars, position=request.position)
                    boxes = merge_boxes([chars.boxes[i] for i in found.indices])
                    if boxes:
                        image.highlights[request.key] = boxes
    return images


def _png(width: int, height: int, pixels: bytes) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    # A contract page is mostly white and black: a 256-colour palette (fast octree) keeps
    # it legible, seals red, at a quarter of the size of full colour and a tenth of the time
    # of median cut (bench/bench_pages.py).
    image = Image.frombytes("RGB", (width, height), pixels).quantize(
        colors=256, method=Image.Quantize.FASTOCTREE
    )
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


# --- child side -------------------------------------------------------------------------


def _child_main(
    conn: Connection, data: bytes, limits_dict: dict[str, Any], payload: dict[str, Any]
) -> None:
    limits = Limits(**limits_dict)
    apply_limits(limits)

    def send(message: dict[str, Any]) -> None:
        conn.send_bytes(json.dumps(message, ensure_ascii=False).encode())

    try:
        from contracts.textlayer import PdfTextReader

        reader = PdfTextReader(data, limits)
        del data
        count = reader.page_count
        chars: dict[int, PageChars] = {}

        def page_chars(number: int) -> PageChars:
            if number not in chars:
                chars[number] = PageChars.build(
                    [(ch, Box(*box)) for ch, box in reader.char_boxes(number - 1)]
                )
            return chars[number]

        pages = [n for n in payload["pages"] if 1 <= n <= count]
        boxes: dict[int, dict[str, list[list[float]]]] = {n: {} for n in pages}
        for key, number, text, position in payload["requests"]:
            if number not in boxes:
                continue
            here = page_chars(number)
            found = locate(text, here, position=position)
            if found.indices:
                boxes[number][key] = [
                    b.to_list() for b in merge_boxes([here.boxes[i] for i in found.indices])
                ]
            following = number + 1
            if runs_on(found, here) and following <= count:
                rest = _rest_of(text, found.last_sentence_index)
                there = page_chars(following)
                more = locate(rest, there, near_start=True)
                if more.indices and len(boxes) < payload["max_pages"]:
                    boxes.setdefault(following, {})[key] = [
                        b.to_list() for b in merge_boxes([there.boxes[i] for i in more.indices])
                    ]
        for number in sorted(boxes):
            width, height, pixels = reader.render_rgb(number - 1, int(payload["dpi"]))
            send(
                {
                    "t": "page",
                    "number": number,
                    "width": width,
                    "height": height,
                    "boxes": boxes[number],
                }
            )
            conn.send_bytes(pixels)
        send({"t": "end"})
        reader.close()
    except errors.ContractError as exc:
        send({"t": "error", "code": exc.code, "detail": exc.detail, "message_ja": exc.message_ja})
    except MemoryError:
        send({"t": "error", "code": errors.LimitExceededError.code, "detail": "out of memory"})
    except Exception as exc:  # a parser failure on hostile input is a broken file
        send({"t": "error", "code": errors.BrokenPDFError.code, "detail": repr(exc)[:500]})
    finally:
        conn.close()


def _rest_of(text: str, last_found: int) -> str:
    """The part of ``text`` after its ``last_found``-th compacted character."""
    return compact(text)[last_found + 1 :]
