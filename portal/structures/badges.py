"""Structure badges on tree nodes: an active outsourcing without a confirmed management
structure, and a structure owed past its due date."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.features import Badge, NodeLike
from portal.models import Outsourcing, OutsourcingStatus
from portal.obligations.queries import chunked, earliest_owed
from portal.structures.models import CONFIRMED_STATUSES, EDITABLE_STATUSES, ManagementStructure
from portal.timeutil import local_today


def structure_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """One query for all active nodes: is a structure confirmed, and is one overdue."""
    ids = [node.id for node in nodes if node.status == OutsourcingStatus.ACTIVE]
    if not ids:
        return {}
    confirmed = (
        select(ManagementStructure.id)
        .where(
            ManagementStructure.outsourcing_id == Outsourcing.id,
            ManagementStructure.status.in_(CONFIRMED_STATUSES),
        )
        .exists()
    )
    owed = earliest_owed(ManagementStructure, EDITABLE_STATUSES)
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
        rows = session.exec(
            select(Outsourcing.id, confirmed, owed).where(
                Outsourcing.id.in_(part), (~confirmed) | (owed < today)
            )
        ).all()
        for node_id, is_confirmed, due in rows:
            badges = []
            if not is_confirmed:
                badges.append(unconfirmed)
            if due is not None and due < today:
                badges.append(overdue)
            result[node_id] = badges
    return result
