"""Housekeeping of sign-in sessions."""

from __future__ import annotations

from huey import crontab
from sqlmodel import Session

from portal.auth.operations import purge_ended_sessions
from portal.jobs import periodic


@periodic("purge_sessions", crontab(minute="17", hour="3"))
def purge_sessions(*, session: Session) -> int:
    """Delete session rows unused for 30 days (daily at 03:17)."""
    return purge_ended_sessions(session=session)
