"""Selection badges on tree nodes: a required certification missing or expired, items
beyond the parent's, and a selection checklist not answered yet."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.features import Badge, NodeLike
from portal.models import Outsourcing, OutsourcingStatus
from portal.obligations.queries import chunked
from portal.selection.operations import NodeFacts, current_rule, findings_for, records_of
from portal.selection.rules import excess_items
from portal.timeutil import local_today

#: Nodes whose vendor is (about to be) at work: the ones a missing certification matters for.
LIVE = (OutsourcingStatus.REQUESTED, OutsourcingStatus.APPROVED, OutsourcingStatus.ACTIVE)


def selection_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """Per node: unmet certification requirements, excess items, an unanswered checklist."""
    ids = [node.id for node in nodes]
    if not ids:
        return {}
    rule = current_rule()
    today = local_today()
    result: dict[int, list[Badge]] = {}
    for part in chunked(ids):
        rows = session.exec(
            select(
                Outsourcing.id,
                Outsourcing.parent_id,
                Outsourcing.vendor_id,
                Outsourcing.special_care,
                Outsourcing.persons,
                Outsourcing.status,
            ).where(Outsourcing.id.in_(part))
        ).all()
        live = [r for r in rows if r[5] in LIVE]
        facts = [NodeFacts(r[0], r[2], r[3], r[4]) for r in live]
        findings = findings_for(session=session, rule=rule, nodes=facts, today=today)
        parents = {r[1] for r in live if r[1]}
        records = records_of(session=session, outsourcing_ids=[r[0] for r in live] + [*parents])
        for node_id, parent_id, *_rest in live:
            badges = []
            for finding in findings.get(node_id, ()):
                needed = rule.describe(finding.requirement)
                if finding.expired:
                    badges.append(
                        Badge(
                            str(_l("認証期限切れ")),
                            "bad",
                            _("必要な認証（%(needed)s）の有効期限が切れています。", needed=needed),
                            frozenset({"certification"}),
                        )
                    )
                else:
                    badges.append(
                        Badge(
                            str(_l("必要な認証なし")),
                            "bad",
                            _("必要な認証（%(needed)s）が登録されていません。", needed=needed),
                            frozenset({"certification"}),
                        )
                    )
            record, parent = records.get(node_id), records.get(parent_id or 0)
            if record and record.items is not None and parent and parent.items is not None:
                excess = excess_items(record.items, parent.items)
                if excess:
                    badges.append(
                        Badge(
                            str(_l("項目が元の委託を超過")),
                            "bad",
                            _(
                                "元の委託にない個人情報の項目を取り扱います：%(items)s",
                                items="、".join(rule.item_labels(excess)),
                            ),
                            frozenset({"scope"}),
                        )
                    )
            if rule.checklist and (record is None or rule.unanswered(record.answers)):
                badges.append(
                    Badge(
                        str(_l("選定チェック未回答")),
                        "warn",
                        str(_l("委託先の選定チェックリストに未回答の項目があります。")),
                        frozenset({"selection"}),
                    )
                )
            if badges:
                result[node_id] = badges
    return result
