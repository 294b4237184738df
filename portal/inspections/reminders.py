"""Reminders 30, 7 and 1 days before an inspection is due and when it is overdue.

Each kind is sent once per inspection and stamped (``InspectionReminder``); the portal shows
the stamped reminders, and e-mail goes to the owning department's officers and the assigned
inspector when SMTP is configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.inspections.models import OPEN_STATUSES, Inspection, InspectionReminder
from portal.inspections.rules import reminder_kind
from portal.mail import send_mail
from portal.models import Outsourcing, User, Vendor
from portal.permissions import Role


def _subject(kind: str, task: str, vendor: str) -> str:
    if kind == "overdue":
        return _("【実地検査】期限を過ぎています：%(task)s（%(vendor)s）", task=task, vendor=vendor)
    return _(
        "【実地検査】期限まで%(days)s日：%(task)s（%(vendor)s）",
        days=kind,
        task=task,
        vendor=vendor,
    )


def send_due_reminders(*, session: Session, today: date, config: Mapping[str, Any]) -> int:
    """Stamp (and e-mail) every reminder that is due today and not yet sent; returns how many."""
    rows = session.exec(
        select(Inspection, Outsourcing, Vendor)
        .join(Outsourcing, Outsourcing.id == Inspection.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(Inspection.status.in_(OPEN_STATUSES))
    ).all()
    sent = set(
        session.exec(select(InspectionReminder.inspection_id, InspectionReminder.kind)).all()
    )
    officers: dict[int, list[str]] = {}
    for user in session.exec(
        select(User).where(User.active, User.role.in_([Role.MANAGER, Role.STAFF]))
    ).all():
        officers.setdefault(user.department_id, []).append(user.email)
    inspectors = {u.id: u.email for u in session.exec(select(User).where(User.active)).all()}
    count = 0
    for inspection, node, vendor in rows:
        kind = reminder_kind(due=inspection.due_date, today=today)
        if kind is None or (inspection.id, kind) in sent:
            continue
        recipients = sorted(
            {
                *officers.get(node.department_id, []),
                *(
                    [inspectors[inspection.inspector_id]]
                    if inspection.inspector_id in inspectors
                    else []
                ),
            }
        )
        session.add(
            InspectionReminder(
                inspection_id=inspection.id, kind=kind, recipients=",".join(recipients)[:2000]
            )
        )
        session.flush()  # the unique (inspection, kind) stamp before anything leaves
        body = _(
            "委託業務「%(task)s」（委託先：%(vendor)s）の実地検査の期限は %(due)s です。\n"
            "実施予定日：%(planned)s\n\n委託先監督ポータルで予定を確認してください。",
            task=node.task_name,
            vendor=vendor.name,
            due=inspection.due_date.isoformat(),
            planned=inspection.planned_date.isoformat() if inspection.planned_date else _("未定"),
        )
        send_mail(
            config, to=recipients, subject=_subject(kind, node.task_name, vendor.name), body=body
        )
        count += 1
    return count


def recent_reminders(*, session: Session, inspection_ids: list[int], today: date, days: int = 30):
    """Reminders of these inspections stamped in the last ``days`` days, newest first."""
    if not inspection_ids:
        return []
    since = today - timedelta(days=days)
    rows = session.exec(
        select(InspectionReminder, Inspection, Outsourcing)
        .join(Inspection, Inspection.id == InspectionReminder.inspection_id)
        .join(Outsourcing, Outsourcing.id == Inspection.outsourcing_id)
        .where(InspectionReminder.inspection_id.in_(inspection_ids))
        .order_by(InspectionReminder.sent_at.desc())
    ).all()
    return [row for row in rows if row[0].sent_at.date() >= since]
