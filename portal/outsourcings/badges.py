"""Status badges on tree nodes: a slot that each feature fills.

A provider receives the nodes about to be shown (a ``NodeSet``) and returns badges per node
id, with one statement for all of them (never one per node, nor one per chunk of ids). Every
feature, the chain first, puts its provider into the ``TREE_BADGES`` slot from its
``register`` (portal/features.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from portal.features import TREE_BADGES, Badge, NodeLike, NodeSet, current_features
from portal.models import OutsourcingStatus


def badges_for(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """All badges of ``nodes``, provider by provider, in registration order (pass a NodeSet
    with its query when there are many nodes: the providers then filter by that query)."""
    nodes = NodeSet.of(nodes)
    result: dict[int, list[Badge]] = {node.id: [] for node in nodes}
    for provider in current_features().get(TREE_BADGES):
        for node_id, badges in provider(session, nodes).items():
            result.setdefault(node_id, []).extend(badges)
    return result


def chain_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """Approval state and violations of the chain itself."""
    # Labels are built once per page, not once per node.
    unapproved = Badge(
        str(_l("無承認の再委託")),
        "bad",
        str(_l("事前承認を得ずに再委託されています。")),
        frozenset({"unapproved", "violation"}),
    )
    by_status = {
        OutsourcingStatus.REQUESTED: Badge(
            str(_l("承認待ち")), "warn", flags=frozenset({"unapproved"})
        ),
        OutsourcingStatus.APPROVED: Badge(str(_l("承認済・未開始")), "ok"),
        OutsourcingStatus.REJECTED: Badge(str(_l("却下")), "muted"),
        OutsourcingStatus.ENDED: Badge(str(_l("終了")), "muted"),
    }
    subsidiary = Badge(str(_l("子会社")), "muted", str(_l("委託先の子会社への再委託です。")))
    result: dict[int, list[Badge]] = {}
    for node in nodes:
        badges: list[Badge] = []
        if node.entered_without_approval:
            badges.append(unapproved)
        elif node.status in by_status:
            badges.append(by_status[node.status])
        if node.declared_subsidiary:
            badges.append(subsidiary)
        result[node.id] = badges
    return result
