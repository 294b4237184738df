"""Report badges on tree nodes: an unapproved subcontractor reported, a report overdue."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from portal.features import Badge, NodeLike
from portal.models import Outsourcing
from portal.obligations.queries import chunked, earliest_owed
from portal.reports.models import (
    EDITABLE_STATUSES,
    ComplianceReport,
    SubcontractViolation,
    ViolationStatus,
)
from portal.timeutil import local_today


def report_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """One query for all nodes: open violations reported, and the earliest report owed."""
    ids = [node.id for node in nodes]
    if not ids:
        return {}
    violations = (
        select(func.count(SubcontractViolation.id))
        .where(
            SubcontractViolation.outsourcing_id == Outsourcing.id,
            SubcontractViolation.status == ViolationStatus.OPEN,
        )
        .scalar_subquery()
    )
    owed = earliest_owed(ComplianceReport, EDITABLE_STATUSES)
    violation = Badge(
        str(_l("報告で無承認の再委託")),
        "bad",
        str(_l("定期報告に、承認されていない再委託先が記載されています。")),
        frozenset({"unapproved", "violation"}),
    )
    overdue = Badge(
        str(_l("定期報告遅延")),
        "bad",
        str(_l("定期報告の提出期限を過ぎています。")),
        frozenset({"overdue"}),
    )
    today = local_today()
    result: dict[int, list[Badge]] = {}
    for part in chunked(ids):
        rows = session.exec(
            select(Outsourcing.id, violations, owed).where(
                Outsourcing.id.in_(part),
                (violations > 0) | (owed < today),
            )
        ).all()
        for node_id, open_violations, due in rows:
            badges = []
            if open_violations:
                badges.append(violation)
            if due is not None and due < today:
                badges.append(overdue)
            result[node_id] = badges
    return result
