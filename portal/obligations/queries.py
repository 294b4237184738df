"""Reading owed rows: with their outsourcing and vendor within a scope, limited to some
outsourcings or one department, and the attachments and history of a row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from portal.models import Outsourcing, Vendor
from portal.obligations.registry import Holder, ObligationKind, Party


def with_node(model: Any, where: ColumnElement[bool]) -> Any:
    """``select(model, Outsourcing, Vendor)``: each row with its outsourcing and vendor, for
    the rows ``where`` admits (e.g. the user's scope, a clause on ``Outsourcing``)."""
    return (
        select(model, Outsourcing, Vendor)
        .join(Outsourcing, Outsourcing.id == model.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(where)
    )


#: The holder of the rows of most kinds: the outsourcing their ``outsourcing_id`` names.
OUTSOURCING_HOLDER = Holder(
    rows=with_node,
    party=lambda parts: Party(parts[0].department_id, parts[0].vendor_id),
    fields=lambda parts: {"task": parts[0].task_name, "vendor": parts[1].name},
)


def holder_of(kind: ObligationKind) -> Holder:
    """What the rows of ``kind`` belong to (their outsourcing unless it says otherwise)."""
    return kind.holder or OUTSOURCING_HOLDER


def get_with_node(
    *, session: Session, model: Any, scope: ColumnElement[bool], row_id: int
) -> tuple[Any, Outsourcing, Vendor] | None:
    """The row with its outsourcing and vendor if its outsourcing is in ``scope``, else None."""
    row = session.exec(with_node(model, scope).where(model.id == row_id)).first()
    return tuple(row) if row else None  # type: ignore[return-value]


@dataclass(frozen=True)
class NodeSelection:
    """The outsourcings a sync works on: all, the given ids, and/or one department's."""

    outsourcing_ids: tuple[int, ...] | None = None
    department_id: int | None = None

    @classmethod
    def of_ids(cls, *outsourcing_ids: int) -> NodeSelection:
        """These outsourcings (none at all when no id is given)."""
        return cls(outsourcing_ids=outsourcing_ids)

    def where(self, outsourcing_id: Any) -> list[ColumnElement[bool]]:
        """Conditions that limit ``outsourcing_id`` (a column) to the selection."""
        conditions = []
        if self.outsourcing_ids is not None:
            conditions.append(outsourcing_id.in_(self.outsourcing_ids))
        if self.department_id is not None:
            in_department = select(Outsourcing.id).where(
                Outsourcing.department_id == self.department_id
            )
            conditions.append(outsourcing_id.in_(in_department))
        return conditions


#: Every outsourcing.
ALL_NODES = NodeSelection()


def attachments_of(*, session: Session, kind: ObligationKind, owed_id: int) -> list[Any]:
    """The attachments of an owed row, oldest first."""
    model = kind.attachment_model
    return list(
        session.exec(
            select(model).where(getattr(model, kind.owner) == owed_id).order_by(model.id)
        ).all()
    )


def history_of(*, session: Session, kind: ObligationKind, owed_id: int) -> list[Any]:
    """The history rows of an owed row, oldest first."""
    model = kind.history_model
    return list(
        session.exec(
            select(model).where(getattr(model, kind.owner) == owed_id).order_by(model.at, model.id)
        ).all()
    )
