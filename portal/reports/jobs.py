"""The daily reporting run: create the slots of periods that began, send due reminders."""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlmodel import Session

from portal.jobs import periodic
from portal.reports.operations import sync_reports
from portal.reports.reminders import send_due_reminders
from portal.timeutil import local_today


@periodic("reports_daily", crontab(minute="40", hour="5"))
def reports_daily(*, session: Session) -> dict[str, int]:
    """Create owed report slots and send the reminders that are due (daily at 05:40); idempotent."""
    today = local_today()
    result = sync_reports(session=session, today=today)
    reminded = send_due_reminders(session=session, today=today, config=current_app.config)
    return {"created": result.created, "removed": result.removed, "reminded": reminded}
