"""The daily inspection run: recompute what is due and propose dates (the reminders go out in
the one reminder run of ``portal.obligations``, after this)."""

from __future__ import annotations

from huey import crontab
from sqlmodel import Session

from portal.inspections.operations import propose_plan, sync_inspections
from portal.jobs import periodic
from portal.timeutil import local_today


@periodic("inspections_daily", crontab(minute="30", hour="5"))
def inspections_daily(*, session: Session) -> dict[str, int]:
    """Recompute what is due and propose dates (daily at 05:30); idempotent."""
    today = local_today()
    result = sync_inspections(session=session, today=today)
    proposed = propose_plan(session=session, today=today)
    return {
        "created": result.created,
        "updated": result.updated,
        "cancelled": result.cancelled,
        "proposed": proposed,
    }
