"""Reminders 30, 7 and 1 days before an inspection is due and when it is overdue.

Each kind is sent once per inspection and stamped (``InspectionReminder``) by the one reminder
run of ``portal.obligations``; the portal shows the stamped reminders, and e-mail goes to the
owning department's officers and the assigned inspector when SMTP is configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from portal.inspections.obligation import INSPECTION_OBLIGATION
from portal.obligations import reminders


def send_due_reminders(*, session: Session, today: date, config: Mapping[str, Any]) -> int:
    """Stamp (and e-mail) every inspection reminder due today and not yet sent; how many."""
    return reminders.send_kind_reminders(
        session=session, kind=INSPECTION_OBLIGATION, today=today, config=config
    )


def recent_reminders(*, session: Session, inspection_ids: list[int], today: date, days: int = 30):
    """Reminders of these inspections stamped in the last ``days`` days, newest first."""
    return reminders.recent_reminders(
        session=session, kind=INSPECTION_OBLIGATION, owed_ids=inspection_ids, today=today, days=days
    )
