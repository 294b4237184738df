"""The daily inspection run: recompute what is due (and send the reminders that are due)."""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlmodel import Session

from portal.inspections.operations import propose_plan, sync_inspections
from portal.inspections.reminders import send_due_reminders
from portal.jobs import periodic
from portal.timeutil import local_today


@periodic("inspections_daily", crontab(minute="30", hour="5"))
def inspections_daily(*, session: Session) -> dict[str, int]:
    """Recompute what is due, propose dates, send due reminders (daily at 05:30); idempotent."""
    today = local_today()
    result = sync_inspections(session=session, today=today)
    proposed = propose_plan(session=session, today=today)
    reminded = send_due_reminders(session=session, today=today, config=current_app.config)
    return {
        "reminded": reminded,
        "created": result.created,
        "updated": result.updated,
        "cancelled": result.cancelled,
        "proposed": proposed,
    }
