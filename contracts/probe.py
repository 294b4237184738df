"""Open an untrusted PDF just far enough to know it can be read: before it is stored.

The web process must not parse an uploaded PDF itself (pdfminer has no decompression limit,
and even PDFium can be made to allocate without bound), so the probe runs in the same
sandboxed child as extraction (:class:`contracts.isolation.Sandbox`), with tighter CPU and
wall-clock limits because a person is waiting for the answer. It opens the document, counts
its pages and loads the first few pages' text layer and objects; it never renders or OCRs.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from contracts import errors
from contracts.isolation import Sandbox, apply_limits
from contracts.limits import Limits

__all__ = ["PROBE_LIMITS", "PdfSummary", "probe_pdf"]

#: A request is waiting: a file that needs more than this to open is refused as too costly.
PROBE_LIMITS = Limits(max_cpu_seconds=10, timeout_seconds=20.0)
PROBED_PAGES = 3  # a cover page may be blank; three blank pages in a row are not a contract


@dataclass(frozen=True)
class PdfSummary:
    """What opening a PDF showed: its page count and what its first pages hold."""

    pages: int
    text_chars: int  # characters in the text layer of the probed pages
    images: int  # image or form objects on the probed pages (a scan has one per page)


def probe_pdf(
    data: bytes, *, limits: Limits | None = None, max_pages: int | None = None
) -> PdfSummary:
    """Open ``data`` in the sandbox; raise a ContractError subclass unless it is a readable PDF.

    Refuses broken, encrypted, page-less and blank files and more than ``max_pages`` pages
    (default: the limits' ``max_pages``).
    """
    limits = limits or PROBE_LIMITS
    if max_pages is not None:
        limits = replace(limits, max_pages=max_pages)
    if len(data) > limits.max_file_bytes:
        raise errors.LimitExceededError(
            f"file of {len(data)} bytes > {limits.max_file_bytes}",
            message_ja="ファイルのサイズが上限を超えています。",
        )
    if b"%PDF" not in data[:1024]:
        raise errors.NotPDFError("no %PDF header in the first 1024 bytes")
    deadline = time.monotonic() + limits.timeout_seconds
    sandbox = Sandbox(_child_main, (data, limits.to_dict()), limits, deadline=deadline)
    try:
        message = sandbox._message()
    finally:
        sandbox.close()
    summary = PdfSummary(int(message["pages"]), int(message["chars"]), int(message["images"]))
    if summary.pages == 0:
        raise errors.NoPagesError("the page tree is empty")
    if summary.text_chars == 0 and summary.images == 0 and message.get("blank"):
        raise errors.BlankPDFError(f"no text or image on the first {PROBED_PAGES} pages")
    return summary


# --- child side -------------------------------------------------------------------------


def _child_main(conn: Connection, data: bytes, limits_dict: dict[str, Any]) -> None:
    limits = Limits(**limits_dict)
    apply_limits(limits)

    def send(message: dict[str, Any]) -> None:
        conn.send_bytes(json.dumps(message).encode())

    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        from contracts.textlayer import PdfTextReader

        reader = PdfTextReader(data, limits)  # broken, encrypted, too many pages
        del data
        chars = images = objects = 0
        for index in range(min(reader.page_count, PROBED_PAGES)):
            try:
                page = reader._doc[index]
            except pdfium.PdfiumError as exc:
                raise errors.BrokenPDFError(f"page {index + 1}: {exc}") from None
            try:
                textpage = page.get_textpage()
                chars += len(textpage.get_text_range().strip())
                textpage.close()
                count = pdfium_c.FPDFPage_CountObjects(page.raw)
                objects += count
                for i in range(count):
                    kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i))
                    images += kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
            finally:
                page.close()
        # Blank: not a single object (no text, image or drawing) on the probed pages.
        send({"pages": reader.page_count, "chars": chars, "images": images, "blank": not objects})
        reader.close()
    except errors.ContractError as exc:
        send({"t": "error", "code": exc.code, "detail": exc.detail, "message_ja": exc.message_ja})
    except MemoryError:
        send({"t": "error", "code": errors.LimitExceededError.code, "detail": "out of memory"})
    except Exception as exc:  # a parser failure on hostile input is a broken file
        send({"t": "error", "code": errors.BrokenPDFError.code, "detail": repr(exc)[:500]})
    finally:
        conn.close()
