"""Materialise the clause-check corpus in a directory, PDFs included.

``build_corpus_dir(dest)`` copies ``docs/`` into ``dest`` and renders every row of
``pdf_cases.csv`` with the generators of ``tests/pdfgen.py``, so that
``python -m clauses eval DEST tests/corpus/labels.csv`` sees the same relative paths as
``labels.csv`` (``gen/…``, ``hand/…`` and ``pdf/…``). PDFs are made at test time, never
committed. A missing tool (soffice, a Japanese font) surfaces through pdfgen's own
``missing_tool`` (a skip in a test run, a failure under CI=true).

Command line: ``python tests/corpus/build.py DEST``.
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
PDF_CASES = HERE / "pdf_cases.csv"
LABELS = HERE / "labels.csv"


def _renderers() -> dict[str, Callable[[str], bytes]]:
    """PDF kind → function from text to PDF bytes."""
    try:
        from tests import pdfgen
    except ImportError:  # run as a script from anywhere
        sys.path.insert(0, str(HERE.parents[1]))
        from tests import pdfgen

    return {
        "libreoffice": lambda text: pdfgen.libreoffice_pdf(text),
        "reportlab": lambda text: pdfgen.reportlab_pdf(text),
        "scanned": lambda text: pdfgen.scanned_pdf(text),
        # 縦書き as a word processor sets it
        "vertical": lambda text: pdfgen.libreoffice_pdf(text, vertical=True),
    }


def pdf_cases() -> list[dict[str, str]]:
    """Rows of pdf_cases.csv: source (a .txt under docs/), kind, file (the PDF to make)."""
    with PDF_CASES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build_corpus_dir(dest: Path, *, kinds: set[str] | None = None) -> Path:
    """Copy the text corpus into dest and generate its PDFs (optionally only some kinds)."""
    dest = Path(dest)
    shutil.copytree(DOCS, dest, dirs_exist_ok=True)
    renderers = _renderers()
    for case in pdf_cases():
        if kinds is not None and case["kind"] not in kinds:
            continue
        text = (DOCS / case["source"]).read_text(encoding="utf-8")
        target = dest / case["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(renderers[case["kind"]](text))
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/corpus/build.py DEST")
    print(build_corpus_dir(Path(sys.argv[1])))
