"""What every obligation does to its rows: sign a step, keep attachments, write history."""

from __future__ import annotations

from typing import Any, BinaryIO

from sqlmodel import Session

from portal.attachments import AttachmentError, attach
from portal.models import User
from portal.obligations.registry import ObligationKind
from portal.obligations.rules import ObligationError
from portal.storage import Storage
from portal.timeutil import utcnow


def sign(row: Any, actor: User, step: str) -> None:
    """Record on ``row`` that ``actor`` took ``step`` now (its ``<step>_by_id`` and
    ``<step>_at`` columns, e.g. ``submitted_by_id`` and ``submitted_at``)."""
    setattr(row, f"{step}_by_id", actor.id)
    setattr(row, f"{step}_at", utcnow())


def attach_file(
    *,
    session: Session,
    storage: Storage,
    kind: ObligationKind,
    owed: Any,
    actor: User,
    stream: BinaryIO,
    filename: str,
) -> Any:
    """Keep a PDF or photo (JPEG/PNG) with an owed row; the same file twice is refused, and
    so is a file once the row no longer takes attachments (``kind.attach_statuses``)."""
    if kind.attach_statuses is not None and owed.status not in kind.attach_statuses:
        raise ObligationError(str(kind.attach_refused))
    try:
        return attach(
            session=session,
            storage=storage,
            model=kind.attachment_model,
            owner=(kind.owner, owed.id),
            actor_id=actor.id,  # type: ignore[arg-type]
            stream=stream,
            filename=filename,
            prefix=f"{kind.storage_prefix}/{owed.id}",
        )
    except AttachmentError as error:
        raise ObligationError(error.message) from error


def record_event(
    *,
    session: Session,
    kind: ObligationKind,
    owed: Any,
    actor: User,
    action: str,
    comment: str = "",
) -> Any:
    """Add a history row: ``actor`` did ``action`` to ``owed`` (with an optional comment)."""
    event = kind.history_model(
        **{kind.owner: owed.id}, actor_id=actor.id, action=action, comment=comment
    )
    session.add(event)
    return event
