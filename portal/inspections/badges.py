"""Inspection badges on tree nodes: overdue, due soon, open corrective actions, inspected."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, null
from sqlmodel import Session, select

from portal.features import Badge, NodeSet
from portal.inspections.models import (
    OPEN_STATUSES,
    ActionStatus,
    CorrectiveAction,
    Inspection,
    InspectionStatus,
)
from portal.inspections.operations import interval_rule
from portal.inspections.rules import WARNING_DAYS, current_since
from portal.models import Outsourcing, OutsourcingStatus
from portal.timeutil import local_today


def inspection_badges(session: Session, nodes: NodeSet) -> dict[int, list[Badge]]:
    """One statement for all active nodes: their state as ``rules.health`` defines it
    (overdue, due_soon, open_actions, ok), worked out by the database."""
    if not nodes:
        return {}
    rule, today = interval_rule(), local_today()
    i, a, o = Inspection, CorrectiveAction, Outsourcing
    # One pass over these nodes and their inspections (an index per node), grouped by node.
    due = func.min(case((i.status.in_(OPEN_STATUSES), i.due_date), else_=null()))
    done = func.max(case((i.status == InspectionStatus.COMPLETED, i.completed_on), else_=null()))
    # Nodes with an open action, as one list the database builds once (correlated per node,
    # SQLite would pick the status index and scan every open action for each node).
    open_actions = o.id.in_(select(a.outsourcing_id).where(a.status == ActionStatus.OPEN))
    # The interval is shorter for 要配慮個人情報 or many persons (IntervalRule.months_for): a
    # completion is current on or after one of two dates.
    sensitive = o.special_care | (o.persons >= rule.high_sensitivity_persons)
    since = case(
        (
            sensitive,
            current_since(today=today, months=rule.months_for(special_care=True, persons=0)),
        ),
        else_=current_since(today=today, months=rule.months_for(special_care=False, persons=0)),
    )
    state = case(
        (due < today, literal("overdue")),
        (due <= today + timedelta(days=WARNING_DAYS), literal("due_soon")),
        (open_actions, literal("open_actions")),
        (done >= since, literal("ok")),
        else_=null(),
    )
    rows = session.exec(
        select(o.id, state)
        .outerjoin(i, i.outsourcing_id == o.id)
        .where(nodes.includes(o.id), o.status == OutsourcingStatus.ACTIVE)
        .group_by(o.id)
        .having(state.is_not(None))
    ).all()
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
    return {node_id: [styles[value]] for node_id, value in rows}
