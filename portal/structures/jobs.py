"""The daily structure run: owe a structure of every outsourcing that became active (the
reminders, 7 and 1 days before and once overdue, go out in the one reminder run of
``portal.obligations``, after this)."""

from __future__ import annotations

from huey import crontab
from sqlmodel import Session

from portal.jobs import periodic
from portal.structures.operations import sync_structures
from portal.timeutil import local_today


@periodic("structures_daily", crontab(minute="45", hour="5"))
def structures_daily(*, session: Session) -> dict[str, int]:
    """Create the first owed version of each newly active outsourcing (daily at 05:45);
    idempotent."""
    return {"created": sync_structures(session=session, today=local_today()).created}
