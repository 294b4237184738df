"""Report badges on tree nodes: an unapproved subcontractor reported, a report overdue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, union
from sqlmodel import Session, select

from portal.features import Badge, NodeSet
from portal.models import Outsourcing
from portal.reports.models import (
    EDITABLE_STATUSES,
    ComplianceReport,
    SubcontractViolation,
    ViolationStatus,
)
from portal.timeutil import local_today


def report_badges(session: Session, nodes: NodeSet) -> dict[int, list[Badge]]:
    """One statement for all nodes: those with an open violation reported, and those with a
    report still owed past its due date."""
    if not nodes:
        return {}
    v, r, o = SubcontractViolation, ComplianceReport, Outsourcing
    # From the few open violations and late reports to their nodes.
    found = union(
        select(o.id, literal("violation"))
        .join(v, v.outsourcing_id == o.id)
        .where(v.status == ViolationStatus.OPEN, nodes.includes(o.id)),
        select(o.id, literal("overdue"))
        .join(r, r.outsourcing_id == o.id)
        .where(
            r.status.in_(tuple(EDITABLE_STATUSES)),
            r.due_date < local_today(),
            nodes.includes(o.id),
        ),
    )
    styles = {
        "violation": Badge(
            str(_l("報告で無承認の再委託")),
            "bad",
            str(_l("定期報告に、承認されていない再委託先が記載されています。")),
            frozenset({"unapproved", "violation"}),
        ),
        "overdue": Badge(
            str(_l("定期報告遅延")),
            "bad",
            str(_l("定期報告の提出期限を過ぎています。")),
            frozenset({"overdue"}),
        ),
    }
    kinds: dict[int, set[str]] = {}
    for node_id, kind in session.execute(found).all():
        kinds.setdefault(node_id, set()).add(kind)
    # The order the page shows them in: the violation first.
    return {
        node_id: [styles[kind] for kind in styles if kind in found_kinds]
        for node_id, found_kinds in kinds.items()
    }
