"""Status badges on tree nodes: a slot that each feature fills.

A provider receives the nodes about to be shown and returns badges per node id, with one
query for all of them (never one per node). The chain registers its own provider here; the
contract review, inspections and reports register theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from portal.models import Outsourcing, OutsourcingStatus


@dataclass(frozen=True)
class Badge:
    """A short label on a node: ``tone`` is ok, warn, bad or muted; ``flags`` feed filters."""

    label: str
    tone: str = "muted"
    title: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)


BadgeProvider = Callable[[Session, Sequence[Outsourcing]], dict[int, list[Badge]]]
_PROVIDERS: list[BadgeProvider] = []


def badge_provider(provider: BadgeProvider) -> BadgeProvider:
    """Register ``provider`` (a decorator); it runs once per page over all nodes shown."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def badges_for(session: Session, nodes: Sequence[Outsourcing]) -> dict[int, list[Badge]]:
    """All badges of ``nodes``, provider by provider, in registration order."""
    result: dict[int, list[Badge]] = {node.id: [] for node in nodes}
    for provider in _PROVIDERS:
        for node_id, badges in provider(session, nodes).items():
            result.setdefault(node_id, []).extend(badges)
    return result


@badge_provider
def chain_badges(session: Session, nodes: Sequence[Outsourcing]) -> dict[int, list[Badge]]:
    """Approval state and violations of the chain itself."""
    result: dict[int, list[Badge]] = {}
    for node in nodes:
        badges: list[Badge] = []
        if node.entered_without_approval:
            badges.append(
                Badge(
                    str(_l("無承認の再委託")),
                    "bad",
                    str(_l("事前承認を得ずに再委託されています。")),
                    frozenset({"unapproved", "violation"}),
                )
            )
        elif node.status == OutsourcingStatus.REQUESTED:
            badges.append(Badge(str(_l("承認待ち")), "warn", flags=frozenset({"unapproved"})))
        elif node.status == OutsourcingStatus.APPROVED:
            badges.append(Badge(str(_l("承認済・未開始")), "ok"))
        elif node.status == OutsourcingStatus.REJECTED:
            badges.append(Badge(str(_l("却下")), "muted"))
        elif node.status == OutsourcingStatus.ENDED:
            badges.append(Badge(str(_l("終了")), "muted"))
        if node.declared_subsidiary:
            badges.append(
                Badge(str(_l("子会社")), "muted", str(_l("委託先の子会社への再委託です。")))
            )
        result[node.id] = badges
    return result
