"""Incident badges on tree nodes: an open incident at the node."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.features import Badge, NodeSet
from portal.incidents.models import Incident, IncidentStatus
from portal.models import Outsourcing


def incident_badges(session: Session, nodes: NodeSet) -> dict[int, list[Badge]]:
    """One statement for all nodes: the nodes with an incident still open."""
    if not nodes:
        return {}
    badge = Badge(
        str(_l("事案対応中")),
        "bad",
        str(_l("漏えい等の事案の対応が完了していません。")),
        frozenset({"incident"}),
    )
    # From the few open incidents to their nodes (not from thousands of nodes to incidents).
    open_at = session.exec(
        select(Incident.outsourcing_id)
        .join(Outsourcing, Outsourcing.id == Incident.outsourcing_id)
        .where(Incident.status == IncidentStatus.OPEN, nodes.includes(Outsourcing.id))
        .distinct()
    ).all()
    return {node_id: [badge] for node_id in open_at}
