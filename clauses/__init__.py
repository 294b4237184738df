"""The clause check: does an outsourcing contract impose the eight required matters?

``from clauses import check; report = check("contract.pdf", profile="miki")``.
Nothing heavy happens at import time: the GiNZA model loads on the first check.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clauses.checker import Progress
    from clauses.report import Report
    from contracts.document import Document

__all__ = ["check", "check_document"]


def check_document(
    doc: Document,
    *,
    profile: str = "miki",
    parse: str = "candidates",
    progress: Progress | None = None,
    file: str = "",
) -> Report:
    """Check a structured contract against the eight clauses."""
    from clauses.checker import check_document as _check_document

    return _check_document(doc, profile=profile, parse=parse, progress=progress, file=file)


def check(
    source: str | os.PathLike[str] | bytes,
    *,
    profile: str = "miki",
    parse: str = "candidates",
    progress: Progress | None = None,
    ocr: bool = True,
    ocr_engine: str | None = None,
) -> Report:
    """Check a file (.pdf/.txt path), PDF bytes, or contract text given as a string.

    ``ocr_engine`` reads scanned pages: "ppocr" or "tesseract" (None: the default, ppocr).
    """
    import time

    from contracts.document import build_document, load
    from contracts.pages import PageText

    t0 = time.perf_counter()
    name = ""
    if isinstance(source, bytes | bytearray):
        doc = load(bytes(source), progress=progress, ocr=ocr, ocr_engine=ocr_engine)
    elif isinstance(source, str) and (
        "\n" in source or len(source) > 1024 or not Path(source).suffix
    ):
        doc = build_document([PageText(number=1, text=source)])
    else:
        name = os.fspath(source)
        doc = load(name, progress=progress, ocr=ocr, ocr_engine=ocr_engine)
    report = check_document(doc, profile=profile, parse=parse, progress=progress, file=name)
    report.seconds = round(time.perf_counter() - t0, 3)
    return report
