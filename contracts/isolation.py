"""Parse untrusted PDFs in a resource-limited child process.

The child is forked from a multiprocessing *forkserver* that has already imported PDFium, so
starting one costs a few milliseconds, and it never carries the caller's memory (spaCy, Flask)
along. Before touching the PDF the child lowers its own limits (address space, CPU time, no
core dumps); a hostile file can then only kill the child, which the parent reports as
LimitExceededError. Child → parent messages are JSON and raw pixel bytes, never pickles, so a
compromised child cannot run code in the parent.

Caveat of every spawn/forkserver child: if the caller's ``__main__`` is a script file, the child
re-imports it as ``__mp_main__``; keep such scripts' work under ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import resource
import signal
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from contracts import errors
from contracts.layout import RawPage
from contracts.limits import Limits
from contracts.pages import Progress

__all__ = ["InProcessReader", "IsolatedReader", "PageSource", "Sandbox", "apply_limits"]

_PRELOAD = ["contracts.textlayer"]
_ERRORS: dict[str, type[errors.ContractError]] = {
    cls.code: cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.ContractError)
}


class PageSource(ABC):
    """What the extractor needs from a parsed PDF: its pages' lines and page renders."""

    @abstractmethod
    def read_pages(self, progress: Progress | None) -> list[RawPage]:
        """All pages' text lines, reporting ("extracting", n, total) per page."""

    @abstractmethod
    def render(self, number: int) -> tuple[int, int, bytes, int]:
        """Page ``number`` (1-based) for OCR: (width, height, 8-bit grey pixels, dpi)."""

    @abstractmethod
    def close(self) -> None:
        """Release the document (and the child process)."""

    def __enter__(self) -> PageSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcessReader(PageSource):
    """Parse in the calling process: for trusted files and benchmarks only (no limits)."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        from contracts.textlayer import PdfTextReader  # PDFium only where it is used

        self._limits = limits
        self._reader = PdfTextReader(data, limits)

    def read_pages(self, progress: Progress | None) -> list[RawPage]:
        """All pages' text lines, reporting ("extracting", n, total) per page."""
        total = self._reader.page_count
        pages = []
        for i in range(total):
            pages.append(self._reader.read_page(i))
            if progress is not None:
                progress("extracting", i + 1, total)
        return pages

    def render(self, number: int) -> tuple[int, int, bytes, int]:
        """Page ``number`` (1-based) for OCR: (width, height, 8-bit grey pixels, dpi)."""
        return self._reader.render_gray(number - 1, self._limits.ocr_dpi)

    def close(self) -> None:
        """Release the document."""
        self._reader.close()


def _context() -> multiprocessing.context.BaseContext:
    try:
        ctx = multiprocessing.get_context("forkserver")
    except ValueError:  # platforms without fork: slower, equally isolated
        return multiprocessing.get_context("spawn")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def prestart() -> None:
    """Start the forkserver now (e.g. when a worker boots) so the first PDF pays nothing."""
    ctx = _context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class Sandbox:
    """A child process started from the forkserver that runs ``target(conn, *args)`` under
    memory, CPU-time and wall-clock limits; the parent reads JSON messages and raw bytes."""

    def __init__(
        self, target: Callable[..., None], args: tuple[Any, ...], limits: Limits, *, deadline: float
    ) -> None:
        self._limits = limits
        self._deadline = deadline
        ctx = _context()
        self._conn, child_conn = ctx.Pipe(duplex=True)
        self._process = ctx.Process(target=target, args=(child_conn, *args), daemon=True)
        self._process.start()
        child_conn.close()

    def _receive(self) -> bytes:
        remaining = self._deadline - time.monotonic()
        try:
            if remaining <= 0 or not self._conn.poll(remaining):
                self._kill()
                raise errors.LimitExceededError(
                    f"timeout after {self._limits.timeout_seconds} s",
                    message_ja="ファイルの処理が制限時間を超えたため中止しました。",
                )
            return self._conn.recv_bytes()
        except (EOFError, ConnectionError, OSError):
            raise self._death() from None

    def _message(self) -> dict[str, Any]:
        message = json.loads(self._receive())
        if message.get("t") == "error":
            cls = _ERRORS.get(str(message.get("code")), errors.BrokenPDFError)
            error = cls(str(message.get("detail", "")))
            if isinstance(message.get("message_ja"), str):
                error.message_ja = message["message_ja"]
            raise error
        return message

    def _death(self) -> errors.ContractError:
        self._process.join(timeout=5)
        code = self._process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            # SIGXCPU/SIGKILL: the CPU limit; SIGSEGV/SIGABRT/SIGBUS: PDFium failing to
            # allocate under the address-space limit. Either way the file cost too much.
            return errors.LimitExceededError(f"PDF parser killed by {name}")
        return errors.BrokenPDFError(f"PDF parser exited with status {code}")

    def _kill(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=5)

    def close(self) -> None:
        """Tell the child to exit, then make sure it has."""
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send_bytes(b'{"t": "done"}')
            self._process.join(timeout=1)
        self._kill()
        self._conn.close()


