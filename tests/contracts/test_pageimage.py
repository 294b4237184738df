"""Page images with the evidence highlighted: the sentence is found among the page's
characters (text layer or OCR words), boxes are merged per line, rendering is sandboxed."""

from __future__ import annotations

import io

import pytest

from contracts.document import build_document
from contracts.errors import LimitExceededError
from contracts.highlight import Box, PageChars, locate, merge_boxes
from contracts.pageimage import HighlightRequest, render_page_images
from contracts.pdf import extract_pages
from tests import pdfgen
from tests.contracts.conftest import contract_text


def _row(text: str, *, top: float, left: float = 0.1, width: float = 0.02) -> list:
    return [
        (ch, Box(left + i * width, top, left + (i + 1) * width, top + 0.02))
        for i, ch in enumerate(text)
    ]


# --- finding the sentence -------------------------------------------------------------------


def test_a_sentence_over_two_lines_is_found_and_boxed_per_line() -> None:
    page = PageChars.build(
        _row("第１条（秘密保持）", top=0.10)
        + _row("乙は、知り得た個人情報を他に漏らしてはな", top=0.13)
        + _row("らない。", top=0.16)
    )
    found = locate("乙は、知り得た個人情報を他に漏らしてはならない。", page)
    assert found.coverage == 1.0
    boxes = merge_boxes([page.boxes[i] for i in found.indices])
    assert len(boxes) == 2
    assert boxes[0].top < 0.131 and boxes[1].top > 0.155  # one box per printed line
    assert boxes[0].right > boxes[1].right


def test_text_between_the_halves_of_a_sentence_is_left_out() -> None:
    # A page number printed between the two lines, and the cleaned text's full-width space
    # and half-width digit: compared compacted and normalised.
    page = PageChars.build(
        _row("乙は、毎月１０日までに", top=0.80)
        + _row("－２－", top=0.95)
        + _row("報告する。", top=0.83)
    )
    found = locate("乙は、毎月10日までに　報告する。", page)
    assert found.coverage == 1.0
    assert {page.text[i] for i in found.indices}.isdisjoint({"-", "2"})


def test_a_sentence_not_on_the_page_is_not_matched_by_common_phrases() -> None:
    page = PageChars.build(_row("乙は、個人情報を適切に管理しなければならない。", top=0.1))
    assert locate("甲は、契約を解除することができる。", page).indices == []


def test_a_continuation_must_start_at_the_top_of_the_next_page() -> None:
    page = PageChars.build(_row("第９条（監査）" * 8 + "しなければならない。", top=0.1))
    assert locate("しなければならない。", page, near_start=True).indices == []
    assert locate("第９条（監査）", page, near_start=True).coverage == 1.0


def test_vertical_columns_give_tall_boxes() -> None:
    column = [
        (ch, Box(0.8, 0.1 + i * 0.03, 0.83, 0.13 + i * 0.03))
        for i, ch in enumerate("乙は秘密を守る")
    ]
    next_column = [
        (ch, Box(0.75, 0.1 + i * 0.03, 0.78, 0.13 + i * 0.03))
        for i, ch in enumerate("ものとする。")
    ]
    page = PageChars.build(column + next_column)
    found = locate("乙は秘密を守るものとする。", page)
    boxes = merge_boxes([page.boxes[i] for i in found.indices])
    assert len(boxes) == 2 and all(b.bottom - b.top > 3 * (b.right - b.left) for b in boxes)


# --- rendering in the sandbox -----------------------------------------------------------------


def _ink(png: bytes, box: Box) -> float:
    """Share of dark pixels inside ``box`` of the page image."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    crop = image.crop(
        (int(box.left * w), int(box.top * h), int(box.right * w), int(box.bottom * h))
    )
    pixels = list(crop.tobytes())
    return sum(1 for p in pixels if p < 128) / max(len(pixels), 1)


@pytest.fixture(scope="module")
def long_contract() -> tuple[bytes, list]:
    pdf = pdfgen.reportlab_pdf(contract_text(20))
    document = build_document(extract_pages(pdf))
    return pdf, document


def _request(document, sentence) -> HighlightRequest:
    """As the worker asks: the evidence key, page, text and place on the page."""
    span = next(p for p in document.pages if p.number == sentence.page)
    position = (sentence.start - span.start) / max(span.end - span.start, 1)
    return HighlightRequest(
        f"{sentence.start}-{sentence.end}", sentence.page, sentence.text, position
    )


def test_every_sentence_is_highlighted_where_it_is_printed(long_contract) -> None:
    pdf, document = long_contract
    # The sample repeats its articles word for word: each copy must be found where it is.
    body = [s for s in document.sentences if s.kind == "body" and len(s.text) > 20]
    chosen = body[::7][:6]
    requests = [_request(document, s) for s in chosen]
    images = {image.number: image for image in render_page_images(pdf, requests)}
    for sentence in chosen:
        image = images[sentence.page]
        boxes = image.highlights[f"{sentence.start}-{sentence.end}"]
        assert boxes, sentence.text
        assert all(_ink(image.png, box) > 0.03 for box in boxes), sentence.text
    blank = Box(0.0, 0.0, 1.0, 0.04)  # the top margin holds no text
    assert all(_ink(image.png, blank) == 0 for image in images.values())


def test_a_sentence_running_on_to_the_next_page_is_highlighted_on_both(long_contract) -> None:
    pdf, document = long_contract
    ends = {p.number: p.end for p in document.pages}
    [sentence, *_] = [s for s in document.sentences if s.kind == "body" and s.end > ends[s.page]]
    key = f"{sentence.start}-{sentence.end}"
    images = render_page_images(pdf, [_request(document, sentence)])
    assert [image.number for image in images] == [sentence.page, sentence.page + 1]
    assert all(image.highlights.get(key) for image in images)


def test_a_hostile_file_stops_at_the_limits() -> None:
    with pytest.raises(LimitExceededError):
        render_page_images(
            pdfgen.decompression_bomb_pdf(), [HighlightRequest("0-10", 1, "乙は、秘密を守る。")]
        )


@pytest.mark.slow
def test_scanned_pages_are_highlighted_from_the_ocr_words() -> None:
    if not pdfgen.tesseract_ready():
        pdfgen.missing_tool("tesseract with jpn and jpn_vert is not installed")
    pdf = pdfgen.scanned_pdf(contract_text(3))
    pages = extract_pages(pdf)
    assert pages[0].ocr and pages[0].words
    document = build_document(pages)
    sentence = next(s for s in document.sentences if s.kind == "body" and "再委託" in s.text)
    key = f"{sentence.start}-{sentence.end}"
    words = {p.number: (p.vertical, [(w[0], Box(*w[1:])) for w in p.words]) for p in pages if p.ocr}
    [image] = render_page_images(pdf, [_request(document, sentence)], ocr_words=words)
    assert image.ocr and image.highlights[key]
    assert all(_ink(image.png, box) > 0.02 for box in image.highlights[key])
