"""Resource limits for reading one untrusted PDF."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    """How much one PDF may cost before extraction stops with LimitExceededError.

    Memory and CPU time apply to the sandboxed child process that parses the PDF; the
    wall-clock timeout covers the whole extraction including OCR.
    """

    max_pages: int = 500
    max_file_bytes: int = 200 * 2**20
    max_memory_bytes: int = 2**30  # address space of the parsing child (RLIMIT_AS)
    max_cpu_seconds: int = 120  # CPU time of the parsing child (RLIMIT_CPU)
    max_text_chars: int = 2_000_000
    timeout_seconds: float = 600.0  # wall clock for the whole extraction, OCR included
    max_render_pixels: int = 40_000_000  # one page rendered for OCR (A4 at 300 dpi is 8.7 M)
    ocr_dpi: int = 300
    ocr_page_timeout_seconds: float = 120.0

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for sending to the child process."""
        return asdict(self)
