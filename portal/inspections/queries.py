"""Reading inspections within the user's scope (every read goes through the chain's scope)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from portal.inspections.models import (
    OPEN_STATUSES,
    ActionStatus,
    CorrectiveAction,
    Inspection,
    InspectionFinding,
)
from portal.models import Outsourcing, User, Vendor
from portal.obligations.queries import get_with_node, with_node
from portal.outsourcings.scope import visibility_clause

# Lives in the core now (every feature with due dates needs it); the views call it from here.
from portal.timeutil import local_today as local_today


def visible_inspections(user: User):
    """``select(Inspection, Outsourcing, Vendor)`` limited to what ``user`` may see."""
    return with_node(Inspection, visibility_clause(user))


def get_visible_inspection(
    *, session: Session, user: User, inspection_id: int
) -> tuple[Inspection, Outsourcing, Vendor] | None:
    """The inspection with its outsourcing and vendor if ``user`` may see it, else None."""
    scope = visibility_clause(user)
    return get_with_node(session=session, model=Inspection, scope=scope, row_id=inspection_id)


def open_inspections(
    *,
    session: Session,
    user: User,
    department_id: int | None = None,
    until: date | None = None,
) -> list[tuple[Inspection, Outsourcing, Vendor]]:
    """Open inspections in scope, soonest due first (optionally of one department)."""
    statement = visible_inspections(user).where(Inspection.status.in_(OPEN_STATUSES))
    if department_id:
        statement = statement.where(Outsourcing.department_id == department_id)
    if until is not None:
        statement = statement.where(Inspection.due_date <= until)
    rows = session.exec(statement.order_by(Inspection.due_date, Inspection.id)).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def due_lists(
    rows: list[tuple[Inspection, Outsourcing, Vendor]], today: date, days: int = 30
) -> tuple[list, list]:
    """Split open inspections into overdue and due within ``days``."""
    soon = today + timedelta(days=days)
    overdue = [r for r in rows if r[0].due_date < today]
    due = [r for r in rows if today <= r[0].due_date <= soon]
    return overdue, due


def findings_of(
    *, session: Session, inspection_id: int
) -> list[tuple[InspectionFinding, CorrectiveAction | None]]:
    """The findings of an inspection, each with its corrective action (if any)."""
    rows = session.exec(
        select(InspectionFinding, CorrectiveAction)
        .join(
            CorrectiveAction,
            CorrectiveAction.finding_id == InspectionFinding.id,
            isouter=True,
        )
        .where(InspectionFinding.inspection_id == inspection_id)
        .order_by(InspectionFinding.id)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def open_actions(
    *, session: Session, user: User
) -> list[tuple[CorrectiveAction, Outsourcing, InspectionFinding]]:
    """Corrective actions in scope that still wait for the vendor's answer (with the finding,
    whose ``inspection_id`` links to the inspection page)."""
    rows = session.exec(
        select(CorrectiveAction, Outsourcing, InspectionFinding)
        .join(Outsourcing, Outsourcing.id == CorrectiveAction.outsourcing_id)
        .join(InspectionFinding, InspectionFinding.id == CorrectiveAction.finding_id)
        .where(visibility_clause(user), CorrectiveAction.status == ActionStatus.OPEN)
        .order_by(CorrectiveAction.due_date)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]
