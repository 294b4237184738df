"""Who sees which outsourcings: the one place that decides it.

- chief, auditor: everything;
- admin: nothing (accounts and organisation only; the role has no VIEW_OUTSOURCINGS either);
- manager, staff: the roots their department owns and everything below them;
- vendor: the nodes its vendor holds and the sub-trees below them (never the parent's other
  subcontractors, never other vendors).

Every list, detail, tree, export and API answer filters through ``visible_outsourcings``.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portal.models import Outsourcing, User
from portal.permissions import Role

_EVERYTHING = {Role.CHIEF, Role.AUDITOR}


def visibility_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``Outsourcing`` that keeps exactly what ``user`` may see."""
    if not user.active:
        return false()
    role = Role(user.role)
    if role in _EVERYTHING:
        return true()
    if role in {Role.MANAGER, Role.STAFF}:
        if user.department_id is None:
            return false()
        return Outsourcing.department_id == user.department_id
    if role == Role.VENDOR:
        if user.vendor_id is None:
            return false()
        held = aliased(Outsourcing)
        # A node is visible when a node the vendor holds is it or one of its ancestors:
        # the held node's path is a prefix of this node's path.
        return exists(
            select(held.id).where(
                and_(
                    held.vendor_id == user.vendor_id,
                    Outsourcing.path.startswith(held.path, autoescape=False),
                )
            )
        )
    return false()


def visible_outsourcings(user: User):
    """``select(Outsourcing)`` limited to what ``user`` may see."""
    return select(Outsourcing).where(visibility_clause(user))


def get_visible(*, session: Session, user: User, outsourcing_id: int) -> Outsourcing | None:
    """The outsourcing if ``user`` may see it, else None (callers answer 404, not 403).

    Asking for one that exists outside the user's scope is recorded in the access log
    (``scope.denied``): the auditors look for such attempts."""
    node = session.exec(visible_outsourcings(user).where(Outsourcing.id == outsourcing_id)).first()
    if node is None and session.get(Outsourcing, outsourcing_id) is not None:
        from portal.audit import record

        record(
            "scope.denied",
            object_type="outsourcing",
            object_id=outsourcing_id,
            outcome="denied",
            actor=user,
            session=session,
        )
    return node


def holds(user: User, outsourcing: Outsourcing) -> bool:
    """Whether ``user`` is a vendor user of the vendor that holds ``outsourcing`` itself."""
    return user.role == Role.VENDOR and user.vendor_id == outsourcing.vendor_id


def owns_department(user: User, outsourcing: Outsourcing) -> bool:
    """Whether ``user`` is an officer of the department that owns the chain of ``outsourcing``."""
    return (
        user.role in {Role.MANAGER, Role.STAFF} and user.department_id == outsourcing.department_id
    )


__all__ = ["get_visible", "holds", "owns_department", "visibility_clause", "visible_outsourcings"]
