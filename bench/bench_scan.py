"""Stamped scans against their text: statuses, accuracy, character errors, time and memory.

    .venv/bin/python bench/bench_scan.py [CORPUS_DIR ...] [--corpus DIR LABELS.csv]
        [--limit N] [--engines ppocr,tesseract] [--photos N] [--vertical N] [--seed S]

Each sampled corpus document (``.txt``) is typeset by LibreOffice (tests/pdfgen.py) and turned
into an image-only scan by contracts/scansim.py: 200 dpi grey, a red seal over the text on the
first and last page, rotated up to ±1.5°, noise σ 12, a slight blur, JPEG quality 55. Then, per
OCR engine, in this one process and interleaved document by document (so both engines see the
same machine load):

- statuses identical to the typeset text's (``python -m clauses check`` on the text PDF);
- accuracy of the statuses against the labels, and the text's own accuracy;
- character error rate (Levenshtein distance / length, NFKC, whitespace and table rules
  such as ``|`` and ``----`` removed) against the text extracted from the typeset PDF, i.e.
  the source text as laid out, with the running header and page numbers removed the same
  way;
- seconds per scanned page (extraction with OCR, all cores) and the ratio to Tesseract, and
  the CPU seconds per page (this process and the Tesseract subprocesses; the sandboxed
  parser that renders the pages is not counted), which the machine's load distorts less;
- peak memory (PSS) of this process and its children (the sandboxed parser, Tesseract)
  while the engine reads, and how much of it the reading added.

``--photos N`` reads the first two pages of N documents photographed (perspective, uneven
light, a shadow); ``--vertical N`` typesets N documents in 縦書き. A CORPUS_DIR holds the ``.txt``
files (in subfolders as named by its labels) and its labels are ``DIR/labels.csv`` or
``DIR/../labels.csv``. Default: the tuned corpus tests/corpus/docs (the engine's settings were
chosen on other documents and seeds). Absolute seconds depend on the machine's load: compare
the ratios, which are measured side by side.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "tests" / "corpus" / "docs"
CACHE = Path(tempfile.gettempdir()) / "itaku-bench-scan"
STATUS = {"1": "satisfied", "w": "weak", "0": "missing"}


# --- corpus -----------------------------------------------------------------------------------


def read_labels(path: Path) -> dict[str, list[str]]:
    """``file,c1..c8`` (1/w/0) → file → statuses; PDF rows are left out."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return {
        row[0].strip(): [STATUS[v.strip().lower()] for v in row[1:]]
        for row in rows[1:]
        if row and row[0].strip().endswith(".txt")
    }


def corpus_labels(folder: Path) -> Path:
    """The labels of a corpus folder: DIR/labels.csv or DIR/../labels.csv."""
    for candidate in (folder / "labels.csv", folder.parent / "labels.csv"):
        if candidate.exists():
            return candidate
    raise SystemExit(f"{folder}: no labels.csv in it or beside it; use --corpus DIR LABELS")


def _cached(kind: str, key: str, build: Callable[[], bytes]) -> bytes:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pdf"
    if not path.exists():
        path.write_bytes(build())
    return path.read_bytes()


def typeset(text: str, *, vertical: bool = False) -> bytes:
    """The text as LibreOffice prints it (cached: soffice takes seconds)."""
    from tests import pdfgen

    key = f"{vertical}\n{text}"
    return _cached("lo", key, lambda: pdfgen.libreoffice_pdf(text, vertical=vertical))


# --- measuring --------------------------------------------------------------------------------


def _rss_tree(pid: int) -> int:
    """Proportional resident bytes (PSS) of ``pid`` and all its descendants (Linux /proc).

    PSS shares each page among the processes that map it, so the forkserver and its
    children, which share most of their memory, are not counted twice.
    """
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


