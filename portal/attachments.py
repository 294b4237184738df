"""Files kept with a record (inspection photos, report attachments): checked, stored, unique.

The caller owns the row; this module decides what may be kept (PDFs and photos, recognised by
their first bytes, never by the name), stores it through the encrypted storage so that a
rolled-back transaction takes the file with it, and refuses the same file twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO, TypeVar

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.obligations.rules import ObligationError
from portal.storage import PrefixedStream, Storage, delete_on_rollback

# PDFs and photos, recognised by their first bytes.
ATTACHMENT_TYPES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


Row = TypeVar("Row")


class AttachmentError(ObligationError):
    """A file that may not be kept; ``message`` is Japanese."""


@dataclass(frozen=True)
class StoredAttachment:
    """What the caller records in its attachment row."""

    storage_key: str
    filename: str
    content_type: str
    size: int
    sha256: str


def store_attachment(
    *,
    session: Session,
    storage: Storage,
    stream: BinaryIO,
    filename: str,
    prefix: str,
    same_file: Callable[[str], str | None],
) -> StoredAttachment:
    """Check and store ``stream`` under ``prefix``; ``same_file(sha256)`` names an attachment
    of the same record with those bytes (then the file is refused), or returns None."""
    head = stream.read(16)
    if not head:
        raise AttachmentError(_("ファイルが空です。"))
    content_type = next((kind for magic, kind in ATTACHMENT_TYPES if head.startswith(magic)), None)
    if content_type is None:
        raise AttachmentError(_("添付できるのは写真（JPEG・PNG）とPDFだけです。"))
    key = f"{prefix}/{uuid.uuid4().hex}"
    stored = storage.put(key, PrefixedStream(head, stream))  # type: ignore[arg-type]
    delete_on_rollback(session, storage, key)  # no file without its row
    duplicate = same_file(stored.sha256)
    if duplicate is not None:
        storage.delete(key)
        raise AttachmentError(_("同じファイルが既に添付されています（%(name)s）。", name=duplicate))
    return StoredAttachment(
        storage_key=key,
        # The name as shown: the last part of what the browser sent, never a storage path.
        filename=(filename or "file").replace("\\", "/").rsplit("/", 1)[-1][:255],
        content_type=content_type,
        size=stored.size,
        sha256=stored.sha256,
    )


def attach(
    *,
    session: Session,
    storage: Storage,
    model: type[Row],
    owner: tuple[str, int],
    actor_id: int,
    stream: BinaryIO,
    filename: str,
    prefix: str,
) -> Row:
    """Store ``stream`` and add its ``model`` row (``owner``: the column naming the record and
    its id, e.g. ``("report_id", 12)``); the same file twice on one record is refused."""
    column, owner_id = owner
    table: Any = model

    def same_file(sha256: str) -> str | None:
        return session.exec(
            select(table.filename).where(getattr(table, column) == owner_id, table.sha256 == sha256)
        ).first()

    stored = store_attachment(
        session=session,
        storage=storage,
        stream=stream,
        filename=filename,
        prefix=prefix,
        same_file=same_file,
    )
    row = model(**{column: owner_id}, uploaded_by_id=actor_id, **asdict(stored))
    session.add(row)
    session.flush()
    return row
