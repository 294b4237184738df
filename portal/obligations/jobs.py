"""The daily reminder run over every registered obligation kind (scheduled by
``register_obligation``); the features' own daily runs, which create what is owed, go first."""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlmodel import Session

from portal.jobs import periodic
from portal.obligations.reminders import send_due_reminders
from portal.timeutil import local_today


@periodic("obligation_reminders", crontab(minute="55", hour="5"))
def obligation_reminders(*, session: Session) -> dict[str, int]:
    """Send the reminders due today of every kind (daily at 05:55, after the features' runs
    of 05:30–05:50 created what is owed); idempotent: each reminder once per row and kind."""
    return send_due_reminders(session=session, today=local_today(), config=current_app.config)
