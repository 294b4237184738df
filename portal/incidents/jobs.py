"""Incident jobs: e-mail the portal notices once they are committed, and the daily reminders
of the Commission deadlines (each kind once per incident, stamped)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from huey import crontab
from sqlmodel import Session, select

from portal.incidents.models import (
    EventKind,
    Incident,
    IncidentEvent,
    IncidentNotice,
    IncidentReminder,
    IncidentStatus,
)
from portal.incidents.rules import Deadlines, reminder_kinds
from portal.jobs import job, periodic
from portal.mail import send_mail
from portal.models import Outsourcing, User, Vendor
from portal.permissions import Role
from portal.timeutil import local_today


@job("incident_notice_mail")
def incident_notice_mail(notice_ids: list[int], *, session: Session) -> int:
    """E-mail the portal notices ``notice_ids`` to their users; returns how many were sent."""
    rows = session.exec(
        select(IncidentNotice, User, Incident, Outsourcing, Vendor)
        .join(User, User.id == IncidentNotice.user_id)
        .join(Incident, Incident.id == IncidentNotice.incident_id)
        .join(Outsourcing, Outsourcing.id == Incident.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(IncidentNotice.id.in_(notice_ids))
    ).all()
    sent = 0
    for notice, user, incident, node, vendor in rows:
        body = _(
            "%(message)s\n委託業務：%(task)s（委託先：%(vendor)s）\n事案の概要：%(summary)s\n\n"
            "委託先監督ポータルで事案 #%(id)d を確認してください。",
            message=notice.message,
            task=node.task_name,
            vendor=vendor.name,
            summary=incident.summary[:500],
            id=incident.id,
        )
        if send_mail(
            current_app.config,
            to=[user.email],
            subject=_("【漏えい等の事案】%(m)s", m=notice.message),
            body=body,
        ):
            sent += 1
    return sent


def _reminder_text(kind: str, incident: Incident) -> str:
    if kind == "first":
        return _(
            "個人情報保護委員会への速報の目安日（%(due)s）です。速やかに報告してください。",
            due=incident.first_report_due.isoformat(),  # type: ignore[union-attr]
        )
    if kind == "final_7":
        return _(
            "個人情報保護委員会への確報の期限（%(due)s）まで7日以内です。",
            due=incident.final_report_due.isoformat(),  # type: ignore[union-attr]
        )
    return _(
        "個人情報保護委員会への確報の期限（%(due)s）を過ぎています。",
        due=incident.final_report_due.isoformat(),  # type: ignore[union-attr]
    )


def send_deadline_reminders(*, session: Session, today: date, config: Mapping[str, Any]) -> int:
    """Stamp, show and e-mail every Commission-deadline reminder due today and not yet sent;
    returns how many."""
    rows = session.exec(
        select(Incident, Outsourcing)
        .join(Outsourcing, Outsourcing.id == Incident.outsourcing_id)
        .where(Incident.status == IncidentStatus.OPEN, Incident.commission_required)
    ).all()
    sent = set(session.exec(select(IncidentReminder.incident_id, IncidentReminder.kind)).all())
    officers: dict[int, list[User]] = {}
    for user in session.exec(
        select(User).where(User.active, User.role.in_([Role.MANAGER, Role.STAFF]))
    ).all():
        officers.setdefault(user.department_id, []).append(user)  # type: ignore[arg-type]
    count = 0
    for incident, node in rows:
        if incident.first_report_due is None or incident.final_report_due is None:
            continue
        kinds = reminder_kinds(
            deadlines=Deadlines(incident.first_report_due, incident.final_report_due, 0),
            first_filed=incident.first_reported_on is not None,
            final_filed=incident.final_reported_on is not None,
            today=today,
        )
        for kind in kinds:
            if (incident.id, kind) in sent:
                continue
            users = officers.get(node.department_id, [])
            recipients = sorted(u.email for u in users)
            session.add(
                IncidentReminder(
                    incident_id=incident.id, kind=kind, recipients=",".join(recipients)[:2000]
                )
            )
            session.flush()  # the unique (incident, kind) stamp before anything leaves
            text = _reminder_text(kind, incident)
            session.add(IncidentEvent(incident_id=incident.id, kind=EventKind.REMINDER, note=text))
            session.add_all(
                IncidentNotice(incident_id=incident.id, user_id=u.id, kind="reminder", message=text)
                for u in users
            )
            send_mail(
                config,
                to=recipients,
                subject=_("【漏えい等の事案】%(m)s", m=text),
                body=_(
                    "委託業務「%(task)s」の事案 #%(id)d：%(text)s",
                    task=node.task_name,
                    id=incident.id,
                    text=text,
                ),
            )
            count += 1
    session.flush()
    return count


@periodic("incidents_daily", crontab(minute="0", hour="6"))
def incidents_daily(*, session: Session) -> dict[str, int]:
    """Send the Commission-deadline reminders that are due (daily at 06:00); idempotent."""
    return {
        "reminded": send_deadline_reminders(
            session=session, today=local_today(), config=current_app.config
        )
    }
