"""PP-OCR's pre- and post-processing, without running the models."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from contracts import ppocr
from contracts.ocr import _rows

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "docs"


def test_simplified_chinese_forms_become_japanese() -> None:
    assert "監查の业务".translate(ppocr._JAPANESE_FORMS) == "監査の業務"
    assert len(ppocr._CHINESE) == len(ppocr._JAPANESE) == len(set(ppocr._CHINESE))


def test_the_mapped_forms_never_occur_in_japanese_contracts() -> None:
    chinese = set(ppocr._CHINESE)
    for path in CORPUS.rglob("*.txt"):
        assert not chinese & set(path.read_text(encoding="utf-8")), path


def test_flatten_evens_out_the_light_and_drops_a_faint_seal() -> None:
    page = np.full((400, 400), 230, dtype=np.uint8)
    page[:, 200:] = 150  # a shadow over the right half
    page[100:110, 20:180] = 20  # print in the light
    page[100:110, 220:380] = 13  # print in the shadow
    page[250:300, 250:300] = 120  # a seal: much lighter than print, in the shadow
    flat = ppocr._flatten(page)
    assert flat[50, 50] == 255 and flat[50, 300] == 255  # paper white on both sides
    assert flat[105, 100] < 40 and flat[105, 300] < 40  # print black on both sides
    assert flat[275, 275] > 200  # the seal fades


def test_boxes_on_one_line_are_joined_in_reading_order() -> None:
    pieces = [
        (300.0, 900.0, 100.0, 130.0, "業務名"),
        (100.0, 900.0, 150.0, 180.0, "次の行"),
        (100.0, 130.0, 112.0, 116.0, "一"),  # a thin box, centred on the first line
        (100.0, 130.0, 202.0, 228.0, "二"),
        (300.0, 900.0, 200.0, 230.0, "履行場所"),
    ]
    assert _rows(pieces) == [[2, 0], [1], [3, 4]]
