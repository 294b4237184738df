"""The inspections' items of the start page: overdue and soon due inspections, corrective
actions past their date (officers); actions to answer and inspections planned (vendors)."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.features import HomeWidget
from portal.home import QueueEntry, QueueSpec, WorkQueue, days_until, load_queue
from portal.inspections.models import (
    OPEN_STATUSES,
    ActionStatus,
    CorrectiveAction,
    Inspection,
    InspectionFinding,
    InspectionStatus,
)
from portal.inspections.queries import visible_inspections
from portal.models import Outsourcing, User, Vendor
from portal.outsourcings.scope import visibility_clause
from portal.permissions import Permission
from portal.timeutil import local_today


def _inspection_entry(row: tuple[Inspection, Outsourcing, Vendor]) -> QueueEntry:
    inspection, node, vendor = row
    days = days_until(inspection.due_date, local_today()) or 0
    if days < 0:
        note, tone = _("期限を%(n)d日超過", n=-days), "bad"
    else:
        note, tone = _("期限まで%(n)d日", n=days), "warn"
    return QueueEntry(
        f"{vendor.name}：{node.task_name}",
        url_for("inspections.detail", inspection_id=inspection.id),
        inspection.due_date,
        note,
        tone,
    )


def _planned_entry(row: tuple[Inspection, Outsourcing, Vendor]) -> QueueEntry:
    inspection, node, vendor = row
    return QueueEntry(
        f"{vendor.name}：{node.task_name}",
        url_for("inspections.detail", inspection_id=inspection.id),
        inspection.planned_date,
        _("実施予定日"),
    )


def _action_entry(
    row: tuple[CorrectiveAction, InspectionFinding, Outsourcing, Vendor],
) -> QueueEntry:
    action, finding, _node, vendor = row
    days = days_until(action.due_date, local_today()) or 0
    note = _("期限を%(n)d日超過", n=-days) if days < 0 else _("期限まで%(n)d日", n=days)
    return QueueEntry(
        f"{vendor.name}：{action.description[:40]}",
        url_for("inspections.detail", inspection_id=finding.inspection_id),
        action.due_date,
        note,
        "bad" if days < 0 else "warn",
    )


def _more() -> str:
    return url_for("inspections.index")


OVERDUE = QueueSpec(
    "inspections_overdue",
    _l("期限を過ぎた実地検査"),
    (Inspection.due_date, Inspection.id),
    _inspection_entry,
    _more,
    "bad",
)
DUE_SOON = QueueSpec(
    "inspections_due_soon",
    _l("30日以内に期限の来る実地検査"),
    (Inspection.due_date, Inspection.id),
    _inspection_entry,
    _more,
)
ACTIONS_OVERDUE = QueueSpec(
    "actions_overdue",
    _l("期限を過ぎた是正措置"),
    (CorrectiveAction.due_date, CorrectiveAction.id),
    _action_entry,
    _more,
    "bad",
)
ACTIONS_TO_ANSWER = QueueSpec(
    "actions_to_answer",
    _l("回答する是正措置"),
    (CorrectiveAction.due_date, CorrectiveAction.id),
    _action_entry,
    _more,
)
PLANNED = QueueSpec(
    "inspections_planned",
    _l("予定されている実地検査"),
    (Inspection.planned_date, Inspection.id),
    _planned_entry,
    _more,
    "muted",
)


def _actions(user: User):
    return (
        select(CorrectiveAction, InspectionFinding, Outsourcing, Vendor)
        .join(InspectionFinding, InspectionFinding.id == CorrectiveAction.finding_id)
        .join(Outsourcing, Outsourcing.id == CorrectiveAction.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(visibility_clause(user))
    )


def inspections_overdue(session: Session, user: User) -> WorkQueue | None:
    """Open inspections past their due date."""
    if user.is_vendor:
        return None
    statement = visible_inspections(user).where(
        Inspection.status.in_(OPEN_STATUSES), Inspection.due_date < local_today()
    )
    return load_queue(session=session, user=user, statement=statement, spec=OVERDUE)


def inspections_due_soon(session: Session, user: User) -> WorkQueue | None:
    """Open inspections due within 30 days."""
    if user.is_vendor:
        return None
    today = local_today()
    statement = visible_inspections(user).where(
        Inspection.status.in_(OPEN_STATUSES),
        Inspection.due_date >= today,
        Inspection.due_date <= today + timedelta(days=30),
    )
    return load_queue(session=session, user=user, statement=statement, spec=DUE_SOON)


def actions_overdue(session: Session, user: User) -> WorkQueue | None:
    """Corrective actions not closed whose date has passed."""
    if user.is_vendor:
        return None
    statement = _actions(user).where(
        CorrectiveAction.status != ActionStatus.CLOSED, CorrectiveAction.due_date < local_today()
    )
    return load_queue(session=session, user=user, statement=statement, spec=ACTIONS_OVERDUE)


def actions_to_answer(session: Session, user: User) -> WorkQueue | None:
    """The vendor's corrective actions still waiting for its answer."""
    if not user.is_vendor:
        return None
    statement = _actions(user).where(
        CorrectiveAction.status == ActionStatus.OPEN, Outsourcing.vendor_id == user.vendor_id
    )
    return load_queue(session=session, user=user, statement=statement, spec=ACTIONS_TO_ANSWER)


def inspections_planned(session: Session, user: User) -> WorkQueue | None:
    """Inspections planned at the vendor's own sites."""
    if not user.is_vendor:
        return None
    statement = visible_inspections(user).where(
        Inspection.status == InspectionStatus.PLANNED, Outsourcing.vendor_id == user.vendor_id
    )
    return load_queue(session=session, user=user, statement=statement, spec=PLANNED)


WIDGETS = (
    HomeWidget("inspections_overdue", inspections_overdue, Permission.VIEW_INSPECTIONS),
    HomeWidget("inspections_due_soon", inspections_due_soon, Permission.VIEW_INSPECTIONS),
    HomeWidget("actions_overdue", actions_overdue, Permission.VIEW_INSPECTIONS),
    HomeWidget("actions_to_answer", actions_to_answer, Permission.ANSWER_CORRECTIVE_ACTIONS),
    HomeWidget("inspections_planned", inspections_planned, Permission.VIEW_INSPECTIONS),
)