class IsolatedReader(Sandbox, PageSource):
    """Parse in a child process under memory, CPU-time and wall-clock limits."""

    def __init__(self, data: bytes, limits: Limits, *, deadline: float) -> None:
        super().__init__(_child_main, (data, limits.to_dict()), limits, deadline=deadline)

    # --- parent side ----------------------------------------------------------------------

    def read_pages(self, progress: Progress | None) -> list[RawPage]:
        """All pages' text lines, reporting ("extracting", n, total) per page."""
        while True:
            message = self._message()
            if message["t"] == "progress":
                if progress is not None:
                    progress("extracting", int(message["done"]), int(message["total"]))
            elif message["t"] == "pages":
                return [RawPage.from_json(page) for page in message["pages"]]

    def render(self, number: int) -> tuple[int, int, bytes, int]:
        """Page ``number`` (1-based) for OCR: (width, height, 8-bit grey pixels, dpi)."""
        self._conn.send_bytes(json.dumps({"t": "render", "page": number}).encode())
        header = self._message()
        width, height, dpi = int(header["width"]), int(header["height"]), int(header["dpi"])
        pixels = self._receive()
        if len(pixels) != width * height:
            raise errors.BrokenPDFError("render size mismatch")
        return width, height, pixels, dpi


# --- child side ---------------------------------------------------------------------------


def apply_limits(limits: Limits) -> None:
    """Lower this (child) process's address space and CPU time, and forbid core dumps."""

    def lower(which: int, value: int, hard_extra: int = 0) -> None:
        _soft, hard = resource.getrlimit(which)
        new_hard = value + hard_extra
        if hard != resource.RLIM_INFINITY:
            new_hard = min(new_hard, hard)
        resource.setrlimit(which, (min(value, new_hard), new_hard))

    lower(resource.RLIMIT_AS, limits.max_memory_bytes)
    # SIGXCPU at the soft limit, SIGKILL one second later if it is ignored.
    lower(resource.RLIMIT_CPU, limits.max_cpu_seconds, hard_extra=1)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child_main(conn: Connection, data: bytes, limits_dict: dict[str, Any]) -> None:
    limits = Limits(**limits_dict)
    apply_limits(limits)

    def send(message: dict[str, Any]) -> None:
        conn.send_bytes(json.dumps(message, ensure_ascii=False).encode())

    try:
        from contracts.textlayer import PdfTextReader

        reader = PdfTextReader(data, limits)
        del data
        total = reader.page_count
        pages = []
        for i in range(total):
            pages.append(reader.read_page(i).to_json())
            send({"t": "progress", "done": i + 1, "total": total})
        send({"t": "pages", "pages": pages})
        del pages
        _serve_renders(conn, reader, limits, send)
    except errors.ContractError as exc:
        send({"t": "error", "code": exc.code, "detail": exc.detail, "message_ja": exc.message_ja})
    except MemoryError:
        send({"t": "error", "code": errors.LimitExceededError.code, "detail": "out of memory"})
    except Exception as exc:  # a parser failure on hostile input is a broken file
        send({"t": "error", "code": errors.BrokenPDFError.code, "detail": repr(exc)[:500]})
    finally:
        conn.close()


def _serve_renders(
    conn: Connection, reader: Any, limits: Limits, send: Callable[[dict[str, Any]], None]
) -> None:
    while True:
        try:
            request = json.loads(conn.recv_bytes())
        except EOFError:
            return
        if request.get("t") != "render":
            return
        width, height, pixels, dpi = reader.render_gray(int(request["page"]) - 1, limits.ocr_dpi)
        send({"t": "image", "width": width, "height": height, "dpi": dpi})
        conn.send_bytes(pixels)
