"""The daily reporting run: create the slots of periods that began (the reminders go out in
the one reminder run of ``portal.obligations``, after this)."""

from __future__ import annotations

from huey import crontab
from sqlmodel import Session

from portal.jobs import periodic
from portal.reports.operations import sync_reports
from portal.timeutil import local_today


@periodic("reports_daily", crontab(minute="40", hour="5"))
def reports_daily(*, session: Session) -> dict[str, int]:
    """Create owed report slots (daily at 05:40); idempotent."""
    today = local_today()
    result = sync_reports(session=session, today=today)
    return {"created": result.created, "removed": result.removed}
