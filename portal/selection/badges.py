"""Selection badges on tree nodes: a required certification missing or expired, items
beyond the parent's, and a selection checklist not answered yet."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.features import Badge, NodeLike
from portal.models import Outsourcing, OutsourcingStatus
from portal.obligations.queries import chunked
from portal.selection.operations import NodeFacts, current_rule, findings_for, records_of
from portal.selection.rules import Finding, SelectionRule, excess_items
from portal.timeutil import local_today

#: Nodes whose vendor is (about to be) at work: the ones a missing certification matters for.
LIVE = (OutsourcingStatus.REQUESTED, OutsourcingStatus.APPROVED, OutsourcingStatus.ACTIVE)


class _Badges:
    """The badges of one page, each text translated once (a tree may have thousands of nodes)."""

    def __init__(self, rule: SelectionRule) -> None:
        self.rule = rule
        self.unanswered = Badge(
            str(_l("選定チェック未回答")),
            "warn",
            str(_l("委託先の選定チェックリストに未回答の項目があります。")),
            frozenset({"selection"}),
        )
        self.finding = cache(self._finding)
        self.excess = cache(self._excess)

    def _finding(self, finding: Finding) -> Badge:
        needed = self.rule.describe(finding.requirement)
        if finding.expired:
            return Badge(
                str(_l("認証期限切れ")),
                "bad",
                _("必要な認証（%(needed)s）の有効期限が切れています。", needed=needed),
                frozenset({"certification"}),
            )
        return Badge(
            str(_l("必要な認証なし")),
            "bad",
            _("必要な認証（%(needed)s）が登録されていません。", needed=needed),
            frozenset({"certification"}),
        )

    def _excess(self, items: tuple[str, ...]) -> Badge:
        return Badge(
            str(_l("項目が元の委託を超過")),
            "bad",
            _(
                "元の委託にない個人情報の項目を取り扱います：%(items)s",
                items="、".join(self.rule.item_labels(items)),
            ),
            frozenset({"scope"}),
        )


def selection_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """Per node: unmet certification requirements, excess items, an unanswered checklist."""
    ids = [node.id for node in nodes]
    if not ids:
        return {}
    rule = current_rule()
    made = _Badges(rule)
    today = local_today()
    result: dict[int, list[Badge]] = {}
    for part in chunked(ids):
        live = session.exec(
            select(
                Outsourcing.id,
                Outsourcing.parent_id,
                Outsourcing.vendor_id,
                Outsourcing.special_care,
                Outsourcing.persons,
            ).where(Outsourcing.id.in_(part), Outsourcing.status.in_(LIVE))
        ).all()
        facts = [NodeFacts(*row[:1], *row[2:]) for row in live]
        findings = findings_for(session=session, rule=rule, nodes=facts, today=today)
        parents = {row[1] for row in live if row[1]}
        records = records_of(session=session, outsourcing_ids=[row[0] for row in live] + [*parents])
        for node_id, parent_id, *_rest in live:
            badges = [made.finding(finding) for finding in findings.get(node_id, ())]
            record, parent = records.get(node_id), records.get(parent_id or 0)
            if record and record.items is not None and parent and parent.items is not None:
                excess = excess_items(record.items, parent.items)
                if excess:
                    badges.append(made.excess(tuple(excess)))
            if rule.checklist and (record is None or rule.unanswered(record.answers)):
                badges.append(made.unanswered)
            if badges:
                result[node_id] = badges
    return result
