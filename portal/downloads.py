"""Stored files sent to a browser: always a download, never rendered inline."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from flask import Response, stream_with_context


def attachment_response(
    chunks: Iterator[bytes], *, filename: str, fallback: str, mimetype: str, size: int
) -> Response:
    """Stream ``chunks`` as an attachment named ``filename`` (``fallback`` for old browsers)."""
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["Content-Length"] = str(size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response
