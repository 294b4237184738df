"""The daily inspection run: recompute what is due (and send the reminders that are due)."""

from __future__ import annotations

from huey import crontab
from sqlmodel import Session

from portal.inspections.operations import propose_plan, sync_inspections
from portal.inspections.queries import local_today
from portal.jobs import periodic


@periodic("inspections_daily", crontab(minute="30", hour="5"))
def inspections_daily(*, session: Session) -> dict[str, int]:
    """Recompute due inspections and propose dates for new ones (daily at 05:30); idempotent."""
    today = local_today()
    result = sync_inspections(session=session, today=today)
    proposed = propose_plan(session=session, today=today)
    return {
        "created": result.created,
        "updated": result.updated,
        "cancelled": result.cancelled,
        "proposed": proposed,
    }
