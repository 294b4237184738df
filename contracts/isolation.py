"""Parse untrusted PDFs in a resource-limited child process.

The child is a fresh interpreter started with ``subprocess`` (``python -I -c …``) that imports
only this package, so it never carries the caller's memory (spaCy, Flask) along and never
re-imports the caller's ``__main__``: ``check()`` works from a plain script without a
``__main__`` guard, from ``python -`` and from a notebook. A worker calls :func:`prestart` to
keep one spare child warm (PDFium imported), so an analysis does not wait for an interpreter
to start. Before touching the PDF the child lowers its own limits (address space, CPU time, no
core dumps); a hostile file can then only kill the child, which the parent reports as
LimitExceededError. Parent → child: the target's name and arguments (pickled; the child trusts
its parent). Child → parent: JSON and raw pixel bytes, never pickles, so a compromised child
cannot run code in the parent.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
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


# The child imports the same copy of ``contracts`` as the parent, whatever the caller's path.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])
_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from contracts.isolation import _child_entry; _child_entry(int(sys.argv[2]))"
)


class _Child:
    """A started child interpreter and the parent's end of its socket."""

    def __init__(self) -> None:
        parent_sock, child_sock = socket.socketpair()
        try:
            # S603: a fixed command line (this interpreter, a constant bootstrap), no shell.
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-I", "-c", _BOOTSTRAP, _PACKAGE_ROOT, str(child_sock.fileno())],
                pass_fds=(child_sock.fileno(),),
                stdin=subprocess.DEVNULL,
                close_fds=True,
            )
        except BaseException:
            parent_sock.close()
            raise
        finally:
            child_sock.close()
        self.conn = Connection(parent_sock.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.alive():
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


_spare_lock = threading.Lock()
_spare: _Child | None = None
_keep_spare = False


def prestart() -> None:
    """Keep one spare child warm from now on (a worker calls this when it boots)."""
    global _keep_spare, _spare
    with _spare_lock:
        _keep_spare = True
        if _spare is None or not _spare.alive():
            _spare = _Child()


def _replenish() -> None:
    """Start the next spare once a sandbox is done (not while it parses: both want the CPU)."""
    global _spare
    with _spare_lock:
        if _keep_spare and (_spare is None or not _spare.alive()):
            _spare = _Child()


def _take_child() -> _Child:
    """The warm spare if there is one, else a new child."""
    global _spare
    with _spare_lock:
        child, _spare = _spare, None
    if child is not None and child.alive():
        return child
    if child is not None:
        child.discard()
    return _Child()


class Sandbox:
    """A child interpreter (the warm spare, or a new one) that runs ``target(conn, *args)`` under
    memory, CPU-time and wall-clock limits; the parent reads JSON messages and raw bytes."""

    def __init__(
        self, target: Callable[..., None], args: tuple[Any, ...], limits: Limits, *, deadline: float
    ) -> None:
        self._limits = limits
        self._deadline = deadline
        self._child = _take_child()
        self._conn = self._child.conn
        self._process = self._child.process
        try:
            self._conn.send((target.__module__, target.__qualname__, args))
        except OSError:
            raise self._death() from None

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
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill()
            code = self._process.returncode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            # SIGXCPU/SIGKILL: the CPU limit; SIGSEGV/SIGABRT/SIGBUS: PDFium failing to
            # allocate under the address-space limit. Either way the file cost too much.
            return errors.LimitExceededError(f"PDF parser killed by {name}")
        return errors.BrokenPDFError(f"PDF parser exited with status {code}")

    def _kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=5)

    def close(self) -> None:
        """Tell the child to exit, then make sure it has."""
        if self._process.poll() is None:
            with contextlib.suppress(OSError):
                self._conn.send_bytes(b'{"t": "done"}')
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=1)
        self._kill()
        self._conn.close()
        _replenish()


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


def _child_entry(fd: int) -> None:
    """Run in the child interpreter: preload PDFium, then run the target the parent names."""
    conn = Connection(fd)
    for name in _PRELOAD:
        importlib.import_module(name)
    try:
        module, qualname, args = conn.recv()
    except (EOFError, OSError):
        return  # a spare child whose parent exited without using it
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    target(conn, *args)


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
