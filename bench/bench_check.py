"""Speed of the clause check on the 18-page benchmark contract, against the naive pipeline.

    .venv/bin/python bench/bench_check.py [--shared DIR] [--runs N] [--skip-naive]

Builds the PDF of ``shared/bench/contract_20k.txt`` once (make_fodt.py + LibreOffice, cached
in the temp directory), then times with the model loaded:
- text path: load(.txt) + check_document;
- PDF path: load(.pdf) + check_document, end to end (target ≤ 1.0 s);
- naive: pdfplumber extract_text on every page + ja_ginza's full nlp() over the whole text in
  chunks of at most 49,149 bytes (target: ours ≥ 15× faster);
and checks that the result equals the parse-every-sentence mode. Peak memory is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK_BYTES = 49_149


def build_pdf(shared: Path) -> Path:
    """The benchmark PDF, built with LibreOffice once and cached by content hash."""
    src = shared / "bench" / "contract_20k.txt"
    digest = hashlib.sha256(src.read_bytes() + (shared / "bench" / "make_fodt.py").read_bytes())
    cache = Path(tempfile.gettempdir()) / "itaku-bench" / digest.hexdigest()[:16]
    pdf = cache / "contract_20k.pdf"
    if pdf.exists():
        return pdf
    cache.mkdir(parents=True, exist_ok=True)
    fodt = cache / "contract_20k.fodt"
    make_fodt = [sys.executable, str(shared / "bench" / "make_fodt.py"), str(src), str(fodt)]
    subprocess.run(make_fodt, check=True)  # noqa: S603 - our interpreter, the shared script
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice) is needed to build the benchmark PDF")
    convert = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(cache), str(fodt)]
    subprocess.run(convert, check=True, capture_output=True, timeout=300)  # noqa: S603
    return pdf


def chunks(text: str, limit: int = CHUNK_BYTES) -> list[str]:
    """Split text at line ends into pieces of at most ``limit`` UTF-8 bytes."""
    out, cur, size = [], [], 0
    for line in text.splitlines(keepends=True):
        n = len(line.encode("utf-8"))
        if cur and size + n > limit:
            out.append("".join(cur))
            cur, size = [], 0
        cur.append(line)
        size += n
    if cur:
        out.append("".join(cur))
    return out


def naive(pdf: Path) -> float:
    """pdfplumber extract_text on every page, then the full ja_ginza pipeline on the text."""
    import pdfplumber
    import spacy

    nlp = naive.nlp  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    for piece in chunks(text):
        nlp(piece)
    del spacy
    return time.perf_counter() - t0


def best_of(fn, runs: int) -> float:
    """The fastest of ``runs`` timings of ``fn``."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--shared",
        default=os.environ.get("SHARED_DIR", str(Path(__file__).resolve().parents[2] / "shared")),
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    shared = Path(args.shared)
    txt = shared / "bench" / "contract_20k.txt"

    from clauses import check_document
    from clauses.nlp import get_nlp
    from contracts import load
    from contracts.isolation import prestart

    t0 = time.perf_counter()
    get_nlp()
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    prestart()  # a warm PDF child, as the worker keeps one

    def run_txt():
        return check_document(load(txt))

    report = run_txt()
    t_txt = best_of(run_txt, args.runs)
    print(f"text path (load + check): {t_txt:.3f} s")

    full = check_document(load(txt), parse="all").to_dict()
    lazy = report.to_dict()
    full.pop("seconds"), lazy.pop("seconds")
    print(f"identical to parse='all': {full == lazy}")

    try:
        pdf = build_pdf(shared)
    except (subprocess.SubprocessError, OSError, SystemExit) as exc:
        print(f"PDF path skipped: {exc}")
        pdf = None
    if pdf is not None:
        from contracts import build_document
        from contracts.pdf import extract_pages

        def run_pdf():
            return check_document(build_document(extract_pages(pdf)), file=str(pdf))

        pdf_report = run_pdf()
        t_pdf = best_of(run_pdf, args.runs)
        print(
            f"PDF path (extract + structure + check), {len(pdf_report.to_dict()['clauses'])} "
            f"clauses, {pdf_report.pages} pages: {t_pdf:.3f} s (target ≤ 1.0 s)"
        )
        statuses = [c.status for c in pdf_report.clauses]
        print(f"PDF statuses: {statuses}")
        if not args.skip_naive:
            import spacy

            naive.nlp = spacy.load("ja_ginza")  # type: ignore[attr-defined]
            t_naive = naive(pdf)
            print(
                f"naive pdfplumber + full nlp(): {t_naive:.2f} s; speed-up {t_naive / t_pdf:.1f}× "
                f"(target ≥ 15×)"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB (includes the naive model when run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
