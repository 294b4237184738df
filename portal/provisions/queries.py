"""Reading provisions within a user's scope: the officers of the department that provides
them, and the chief and the auditor (everything); vendors and the administrator see none."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, true
from sqlmodel import Session, select

from portal.models import User
from portal.permissions import Role
from portal.provisions.models import (
    ImprovementRequest,
    ImprovementStatus,
    OutsourcingPseudonymisation,
    Provision,
    ProvisionAttachment,
    ProvisionCheck,
)


def provision_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``Provision`` that keeps exactly what ``user`` may see."""
    if not user.active:
        return false()
    role = Role(user.role)
    if role in {Role.CHIEF, Role.AUDITOR}:
        return true()
    if role in {Role.MANAGER, Role.STAFF} and user.department_id is not None:
        return Provision.department_id == user.department_id
    return false()


def visible_provisions(user: User) -> Any:
    """``select(Provision)`` limited to what ``user`` may see."""
    return select(Provision).where(provision_scope(user))


def get_visible_provision(*, session: Session, user: User, provision_id: int) -> Provision | None:
    """The provision if ``user`` may see it, else None (callers answer 404)."""
    return session.exec(visible_provisions(user).where(Provision.id == provision_id)).first()


def checks_of(*, session: Session, provision_id: int) -> list[ProvisionCheck]:
    """The checks of a provision, newest first."""
    return list(
        session.exec(
            select(ProvisionCheck)
            .where(ProvisionCheck.provision_id == provision_id)
            .order_by(ProvisionCheck.checked_on.desc(), ProvisionCheck.id.desc())
        ).all()
    )


def improvements_of(*, session: Session, provision_id: int) -> list[ImprovementRequest]:
    """The improvement requests of a provision, by due date."""
    return list(
        session.exec(
            select(ImprovementRequest)
            .where(ImprovementRequest.provision_id == provision_id)
            .order_by(ImprovementRequest.due_date, ImprovementRequest.id)
        ).all()
    )


def open_improvements(
    *, session: Session, user: User
) -> list[tuple[ImprovementRequest, Provision]]:
    """The open improvement requests of the provisions ``user`` sees, earliest due first."""
    rows = session.exec(
        select(ImprovementRequest, Provision)
        .join(Provision, Provision.id == ImprovementRequest.provision_id)
        .where(provision_scope(user), ImprovementRequest.status == ImprovementStatus.OPEN)
        .order_by(ImprovementRequest.due_date, ImprovementRequest.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def agreements_of(*, session: Session, provision_id: int) -> list[Any]:
    """The files kept with a provision (its agreement first), oldest first."""
    return list(
        session.exec(
            select(ProvisionAttachment)
            .where(ProvisionAttachment.provision_id == provision_id)
            .order_by(ProvisionAttachment.id)
        ).all()
    )


def pseudonymisation_of(
    *, session: Session, outsourcing_id: int
) -> OutsourcingPseudonymisation | None:
    """The pseudonymisation decision recorded for an outsourcing, if any."""
    return session.exec(
        select(OutsourcingPseudonymisation).where(
            OutsourcingPseudonymisation.outsourcing_id == outsourcing_id
        )
    ).first()
