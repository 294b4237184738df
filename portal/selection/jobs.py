"""The daily certification run: reminders before certifications expire."""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlmodel import Session

from portal.jobs import periodic
from portal.selection.operations import current_rule
from portal.selection.reminders import send_certification_reminders
from portal.timeutil import local_today


@periodic("certifications_daily", crontab(minute="50", hour="5"))
def certifications_daily(*, session: Session) -> dict[str, int]:
    """Send the certification reminders that are due (daily at 05:50); idempotent."""
    reminded = send_certification_reminders(
        session=session, rule=current_rule(), today=local_today(), config=current_app.config
    )
    return {"reminded": reminded}
