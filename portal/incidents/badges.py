"""Incident badges on tree nodes: an open incident at the node."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from portal.features import Badge, NodeLike
from portal.incidents.queries import open_counts

_CHUNK = 5000  # bound parameters per statement


def incident_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """One query per 5,000 nodes: how many incidents are open at each."""
    ids = [node.id for node in nodes]
    badge = Badge(
        str(_l("事案対応中")),
        "bad",
        str(_l("漏えい等の事案の対応が完了していません。")),
        frozenset({"incident"}),
    )
    result: dict[int, list[Badge]] = {}
    for start in range(0, len(ids), _CHUNK):
        for node_id in open_counts(session=session, outsourcing_ids=ids[start : start + _CHUNK]):
            result[node_id] = [badge]
    return result
