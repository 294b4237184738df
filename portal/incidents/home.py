"""The incidents' items of the start page: open incidents with the days left to the
Commission's 速報 and 確報 (officers), and the incidents a vendor reported (vendors)."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from portal.features import HomeWidget
from portal.home import QueueEntry, QueueSpec, WorkQueue, days_until, load_queue
from portal.incidents.models import Incident, IncidentStatus
from portal.incidents.queries import visible_incidents
from portal.models import Outsourcing, User, Vendor
from portal.permissions import Permission
from portal.timeutil import local_today


def _deadline_note(label: str, due: date | None, done: date | None) -> tuple[str, str] | None:
    """The days left to a Commission report still owed (None once made or without a date)."""
    if due is None or done is not None:
        return None
    days = days_until(due, local_today()) or 0
    if days < 0:
        return _("%(what)sの期限を%(n)d日超過", what=label, n=-days), "bad"
    return _("%(what)sまで%(n)d日", what=label, n=days), "bad" if days <= 1 else "warn"


def _incident_entry(row: tuple[Incident, Outsourcing, Vendor]) -> QueueEntry:
    incident, _node, vendor = row
    notes = [
        note
        for note in (
            _deadline_note(_("速報"), incident.first_report_due, incident.first_reported_on),
            _deadline_note(_("確報"), incident.final_report_due, incident.final_reported_on),
        )
        if note
    ]
    if not incident.commission_required:
        text, tone = _("委員会への報告は不要と判定"), "muted"
    elif notes:
        text, tone = "・".join(n[0] for n in notes), notes[0][1]
    else:
        text, tone = _("委員会へ報告済み"), "ok"
    if incident.status == IncidentStatus.CLOSED:
        text, tone = _("終結"), "ok"
    return QueueEntry(
        f"{vendor.name}：{incident.summary[:40]}",
        url_for("incidents.detail", incident_id=incident.id),
        incident.aware_on,
        text,
        tone,
    )


def _more() -> str:
    return url_for("incidents.index")


OPEN = QueueSpec(
    "incidents_open",
    _l("対応中の漏えい等の事案"),
    (Incident.aware_on, Incident.id),
    _incident_entry,
    _more,
    "bad",
)
REPORTED = QueueSpec(
    "incidents_reported",
    _l("報告した漏えい等の事案"),
    (Incident.status.desc(), Incident.aware_on.desc(), Incident.id.desc()),
    _incident_entry,
    _more,
    "muted",
)


def incidents_open(session: Session, user: User) -> WorkQueue | None:
    """Open incidents in scope, the oldest first."""
    if user.is_vendor:
        return None
    statement = visible_incidents(user).where(Incident.status == IncidentStatus.OPEN)
    return load_queue(session=session, user=user, statement=statement, spec=OPEN)


def incidents_reported(session: Session, user: User) -> WorkQueue | None:
    """The incidents at the vendor's own nodes (open first, newest first)."""
    if not user.is_vendor:
        return None
    statement = visible_incidents(user).where(Outsourcing.vendor_id == user.vendor_id)
    return load_queue(session=session, user=user, statement=statement, spec=REPORTED)


WIDGETS = (
    HomeWidget("incidents_open", incidents_open, Permission.VIEW_INCIDENTS),
    HomeWidget("incidents_reported", incidents_reported, Permission.VIEW_INCIDENTS),
)
