"""Inspection badges on tree nodes: overdue, due soon, open corrective actions, inspected."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from portal.features import Badge, NodeLike
from portal.inspections.models import (
    OPEN_STATUSES,
    ActionStatus,
    CorrectiveAction,
    Inspection,
    InspectionStatus,
)
from portal.inspections.operations import interval_rule
from portal.inspections.rules import health
from portal.models import Outsourcing, OutsourcingStatus
from portal.obligations.queries import chunked, earliest_owed
from portal.timeutil import local_today


def inspection_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """One query for all active nodes: the next due date, the last inspection, open actions."""
    ids = [node.id for node in nodes if node.status == OutsourcingStatus.ACTIVE]
    if not ids:
        return {}
    open_due = earliest_owed(Inspection, OPEN_STATUSES)
    last_done = (
        select(func.max(Inspection.completed_on))
        .where(
            Inspection.outsourcing_id == Outsourcing.id,
            Inspection.status == InspectionStatus.COMPLETED,
        )
        .scalar_subquery()
    )
    actions = (
        select(func.count(CorrectiveAction.id))
        .where(
            CorrectiveAction.outsourcing_id == Outsourcing.id,
            CorrectiveAction.status == ActionStatus.OPEN,
        )
        .scalar_subquery()
    )
    rule, today = interval_rule(), local_today()
    styles = {
        "overdue": Badge(
            str(_l("検査期限超過")),
            "bad",
            str(_l("実地検査の期限を過ぎています。")),
            frozenset({"overdue"}),
        ),
        "due_soon": Badge(str(_l("検査期限間近")), "warn", str(_l("30日以内に検査の期限です。"))),
        "open_actions": Badge(
            str(_l("是正措置あり")), "warn", str(_l("未回答の是正措置があります。"))
        ),
        "ok": Badge(
            str(_l("検査済")), "ok", str(_l("検査の間隔内で、未回答の是正措置はありません。"))
        ),
    }
    result: dict[int, list[Badge]] = {}
    for part in chunked(ids):
        rows = session.exec(
            select(
                Outsourcing.id,
                Outsourcing.special_care,
                Outsourcing.persons,
                open_due,
                last_done,
                actions,
            ).where(Outsourcing.id.in_(part))
        ).all()
        for node_id, special_care, persons, due, done, open_actions in rows:
            state = health(
                today=today,
                months=rule.months_for(special_care=special_care, persons=persons),
                last_completed=done,
                open_due=due,
                open_actions=open_actions,
            )
            if state in styles:
                result[node_id] = [styles[state]]
    return result
