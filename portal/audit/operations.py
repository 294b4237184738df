"""Writing the access log: append an event to the chain, and count downloads for the
bulk-download warning (三木市 第21条 / 久喜市 第20条)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, flash, g, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import Session, select

from portal.audit.chain import canonical_detail, event_hash
from portal.audit.models import AccessEvent, AuditChainHead, DownloadCounter
from portal.db import db
from portal.security import request_id
from portal.timeutil import utcnow

log = logging.getLogger(__name__)

OK, DENIED, FAILED = "ok", "denied", "failed"
OUTCOMES = (OK, DENIED, FAILED)
_PENDING = "portal.audit_pending"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class PendingEvent:
    """An event waiting for the request's own transaction to end."""

    fields: dict[str, Any]
    downloads: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _current_actor() -> Any:
    if not has_request_context():
        return None
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user
    from flask_login import current_user

    return current_user if current_user and current_user.is_authenticated else None


def _event_fields(
    action: str,
    *,
    object_type: str | None,
    object_id: int | str | None,
    outcome: str,
    detail: dict[str, Any] | None,
    actor: Any,
) -> dict[str, Any]:
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    actor = actor if actor is not None else _current_actor()
    in_request = has_request_context()
    detail = dict(detail or {})
    if in_request and g.get("api_user") is not None:
        detail.setdefault("via", "api")
    return {
        "occurred_at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor_label": (getattr(actor, "email", "") or "")[:254],
        "role": (getattr(actor, "role", "") or "")[:16],
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id)[:64],
        "outcome": outcome,
        "address": ((request.remote_addr or "") if in_request else "cli")[:64],
        "request_id": (request_id() if in_request else "")[:64],
        "detail": canonical_detail(detail),
    }


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: int | str | None = None,
    outcome: str = OK,
    detail: dict[str, Any] | None = None,
    actor: Any = None,
    session: Session | None = None,
) -> None:
    """Record one access event for the current request, job or command (see the package doc).

    ``session`` is the unit of work to append to outside a request (default ``db.session``)."""
    fields = _event_fields(
        action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        detail=detail,
        actor=actor,
    )
    _submit(PendingEvent(fields), session)


def record_download(
    action: str,
    *,
    object_type: str | None = None,
    object_id: int | str | None = None,
    records: int = 1,
    detail: dict[str, Any] | None = None,
    actor: Any = None,
) -> None:
    """Record a download or export of ``records`` documents or personal-information records;
    it counts towards the user's bulk-download window."""
    fields = _event_fields(
        action,
        object_type=object_type,
        object_id=object_id,
        outcome=OK,
        detail={**(detail or {}), "records": records},
        actor=actor,
    )
    _submit(PendingEvent(fields, downloads=max(records, 0)))


def _submit(event: PendingEvent, session: Session | None = None) -> None:
    # A state change is recorded in its own transaction (it commits or rolls back with it).
    # A read, a denial or a failure is written once the request's transaction has ended, in a
    # short transaction of its own: a denial must be kept although its request rolls back.
    in_request = has_request_context()
    if in_request and (request.method in _SAFE_METHODS or event.fields["outcome"] != OK):
        g.setdefault(_PENDING, []).append(event)
    else:
        _write(session if session is not None else db.session, event)


def write_pending(status_code: int) -> None:
    """Write the events the request queued (called once its transaction has ended)."""
    pending: list[PendingEvent] = g.pop(_PENDING, [])
    if not pending:
        return
    session = db.session
    try:
        for event in pending:
            if status_code >= 400 and event.fields["outcome"] == OK:
                # The read did not complete: keep the attempt, say it failed.
                event.fields["outcome"] = FAILED
                event.downloads = 0
            _write(session, event)
        session.commit()
    except Exception:
        log.exception("access events could not be written [request %s]", request_id())
        try:
            session.rollback()
        except Exception:
            log.warning("rollback failed [request %s]", request_id())


def _write(session: Session, event: PendingEvent) -> AccessEvent:
    written = append_event(session=session, **event.fields)
    if event.downloads and written.actor_id is not None:
        count_downloads(session=session, user_id=written.actor_id, records=event.downloads)
    return written


def append_event(*, session: Session, **fields: Any) -> AccessEvent:
    """Append one event to the chain; concurrent appends wait for each other (no fork)."""
    # Updating the one head row first takes its lock before anything of the chain is read:
    # a concurrent append waits for this transaction to end, then sees the new head
    # (PostgreSQL re-reads a row it waited for; SQLite allows one writer at a time).
    head_seq, head_hash = session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(seq=AuditChainHead.seq + 1)
        .returning(AuditChainHead.seq, AuditChainHead.hash)
    ).one()
    event = AccessEvent(seq=head_seq, prev_hash=head_hash, hash="", **fields)
    event.hash = event_hash(event, head_hash)
    session.add(event)
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(hash=event.hash))
    session.flush()
    return event


# --- bulk downloads -------------------------------------------------------------------------


def bulk_settings() -> tuple[int, int]:
    """(threshold, period in hours) from the profile's ``[security]`` table."""
    security = current_app.extensions["portal.profile"].security
    threshold = int(security.get("bulk_download_threshold", 100))
    hours = int(security.get("bulk_download_period_hours", 24))
    return threshold, max(hours, 1)


def window_start(moment: datetime, hours: int) -> datetime:
    """The start of the ``hours``-long window (aligned on the UTC epoch) holding ``moment``."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    span = timedelta(hours=hours)
    return epoch + ((moment.astimezone(UTC) - epoch) // span) * span


def count_downloads(*, session: Session, user_id: int, records: int) -> DownloadCounter:
    """Add ``records`` to the user's window; past the threshold warn the user and, once per
    window, the managers."""
    threshold, hours = bulk_settings()
    now = utcnow()
    start = window_start(now, hours)
    counter = session.exec(
        select(DownloadCounter).where(
            DownloadCounter.user_id == user_id, DownloadCounter.window_start == start
        )
    ).first()
    if counter is None:
        counter = DownloadCounter(user_id=user_id, window_start=start, count=0)
    counter.count += records
    session.add(counter)
    session.flush()
    if counter.count > threshold:
        if has_request_context():
            flash(
                _(
                    "短時間に多数の個人情報・文書をダウンロードしています（%(count)d件／%(hours)d時間、"
                    "上限%(threshold)d件）。この操作は記録され、所属の責任者に通知されます。",
                    count=counter.count,
                    hours=hours,
                    threshold=threshold,
                ),
                "warning",
            )
        if counter.warned_at is None:
            counter.warned_at = now
            session.add(counter)
            from portal.jobs import enqueue_after_commit

            append_event(
                session=session,
                **_event_fields(
                    "bulk_download.warning",
                    object_type="user",
                    object_id=user_id,
                    outcome=OK,
                    detail={
                        "count": counter.count,
                        "threshold": threshold,
                        "period_hours": hours,
                        "window_start": start.isoformat(),
                    },
                    actor=None,
                ),
            )
            enqueue_after_commit(session, "audit.notify_bulk_download", counter.id)
    return counter
