"""Reading incidents within the user's scope (every read goes through the chain's scope)."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.incidents.models import (
    Incident,
    IncidentEvent,
    IncidentNotice,
    IncidentShare,
)
from portal.models import Department, Outsourcing, User, Vendor
from portal.outsourcings.scope import visibility_clause
from portal.permissions import Role


def visible_incidents(user: User):
    """``select(Incident, Outsourcing, Vendor)`` limited to what ``user`` may see."""
    return (
        select(Incident, Outsourcing, Vendor)
        .join(Outsourcing, Outsourcing.id == Incident.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(visibility_clause(user))
    )


def get_visible_incident(
    *, session: Session, user: User, incident_id: int
) -> tuple[Incident, Outsourcing, Vendor] | None:
    """The incident with its outsourcing and vendor if ``user`` may see it, else None."""
    row = session.exec(visible_incidents(user).where(Incident.id == incident_id)).first()
    return tuple(row) if row else None  # type: ignore[return-value]


def incident_list(
    *, session: Session, user: User, status: str | None = None
) -> list[tuple[Incident, Outsourcing, Vendor]]:
    """Incidents in scope, open ones first, newest first."""
    statement = visible_incidents(user)
    if status:
        statement = statement.where(Incident.status == status)
    rows = session.exec(
        statement.order_by(Incident.status.desc(), Incident.reported_at.desc(), Incident.id.desc())
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def timeline(*, session: Session, incident_id: int) -> list[tuple[IncidentEvent, User | None]]:
    """Every event of an incident in order, with the user who acted (None: the system)."""
    rows = session.exec(
        select(IncidentEvent, User)
        .join(User, User.id == IncidentEvent.actor_id, isouter=True)
        .where(IncidentEvent.incident_id == incident_id)
        .order_by(IncidentEvent.at, IncidentEvent.id)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def notices_for(*, session: Session, user: User, limit: int = 20):
    """The latest portal notices addressed to ``user``, with their incident (newest first).

    A notice names the incident but the incident page still applies scope: a department
    that receives shared measures reads them on the shared-measures page.
    """
    return session.exec(
        select(IncidentNotice, Incident, Outsourcing)
        .join(Incident, Incident.id == IncidentNotice.incident_id)
        .join(Outsourcing, Outsourcing.id == Incident.outsourcing_id)
        .where(IncidentNotice.user_id == user.id)
        .order_by(IncidentNotice.created_at.desc(), IncidentNotice.id.desc())
        .limit(limit)
    ).all()


def shared_measures(
    *, session: Session, user: User
) -> list[tuple[IncidentShare, Incident, Outsourcing, Vendor, Department]]:
    """Recurrence-prevention measures shared with the user's department (every department's
    for the chief and the auditor), newest first."""
    statement = (
        select(IncidentShare, Incident, Outsourcing, Vendor, Department)
        .join(Incident, Incident.id == IncidentShare.incident_id)
        .join(Outsourcing, Outsourcing.id == Incident.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .join(Department, Department.id == IncidentShare.department_id)
    )
    if user.role not in {Role.CHIEF, Role.AUDITOR}:
        if user.department_id is None:
            return []
        statement = statement.where(IncidentShare.department_id == user.department_id)
    rows = session.exec(statement.order_by(IncidentShare.shared_at.desc())).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def shares_of(*, session: Session, incident_id: int) -> list[tuple[IncidentShare, Department]]:
    """The departments an incident's measures were shared with, and why."""
    rows = session.exec(
        select(IncidentShare, Department)
        .join(Department, Department.id == IncidentShare.department_id)
        .where(IncidentShare.incident_id == incident_id)
        .order_by(Department.name)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]
