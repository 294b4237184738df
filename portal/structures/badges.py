"""Structure badges on tree nodes: an active outsourcing without a confirmed management
structure, and a structure owed past its due date."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func
from sqlmodel import Session, select

from portal.features import Badge, NodeLike
from portal.models import OutsourcingStatus
from portal.obligations.queries import chunked
from portal.structures.models import CONFIRMED_STATUSES, EDITABLE_STATUSES, ManagementStructure
from portal.timeutil import local_today


def structure_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """One query for all active nodes: is a structure confirmed, and is one overdue."""
    ids = [node.id for node in nodes if node.status == OutsourcingStatus.ACTIVE]
    if not ids:
        return {}
    # One grouped pass over the structures of these nodes (cheaper than two correlated
    # subqueries per node): whether any version was confirmed, and the earliest still owed.
    m = ManagementStructure
    confirmed = func.max(case((m.status.in_(CONFIRMED_STATUSES), 1), else_=0))
    owed = func.min(case((m.status.in_(EDITABLE_STATUSES), m.due_date), else_=None))
    unconfirmed = Badge(
        str(_l("管理体制未確認")),
        "warn",
        str(_l("責任者及び業務従事者の管理体制が、書面で確認されていません。")),
        frozenset({"structure_unconfirmed"}),
    )
    overdue = Badge(
        str(_l("管理体制提出遅延")),
        "bad",
        str(_l("管理体制の提出期限を過ぎています。")),
        frozenset({"overdue"}),
    )
    today = local_today()
    result: dict[int, list[Badge]] = {}
    for part in chunked(ids):
        found = {
            node_id: (bool(is_confirmed), due)
            for node_id, is_confirmed, due in session.exec(
                select(m.outsourcing_id, confirmed, owed)
                .where(m.outsourcing_id.in_(part))
                .group_by(m.outsourcing_id)
            ).all()
        }
        for node_id in part:
            is_confirmed, due = found.get(node_id, (False, None))
            badges = []
            if not is_confirmed:
                badges.append(unconfirmed)
            if due is not None and due < today:
                badges.append(overdue)
            if badges:
                result[node_id] = badges
    return result
