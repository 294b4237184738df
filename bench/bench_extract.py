"""Pages per second of contracts.pdf.extract_pages against pdfplumber, text and scanned PDFs.

    .venv/bin/python bench/bench_extract.py [--no-ocr]

The 18-page text PDF is built from shared/bench/contract_20k.txt with make_fodt.py and
LibreOffice, the 20-page scanned one with tests/pdfgen.py; both are cached in the temp dir.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The shared folder beside the checkout; ITAKU_SHARED names it for a checkout elsewhere.
SHARED_BENCH = Path(os.environ.get("ITAKU_SHARED") or ROOT.parent / "shared") / "bench"
CACHE = Path(tempfile.gettempdir()) / "itaku-bench-extract"


def _cached(name: str, key: str, build) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.pdf"
    if not path.exists():
        path.write_bytes(build())
    return path


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (Tesseract, not the parser)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_pdf() -> Path:
    """The 18-page LibreOffice PDF of the timing contract."""
    source = SHARED_BENCH / "contract_20k.txt"

    def build() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            fodt = Path(tmp, "contract_20k.fodt")
            subprocess.run(  # noqa: S603 - our own fixed command line
                [sys.executable, str(SHARED_BENCH / "make_fodt.py"), str(source), str(fodt)],
                check=True,
            )
            profile = Path(tmp, "profile").as_uri()
            soffice = shutil.which("soffice") or "soffice"
            subprocess.run(  # noqa: S603 - our own fixed command line
                [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", tmp, str(fodt)],
                check=True,
                capture_output=True,
            )  # fmt: skip
            return Path(tmp, "contract_20k.pdf").read_bytes()

    return _cached("contract_20k", source.read_text(encoding="utf-8"), build)


def scanned_bench_pdf(pages: int = 20) -> Path:
    """A 20-page scanned (image-only, skewed, noisy, stamped) contract."""
    sys.path.insert(0, str(ROOT))
    from tests import pdfgen

    text = (SHARED_BENCH / "contract_20k.txt").read_text(encoding="utf-8")
    text = text + "\n" + text  # enough for more than 20 pages
    return _cached("scanned", text + str(pages), lambda: pdfgen.scanned_pdf(text, max_pages=pages))


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, pages: int, times: list[float]) -> None:
    best, median = min(times), statistics.median(times)
    print(
        f"{label:<44} {median * 1000:8.1f} ms median {best * 1000:8.1f} ms best"
        f" {pages / median:8.1f} pages/s"
    )


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ocr", action="store_true", help="skip the scanned benchmark")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import pdfplumber

    from contracts.isolation import prestart
    from contracts.pdf import extract_pages

    path = bench_pdf()
    data = path.read_bytes()
    pages = len(extract_pages(data, isolate=False))
    print(f"text PDF: {path} ({pages} pages, {len(data) // 1024} KiB)")

    start = time.perf_counter()
    prestart()
    extract_pages(data)
    first = (time.perf_counter() - start) * 1000
    print(f"{'first isolated call (warm spare child)':<44} {first:8.1f} ms")
    report("extract_pages (isolated child, default)", pages,
           timed(lambda: extract_pages(data), args.repeat))  # fmt: skip
    report("extract_pages (isolate=False, trusted only)", pages,
           timed(lambda: extract_pages(data, isolate=False), args.repeat))  # fmt: skip

    def plumber() -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()

    report("pdfplumber extract_text", pages, timed(plumber, max(1, args.repeat // 5)))

    if not args.no_ocr:
        scanned = scanned_bench_pdf()
        print(f"scanned PDF: {scanned}")
        for engine in ("tesseract", "ppocr"):  # both in this run: the ratio is what compares
            scanned_pages = 0

            def ocr(engine: str = engine) -> None:
                nonlocal scanned_pages
                scanned_pages = len(extract_pages(scanned, ocr_engine=engine))

            cpu = _cpu()
            times = timed(ocr, 1)
            cpu = _cpu() - cpu
            report(f"extract_pages with OCR ({engine}, all cores)", scanned_pages, times)
            # CPU seconds are what the machine's load distorts least (other work only
            # stretches the wall time): compare the engines by them on a busy machine.
            print(f"{'':<44} CPU {cpu:8.1f} s ({cpu / max(scanned_pages, 1):.2f} s/page)")


if __name__ == "__main__":
    main()
