"""The daily structure run: owe a structure of every outsourcing that became active, and
send the reminders due (7 and 1 days before, and once overdue)."""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlmodel import Session

from portal.jobs import periodic
from portal.obligations.reminders import send_kind_reminders
from portal.structures.obligation import STRUCTURE_OBLIGATION
from portal.structures.operations import sync_structures
from portal.timeutil import local_today


@periodic("structures_daily", crontab(minute="45", hour="5"))
def structures_daily(*, session: Session) -> dict[str, int]:
    """Create the first owed version of each newly active outsourcing and send the due
    reminders (daily at 05:45); idempotent."""
    today = local_today()
    created = sync_structures(session=session, today=today).created
    reminded = send_kind_reminders(
        session=session, kind=STRUCTURE_OBLIGATION, today=today, config=current_app.config
    )
    return {"created": created, "reminded": reminded}
