"""The pseudonymisation block of an outsourcing's detail page (``NODE_SECTIONS``)."""

from __future__ import annotations

from sqlmodel import Session

from portal.features import NodeSection
from portal.models import Outsourcing, User
from portal.outsourcings.scope import owns_department
from portal.permissions import Permission
from portal.provisions.queries import pseudonymisation_of


def pseudonymisation_section(session: Session, node: Outsourcing, user: User) -> NodeSection:
    """Whether identifying entries are removed or replaced before the data leaves, and why not."""
    from portal.provisions.views import labels

    return NodeSection(
        "provisions/_node_section.html",
        {
            "node": node,
            "decision": pseudonymisation_of(session=session, outsourcing_id=node.id),  # type: ignore[arg-type]
            "labels": labels(),
            "can_record": user.can(Permission.MANAGE_OUTSOURCINGS) and owns_department(user, node),
        },
    )
