"""Contract badges on tree nodes: the latest reviewed clause check, and flow-down (第4項)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlmodel import Session, select

from portal.features import Badge, NodeSet
from portal.models import Outsourcing, OutsourcingStatus
from portal.reviews.models import ContractDocument, DocumentStatus
from portal.reviews.operations import weaker_than_parent

_CONTRACTED = {OutsourcingStatus.ACTIVE, OutsourcingStatus.APPROVED, OutsourcingStatus.ENDED}


def _latest_statuses(session: Session, nodes: NodeSet) -> dict[int, dict[str, str]]:
    """{node id: effective clause statuses of its newest analysed contract}, for the nodes
    and their parents, in one statement."""
    d = ContractDocument
    wanted = or_(
        nodes.includes(d.outsourcing_id),
        d.outsourcing_id.in_(select(Outsourcing.parent_id).where(nodes.includes(Outsourcing.id))),
    )
    newest = (
        select(d.outsourcing_id, func.max(d.version).label("v"))
        .where(wanted, d.status == DocumentStatus.DONE)
        .group_by(d.outsourcing_id)
        .subquery()
    )
    rows = session.exec(
        select(d.outsourcing_id, d.statuses).join(
            newest, (newest.c.outsourcing_id == d.outsourcing_id) & (newest.c.v == d.version)
        )
    ).all()
    return {node_id: statuses or {} for node_id, statuses in rows}


def contract_badges(session: Session, nodes: NodeSet) -> dict[int, list[Badge]]:
    """The contract's result (all satisfied / weak / missing) and, for a subcontract, whether
    it is at least as strong as its parent's contract."""
    shown = [node for node in nodes if node.status in _CONTRACTED]
    if not shown:
        return {}
    latest = _latest_statuses(session, nodes)
    styles = {
        "ok": Badge(str(_l("契約書 適合")), "ok", str(_l("8項目すべて適合しています。"))),
        "weak": Badge(str(_l("契約書 不十分")), "warn", str(_l("不十分な項目があります。"))),
        "missing": Badge(
            str(_l("契約書 欠落")),
            "bad",
            str(_l("記載のない項目があります。")),
            frozenset({"contract_gap"}),
        ),
        "weaker": Badge(
            str(_l("再委託元より弱い契約")),
            "bad",
            str(_l("再委託元の契約より弱い項目があります（第4項）。")),
            frozenset({"flowdown"}),
        ),
        "none": Badge(
            str(_l("再委託契約書なし")),
            "warn",
            str(_l("再委託の契約書が登録されていません（第4項）。")),
            frozenset({"flowdown"}),
        ),
    }
    result: dict[int, list[Badge]] = {}
    for node in shown:
        badges: list[Badge] = []
        statuses = latest.get(node.id)
        if statuses:
            values = set(statuses.values())
            key = "missing" if "missing" in values else "weak" if "weak" in values else "ok"
            badges.append(styles[key])
        if node.parent_id:
            parent = latest.get(node.parent_id)
            if not statuses:
                badges.append(styles["none"])
            elif parent and weaker_than_parent(statuses, parent):
                badges.append(styles["weaker"])
        if badges:
            result[node.id] = badges
    return result
