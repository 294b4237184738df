"""Reminders 30, 7 and 1 days before a report is due and when it is overdue.

The same rule as the inspection reminders (``reminder_kind``): each kind once per report,
stamped (``ReportReminder``) before any e-mail leaves; the portal lists the stamps, and the
e-mail goes to the vendor's users and the owning department's officers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.mail import send_mail
from portal.models import Outsourcing, User, Vendor
from portal.permissions import Role
from portal.reports.models import EDITABLE_STATUSES, ComplianceReport, ReportReminder
from portal.reports.rules import reminder_kind


def _subject(kind: str, task: str, vendor: str) -> str:
    if kind == "overdue":
        return _(
            "【定期報告】提出期限を過ぎています：%(task)s（%(vendor)s）", task=task, vendor=vendor
        )
    return _(
        "【定期報告】提出期限まで%(days)s日：%(task)s（%(vendor)s）",
        days=kind,
        task=task,
        vendor=vendor,
    )


def send_due_reminders(*, session: Session, today: date, config: Mapping[str, Any]) -> int:
    """Stamp (and e-mail) every reminder that is due today and not yet sent; returns how many."""
    rows = session.exec(
        select(ComplianceReport, Outsourcing, Vendor)
        .join(Outsourcing, Outsourcing.id == ComplianceReport.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(ComplianceReport.status.in_(EDITABLE_STATUSES))
    ).all()
    sent = set(session.exec(select(ReportReminder.report_id, ReportReminder.kind)).all())
    officers: dict[int, list[str]] = {}
    vendor_users: dict[int, list[str]] = {}
    for user in session.exec(select(User).where(User.active)).all():
        if user.role in {Role.MANAGER, Role.STAFF} and user.department_id:
            officers.setdefault(user.department_id, []).append(user.email)
        elif user.role == Role.VENDOR and user.vendor_id:
            vendor_users.setdefault(user.vendor_id, []).append(user.email)
    count = 0
    for report, node, vendor in rows:
        kind = reminder_kind(due=report.due_date, today=today)
        if kind is None or (report.id, kind) in sent:
            continue
        recipients = sorted(
            {*vendor_users.get(node.vendor_id, []), *officers.get(node.department_id, [])}
        )
        session.add(
            ReportReminder(report_id=report.id, kind=kind, recipients=",".join(recipients)[:2000])
        )
        session.flush()  # the unique (report, kind) stamp before anything leaves
        body = _(
            "委託業務「%(task)s」（委託先：%(vendor)s）の定期報告（%(start)s〜%(end)s）の"
            "提出期限は %(due)s です。\n\n委託先監督ポータルで報告を提出してください。",
            task=node.task_name,
            vendor=vendor.name,
            start=report.period_start.isoformat(),
            end=report.period_end.isoformat(),
            due=report.due_date.isoformat(),
        )
        send_mail(
            config, to=recipients, subject=_subject(kind, node.task_name, vendor.name), body=body
        )
        count += 1
    return count


def recent_reminders(*, session: Session, report_ids: list[int], today: date, days: int = 30):
    """Reminders of these reports stamped in the last ``days`` days, newest first."""
    if not report_ids:
        return []
    since = today - timedelta(days=days)
    rows = session.exec(
        select(ReportReminder, ComplianceReport, Outsourcing)
        .join(ComplianceReport, ComplianceReport.id == ReportReminder.report_id)
        .join(Outsourcing, Outsourcing.id == ComplianceReport.outsourcing_id)
        .where(ReportReminder.report_id.in_(report_ids))
        .order_by(ReportReminder.sent_at.desc())
    ).all()
    return [row for row in rows if row[0].sent_at.date() >= since]