class PeakRSS:
    """Samples the memory (PSS) of this process tree every 20 ms while in use."""

    def __enter__(self) -> PeakRSS:
        self.base = self.peak = _rss_tree(os.getpid())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_tree(os.getpid()))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    """CPU seconds used so far by this process and its waited-for children (Tesseract)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_RULES = re.compile(r"\s+|[|│┃]|[-─━—–_=]{3,}")


def flat(text: str) -> str:
    """NFKC with whitespace and table rules drawn with characters (|, ----) removed: what
    character errors are counted on (rules are lines on paper, not words to read)."""
    return _RULES.sub("", unicodedata.normalize("NFKC", text))


def cer(got: str, want: str) -> float:
    """Character error rate of ``got`` against ``want``."""
    from rapidfuzz.distance import Levenshtein

    want = flat(want)
    return Levenshtein.distance(flat(got), want) / max(len(want), 1)


@dataclass
class Tally:
    """One engine's (or the text's) figures over the sample."""

    documents: int = 0
    same: int = 0  # clause statuses identical to the text's
    correct: int = 0  # clause statuses equal to the label
    clauses: int = 0
    errors: int = 0  # Levenshtein edits
    chars: int = 0  # reference characters
    pages: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds of this process and the OCR subprocesses it waited for
    peak_rss: int = 0
    added_rss: int = 0  # the most the reading added to what the process held before
    page_cers: list[float] = field(default_factory=list)
    confidences: list[tuple[float, float]] = field(default_factory=list)  # (confidence, CER)

    def add_text(self, got: str, want: str) -> None:
        """Count the character errors of one page or document."""
        from rapidfuzz.distance import Levenshtein

        want_flat = flat(want)
        self.errors += Levenshtein.distance(flat(got), want_flat)
        self.chars += len(want_flat)


# --- the run ----------------------------------------------------------------------------------


def extract(pdf: bytes, engine: str, tally: Tally) -> list[Any]:
    """Pages of ``pdf`` read with ``engine``, timed and with peak memory recorded."""
    from contracts import ocr
    from contracts.pdf import extract_pages

    variant = engine
    if engine == "ppocr-vert":  # PP-OCR reading 縦書き itself instead of Tesseract's jpn_vert
        engine, saved, ocr.VERTICAL_ENGINE = "ppocr", ocr.VERTICAL_ENGINE, "ppocr"
    try:
        with PeakRSS() as rss:
            start, cpu = time.perf_counter(), _cpu()
            pages = extract_pages(pdf, ocr_engine=engine)
            tally.seconds += time.perf_counter() - start
            tally.cpu += _cpu() - cpu
        tally.peak_rss = max(tally.peak_rss, rss.peak)
        tally.added_rss = max(tally.added_rss, rss.peak - rss.base)
    finally:
        if variant == "ppocr-vert":
            ocr.VERTICAL_ENGINE = saved
    tally.pages += len(pages)
    return pages


def statuses(pages: list[Any]) -> list[str]:
    """The eight statuses of the clause check on extracted pages."""
    from clauses import check_document
    from contracts.document import build_document

    report = check_document(build_document(pages))
    return [clause.status for clause in report.clauses]


def run_documents(
    sample: list[tuple[str, str, list[str]]], engines: list[str], seed: int, *, vertical: bool
) -> dict[str, Tally]:
    """Typeset, scan and read each document; tally statuses, errors, time and memory."""
    from contracts.pdf import extract_pages
    from contracts.scansim import scan_pdf

    tallies = {name: Tally() for name in ["text", *engines]}
    for index, (name, text, labels) in enumerate(sample):
        pdf = typeset(text, vertical=vertical)
        scan = scan_pdf(pdf, seed=seed + index)
        reference = extract_pages(pdf)
        want = statuses(reference)
        text_tally = tallies["text"]
        text_tally.documents += 1
        text_tally.clauses += len(want)
        text_tally.correct += sum(a == b for a, b in zip(want, labels, strict=True))
        line = [f"{name[:34]:<34} {len(reference):>2} p"]
        for engine in engines:
            tally = tallies[engine]
            pages = extract(scan, engine, tally)
            got = statuses(pages)
            tally.documents += 1
            tally.clauses += len(got)
            tally.same += sum(a == b for a, b in zip(got, want, strict=True))
            tally.correct += sum(a == b for a, b in zip(got, labels, strict=True))
            by_number = {page.number: page.text for page in reference}
            for page in pages:
                want_page = by_number.get(page.number, "")
                if len(flat(want_page)) < 50:  # a signature page: a ratio of nearly nothing
                    continue
                page_cer = cer(page.text, want_page)
                tally.page_cers.append(page_cer)
                if page.confidence is not None:
                    tally.confidences.append((page.confidence, page_cer))
            tally.add_text("".join(p.text for p in pages), "".join(p.text for p in reference))
            diff = sum(a != b for a, b in zip(got, want, strict=True))
            line.append(f"{engine} {diff} differ {tally.errors / max(tally.chars, 1):6.2%}")
        print("  " + "  ".join(line), flush=True)
    return tallies


def run_photos(
    sample: list[tuple[str, str, list[str]]], engines: list[str], seed: int
) -> dict[str, Tally]:
    """The first two pages of each document photographed: character errors per engine.

    Two pages, because the running header is recognised (and removed) by its repeating.
    """
    from contracts.pdf import extract_pages
    from contracts.scansim import scan_pdf

    tallies = {engine: Tally() for engine in engines}
    for index, (_name, text, _labels) in enumerate(sample):
        pdf = typeset(text)
        photo = scan_pdf(pdf, seed=seed + 1000 + index, photographed=True, max_pages=2)
        reference = extract_pages(pdf)
        for engine in engines:
            pages = extract(photo, engine, tallies[engine])
            for page, want in zip(pages, reference, strict=False):
                tallies[engine].add_text(page.text, want.text)
                page_cer = cer(page.text, want.text)
                tallies[engine].page_cers.append(page_cer)
                if page.confidence is not None:
                    tallies[engine].confidences.append((page.confidence, page_cer))
    return tallies


def report(title: str, tallies: dict[str, Tally], *, baseline: str = "tesseract") -> None:
    """Print one table: the text row first, then one row per engine."""
    print(f"\n{title}")
    print(
        f"{'':<12} {'docs':>4} {'pages':>5} {'identical':>9} {'accuracy':>8} {'CER':>7}"
        f" {'CER max':>7} {'s/page':>7} {'x tess':>6} {'cpu/page':>8} {'x tess':>6}"
        f" {'peak PSS':>9} {'(added)':>9}"
    )
    base = tallies.get(baseline)
    base_speed = base.seconds / base.pages if base and base.pages else None
    base_cpu = base.cpu / base.pages if base and base.pages else None
    for name, t in tallies.items():
        accuracy = f"{t.correct / t.clauses:8.3f}" if t.clauses else f"{'':>8}"
        if name == "text":
            print(f"{name:<12} {t.documents:>4} {'':>5} {'':>9} {accuracy}")
            continue
        same = f"{t.same / t.clauses:9.1%}" if t.clauses else f"{'':>9}"
        speed = t.seconds / t.pages if t.pages else 0.0
        ratio = f"{speed / base_speed:6.2f}" if base_speed else f"{'':>6}"
        cpu = t.cpu / t.pages if t.pages else 0.0
        cpu_ratio = f"{cpu / base_cpu:6.2f}" if base_cpu else f"{'':>6}"
        worst = max(t.page_cers, default=0.0)
        print(
            f"{name:<12} {t.documents:>4} {t.pages:>5} {same} {accuracy}"
            f" {t.errors / max(t.chars, 1):7.2%} {worst:7.2%} {speed:7.2f} {ratio}"
            f" {cpu:8.2f} {cpu_ratio}"
            f" {t.peak_rss / 2**20:6.0f} MB {t.added_rss / 2**20:6.0f} MB"
        )
    for name, t in tallies.items():
        if t.confidences:
            median = statistics.median(c for c, _ in t.confidences)
            low = [c for c in t.confidences if c[1] > 0.03]
            print(
                f"  {name}: page confidence median {median:.1f}, lowest"
                f" {min(c for c, _ in t.confidences):.1f}; pages with CER > 3%: {len(low)}"
                + (f" (confidence {', '.join(f'{c:.1f}' for c, _ in low)})" if low else "")
            )


def sample_corpus(
    folder: Path, labels_path: Path, limit: int, seed: int
) -> list[tuple[str, str, list[str]]]:
    """``limit`` labelled documents of the folder, chosen reproducibly."""
    labels = read_labels(labels_path)
    names = sorted(name for name in labels if (folder / name).exists())
    if not names:
        raise SystemExit(f"{folder}: none of the files in {labels_path} is there")
    chosen = random.Random(seed).sample(names, min(limit, len(names)))  # noqa: S311 - sampling
    return [(name, (folder / name).read_text(encoding="utf-8"), labels[name]) for name in chosen]


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, metavar="CORPUS_DIR")
    parser.add_argument(
        "--corpus", nargs=2, action="append", default=[], metavar=("DIR", "LABELS"), type=Path
    )
    parser.add_argument("--limit", type=int, default=6, help="documents per corpus")
    parser.add_argument("--engines", default="tesseract,ppocr")
    parser.add_argument("--photos", type=int, default=3, help="photographed pages")
    parser.add_argument("--vertical", type=int, default=2, help="縦書き documents")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from contracts.isolation import prestart
    from contracts.ocr import ocr_available

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for engine in engines:
        if not ocr_available(engine.removesuffix("-vert")):
            raise SystemExit(f"OCR engine {engine} is not installed")
    corpora = [(f, corpus_labels(f)) for f in args.folders] + [tuple(c) for c in args.corpus]
    if not corpora:
        corpora = [(DEFAULT_CORPUS, corpus_labels(DEFAULT_CORPUS))]
    prestart()
    print(
        f"scan benchmark: {os.cpu_count()} cores, load average"
        f" {' '.join(f'{v:.1f}' for v in os.getloadavg())} (other work inflates seconds;"
        " the ratios are measured side by side)"
    )
    for folder, labels_path in corpora:
        sample = sample_corpus(folder, labels_path, args.limit, args.seed)
        print(f"\n{folder}: {len(sample)} documents")
        tallies = run_documents(sample, engines, args.seed, vertical=False)
        report(f"{folder} — stamped scans (200 dpi, seal, ±1.5°, σ 12, JPEG q55)", tallies)
        if args.vertical:
            vertical_engines = [*engines]
            if "ppocr" in engines:
                vertical_engines.append("ppocr-vert")
            print(f"\n{folder}: {min(args.vertical, len(sample))} documents in 縦書き")
            tallies = run_documents(
                sample[: args.vertical], vertical_engines, args.seed, vertical=True
            )
            report(f"{folder} — 縦書き scans", tallies)
        if args.photos:
            tallies = run_photos(sample[: args.photos], engines, args.seed)
            report(f"{folder} — photographed pages (perspective, light, shadow)", tallies)


if __name__ == "__main__":
    main()
