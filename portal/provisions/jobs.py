"""The daily provision run: chase the improvement requests whose follow-up date nears."""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlmodel import Session

from portal.jobs import periodic
from portal.provisions.operations import send_improvement_reminders
from portal.timeutil import local_today


@periodic("provisions_daily", crontab(minute="50", hour="5"))
def provisions_daily(*, session: Session) -> dict[str, int]:
    """Send the improvement reminders that are due (daily at 05:50); idempotent."""
    reminded = send_improvement_reminders(
        session=session, today=local_today(), config=current_app.config
    )
    return {"reminded": reminded}
