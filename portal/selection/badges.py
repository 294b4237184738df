"""Selection badges on tree nodes: a required certification missing or expired, items
beyond the parent's, and a selection checklist not answered yet."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, false, func, or_, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portal.features import Badge, NodeSet
from portal.models import Outsourcing, OutsourcingStatus
from portal.selection.models import Certification, SelectionRecord
from portal.selection.operations import current_rule
from portal.selection.rules import Finding, SelectionRule, excess_items
from portal.timeutil import local_today

#: Nodes whose vendor is (about to be) at work: the ones a missing certification matters for.
LIVE = (OutsourcingStatus.REQUESTED, OutsourcingStatus.APPROVED, OutsourcingStatus.ACTIVE)
#: Nodes whose selection is under way: the checklist is owed even before anyone begins it.
CHECKLIST_DUE = (OutsourcingStatus.REQUESTED, OutsourcingStatus.APPROVED)


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


def _requirement_states(rule: SelectionRule, record: Any, today: date) -> tuple[Any, list]:
    """The vendors' holdings as a grouped subquery, and per requirement of ``rule`` a column:
    0 met or not applicable, 1 no certification of it, 2 only expired ones (``rule.findings``
    in SQL)."""
    o, c = Outsourcing, Certification
    columns = []
    for index, requirement in enumerate(rule.required):
        of_type = c.cert_type.in_(requirement.any_of)
        columns += [
            func.max(case((of_type & (c.expires_on >= today), 1), else_=0)).label(f"valid{index}"),
            func.max(case((of_type, 1), else_=0)).label(f"held{index}"),
        ]
    held = (
        select(c.vendor_id, *columns)
        .where(c.withdrawn_at.is_(None))
        .group_by(c.vendor_id)
        .subquery()
    )
    applies = {
        "always": true(),
        "special_care": o.special_care,
        "cloud": func.coalesce(record.uses_cloud, false()),
    }
    states = []
    for index, requirement in enumerate(rule.required):
        when = (
            o.persons >= requirement.min_persons
            if requirement.when == "persons"
            else applies[requirement.when]
        )
        states.append(
            case(
                (~when, 0),
                (func.coalesce(held.c[f"valid{index}"], 0) == 1, 0),
                (func.coalesce(held.c[f"held{index}"], 0) == 1, 2),
                else_=1,
            )
        )
    return held, states


def _owes_checklist(rule: SelectionRule, record: Any) -> Any:
    """Whether the checklist is owed and not fully answered.

    It is owed while the selection is under way (a request awaiting its decision, or approved
    and not started), and once anyone has begun it (a record exists). A node already at work
    with no record at all was selected before the checklist existed (or outside the portal):
    asking there helps no selection, and thousands of such nodes would bury the badges that
    matter; its selection page still says nothing is recorded."""
    if not rule.checklist:
        return false()
    answered = ("yes", "no")
    unanswered = or_(
        *(
            func.coalesce(record.answers[q.id].as_string(), "").not_in(answered)
            for q in rule.checklist
        )
    )
    under_way = Outsourcing.status.in_(CHECKLIST_DUE)
    return and_(or_(under_way, record.id.is_not(None)), unanswered)


def selection_badges(session: Session, nodes: NodeSet) -> dict[int, list[Badge]]:
    """Per node, in one statement: unmet certification requirements, items beyond the
    parent's, an unanswered checklist."""
    if not nodes:
        return {}
    rule = current_rule()
    made = _Badges(rule)
    o = Outsourcing
    record, parent = aliased(SelectionRecord), aliased(SelectionRecord)
    held, states = _requirement_states(rule, record, local_today())
    owes = _owes_checklist(rule, record)
    both_recorded = record.id.is_not(None) & parent.id.is_not(None)
    statement = (
        select(
            o.id,
            owes,
            case((both_recorded, record.items), else_=None),
            case((both_recorded, parent.items), else_=None),
            *states,
        )
        .outerjoin(record, record.outsourcing_id == o.id)
        .outerjoin(parent, parent.outsourcing_id == o.parent_id)
        .where(
            nodes.includes(o.id),
            o.status.in_(LIVE),
            or_(owes, both_recorded, *(state != 0 for state in states)),
        )
    )
    if states:
        statement = statement.outerjoin(held, held.c.vendor_id == o.vendor_id)
    result: dict[int, list[Badge]] = {}
    for node_id, owes_checklist, items, parent_items, *values in session.exec(statement).all():
        badges = [
            made.finding(Finding(requirement, expired=value == 2))
            for requirement, value in zip(rule.required, values, strict=True)
            if value
        ]
        if items is not None and parent_items is not None:
            excess = excess_items(items, parent_items)
            if excess:
                badges.append(made.excess(tuple(excess)))
        if owes_checklist:
            badges.append(made.unanswered)
        if badges:
            result[node_id] = badges
    return result
