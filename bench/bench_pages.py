"""Extra time per document for the page images with the evidence highlighted.

    .venv/bin/python bench/bench_pages.py [--shared DIR] [--runs N] [--scanned]

For the 18-page benchmark contract (built as in bench_check.py) the worker's path is timed:
the clause check once (model loaded), then ``render_page_images`` for every evidence page in
the sandboxed child (open the PDF, find each sentence, render, PNG in the parent) — best of
``--runs``. Prints the pages rendered, seconds per document and per page, PNG size and how
many evidence sentences were located. ``--scanned`` adds a scanned 3-page contract (OCR).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def requests_for(report, document) -> list:
    """The highlight requests the worker makes for a report (see portal.reviews.jobs)."""
    from contracts.pageimage import HighlightRequest

    spans = {p.number: p for p in document.pages}
    requests = []
    for clause in report.clauses:
        for e in clause.evidence:
            span = spans[e.page]
            position = (e.start - span.start) / max(span.end - span.start, 1)
            requests.append(HighlightRequest(f"{e.start}-{e.end}", e.page, e.text, position))
    return requests


def measure(name: str, pdf: bytes, runs: int) -> None:
    """Time the check, then the page images, for one PDF."""
    from clauses import check_document
    from contracts import build_document
    from contracts.highlight import Box
    from contracts.pageimage import render_page_images
    from contracts.pdf import extract_pages

    t0 = time.perf_counter()
    pages = extract_pages(pdf)
    document = build_document(pages)
    report = check_document(document)
    t_check = time.perf_counter() - t0
    requests = requests_for(report, document)
    words = {p.number: (p.vertical, [(w[0], Box(*w[1:])) for w in p.words]) for p in pages if p.ocr}
    times, images = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        images = render_page_images(pdf, requests, ocr_words=words)
        times.append(time.perf_counter() - t0)
    best = min(times)
    located = {key for image in images for key in image.highlights}
    sizes = [len(image.png) for image in images]
    print(f"{name}: {len(pages)} pages, {len(requests)} evidence sentences")
    print(f"  clause check (extract + structure + check): {t_check:.3f} s")
    print(
        f"  page images: {len(images)} pages in {best:.3f} s (best of {runs}; median "
        f"{statistics.median(times):.3f} s) = {best / max(len(images), 1) * 1000:.0f} ms/page, "
        f"+{best / t_check * 100:.0f} % of the check"
    )
    print(
        f"  PNG {statistics.mean(sizes) / 1024:.0f} kB/page (mean), "
        f"{images[0].width}×{images[0].height} px; located {len(located)}/{len(requests)}"
        if images
        else "  no page images"
    )


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--shared",
        default=os.environ.get("SHARED_DIR", str(Path(__file__).resolve().parents[2] / "shared")),
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scanned", action="store_true")
    args = parser.parse_args()

    from bench_check import build_pdf

    from clauses.nlp import get_nlp
    from contracts.isolation import prestart

    get_nlp()
    prestart()  # as the worker does when it starts
    measure("contract_20k.pdf (LibreOffice)", build_pdf(Path(args.shared)).read_bytes(), args.runs)
    sys.path.insert(0, str(ROOT / "tests"))
    from pdfgen import reportlab_pdf, scanned_pdf
    from review_samples import STRONG

    measure("review sample (reportlab, 1 page)", reportlab_pdf(STRONG), args.runs)
    if args.scanned:
        from tests.contracts.conftest import contract_text

        measure("scanned 3 articles (OCR)", scanned_pdf(contract_text(3)), 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
