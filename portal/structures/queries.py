"""Reading management structures within the user's scope: officers and readers through the
chain's scope; a vendor's users for the nodes their vendor holds and the subcontracts below
them (the contractor has its subcontractors take the same measures, 第1項 and 第4項)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from portal.models import Outsourcing, User, Vendor
from portal.obligations.queries import get_with_node, with_node
from portal.outsourcings.scope import visibility_clause
from portal.structures.models import (
    CONFIRMED_STATUSES,
    EDITABLE_STATUSES,
    ManagementStructure,
    StructureStatus,
)
from portal.structures.rules import current_at
from portal.timeutil import to_local


def structure_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``Outsourcing``: the nodes whose structures ``user`` may see."""
    return visibility_clause(user)


def visible_structures(user: User) -> Any:
    """``select(ManagementStructure, Outsourcing, Vendor)`` limited to what ``user`` may see."""
    return with_node(ManagementStructure, structure_scope(user))


def get_visible_structure(
    *, session: Session, user: User, structure_id: int
) -> tuple[ManagementStructure, Outsourcing, Vendor] | None:
    """The version with its outsourcing and vendor if ``user`` may see it, else None."""
    return get_with_node(
        session=session,
        model=ManagementStructure,
        scope=structure_scope(user),
        row_id=structure_id,
    )


def versions_of(*, session: Session, outsourcing_id: int) -> list[ManagementStructure]:
    """Every version of one outsourcing's structure, newest first (the caller checked scope)."""
    return list(
        session.exec(
            select(ManagementStructure)
            .where(ManagementStructure.outsourcing_id == outsourcing_id)
            .order_by(ManagementStructure.version.desc())
        ).all()
    )


def confirmed_on(structure: ManagementStructure) -> date | None:
    """The local day a version was confirmed (None when it never was)."""
    if structure.status not in CONFIRMED_STATUSES or structure.reviewed_at is None:
        return None
    return to_local(structure.reviewed_at).date()  # type: ignore[union-attr]


def structure_at(
    *, session: Session, outsourcing_id: int, when: date
) -> ManagementStructure | None:
    """The confirmed version of one outsourcing's structure in force on ``when``."""
    rows = session.exec(
        select(ManagementStructure)
        .where(
            ManagementStructure.outsourcing_id == outsourcing_id,
            ManagementStructure.status.in_(CONFIRMED_STATUSES),
        )
        .order_by(ManagementStructure.version)
    ).all()
    pairs = [(row, day) for row in rows if (day := confirmed_on(row)) is not None]
    return current_at(pairs, when)


def structure_lists(
    *, session: Session, user: User, today: date, department_id: int | None = None
) -> dict[str, list[tuple[ManagementStructure, Outsourcing, Vendor]]]:
    """Versions in scope by what they wait for: overdue, owed (the vendor's writing),
    submitted (the officer's confirmation), returned (the vendor's correction)."""
    statement = visible_structures(user).where(
        ManagementStructure.status.in_([*EDITABLE_STATUSES, StructureStatus.SUBMITTED])
    )
    if department_id:
        statement = statement.where(Outsourcing.department_id == department_id)
    rows = [
        tuple(row)
        for row in session.exec(
            statement.order_by(ManagementStructure.due_date, ManagementStructure.id)
        ).all()
    ]
    owed = [r for r in rows if r[0].status in EDITABLE_STATUSES]
    return {
        "overdue": [r for r in owed if r[0].due_date < today],
        "owed": [r for r in owed if r[0].due_date >= today],
        "submitted": [r for r in rows if r[0].status == StructureStatus.SUBMITTED],
        "returned": [r for r in owed if r[0].status == StructureStatus.RETURNED],
    }  # type: ignore[return-value]
