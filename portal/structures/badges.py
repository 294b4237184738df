"""Structure badges on tree nodes: an active outsourcing without a confirmed management
structure, and a structure owed past its due date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from portal.features import Badge, NodeSet
from portal.models import Outsourcing, OutsourcingStatus
from portal.structures.models import CONFIRMED_STATUSES, EDITABLE_STATUSES, ManagementStructure
from portal.timeutil import local_today


def structure_badges(session: Session, nodes: NodeSet) -> dict[int, list[Badge]]:
    """One statement for the active nodes that need a badge: no structure confirmed, or one
    owed past its due date."""
    if not nodes:
        return {}
    # One pass over these nodes and their structures (an index per node), grouped by node:
    # whether any version was confirmed, and the earliest still owed.
    m, o = ManagementStructure, Outsourcing
    confirmed = func.coalesce(func.max(case((m.status.in_(CONFIRMED_STATUSES), 1), else_=0)), 0)
    owed = func.min(case((m.status.in_(EDITABLE_STATUSES), m.due_date), else_=None))
    today = local_today()
    rows = session.exec(
        select(o.id, confirmed == 1, owed < today)
        .outerjoin(m, m.outsourcing_id == o.id)
        .where(nodes.includes(o.id), o.status == OutsourcingStatus.ACTIVE)
        .group_by(o.id)
        .having(or_(confirmed == 0, owed < today))
    ).all()
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
    result: dict[int, list[Badge]] = {}
    for node_id, is_confirmed, is_overdue in rows:
        badges = []
        if not is_confirmed:
            badges.append(unconfirmed)
        if is_overdue:
            badges.append(overdue)
        result[node_id] = badges
    return result
