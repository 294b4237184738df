"""Reminders 30, 7 and 1 days before a report is due and when it is overdue.

The same run as the inspection reminders (``portal.obligations.reminders``): each kind once
per report, stamped (``ReportReminder``) before any e-mail leaves; the portal lists the stamps,
and the e-mail goes to the vendor's users and the owning department's officers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from portal.obligations.reminders import recent_reminders as recent_of_kind
from portal.obligations.reminders import send_kind_reminders
from portal.reports.obligation import REPORT_OBLIGATION


def send_due_reminders(*, session: Session, today: date, config: Mapping[str, Any]) -> int:
    """Stamp (and e-mail) every report reminder due today and not yet sent; how many."""
    return send_kind_reminders(session=session, kind=REPORT_OBLIGATION, today=today, config=config)


def recent_reminders(*, session: Session, report_ids: list[int], today: date, days: int = 30):
    """Reminders of these reports stamped in the last ``days`` days, newest first."""
    return recent_of_kind(
        session=session, kind=REPORT_OBLIGATION, owed_ids=report_ids, today=today, days=days
    )
