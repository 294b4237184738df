"""Inspections: keep one open inspection per active outsourcing, schedule, record, follow up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from portal.inspections.models import (
    ACTION_REVIEW,
    OPEN_STATUSES,
    CorrectiveAction,
    Inspection,
    InspectionFinding,
    InspectionMethod,
    InspectionStatus,
    PerformedBy,
    Severity,
)
from portal.inspections.planner import Booked, PlanItem, plan
from portal.inspections.rules import CHECK_RESULTS, CHECKLIST_ITEMS, IntervalRule, due_date_for
from portal.models import Outsourcing, OutsourcingStatus, User
from portal.obligations.operations import sign
from portal.obligations.queries import ALL_NODES, NodeSelection
from portal.obligations.rules import ObligationError, Refusals

MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)


#: A change the inspection rules refuse (``message`` is Japanese): every obligation's error.
InspectionError = ObligationError


def interval_rule() -> IntervalRule:
    """The inspection interval of the app's regulation profile."""
    return IntervalRule.from_profile(current_app.extensions["portal.profile"].inspection)


def months_for(outsourcing: Outsourcing, rule: IntervalRule | None = None) -> int:
    """The inspection interval (months) that applies to ``outsourcing``."""
    rule = rule or interval_rule()
    return rule.months_for(special_care=outsourcing.special_care, persons=outsourcing.persons)


@dataclass
class SyncResult:
    """What ``sync_inspections`` changed."""

    created: int = 0
    updated: int = 0
    cancelled: int = 0
    touched_ids: list[int] = field(default_factory=list)


def _cancel(session: Session, inspection: Inspection, result: SyncResult) -> None:
    inspection.status = InspectionStatus.CANCELLED
    session.add(inspection)
    result.cancelled += 1


def sync_inspections(
    *, session: Session, today: date, nodes: NodeSelection = ALL_NODES
) -> SyncResult:
    """Recompute what is due (for ``nodes``): one open inspection per active outsourcing, due
    dates that follow the contract, none for ended ones (their history stays)."""
    rule = interval_rule()
    o = Outsourcing
    statement = select(
        o.id, o.path, o.start_date, o.end_date, o.status, o.special_care, o.persons
    ).where(*nodes.where(o.id))
    open_q = select(Inspection).where(
        Inspection.status.in_(OPEN_STATUSES), *nodes.where(Inspection.outsourcing_id)
    )
    done_q = (
        select(Inspection.outsourcing_id, func.max(Inspection.completed_on))
        .where(
            Inspection.status == InspectionStatus.COMPLETED,
            *nodes.where(Inspection.outsourcing_id),
        )
        .group_by(Inspection.outsourcing_id)
    )
    open_by: dict[int, list[Inspection]] = defaultdict(list)
    for inspection in session.exec(open_q.order_by(Inspection.id)).all():
        open_by[inspection.outsourcing_id].append(inspection)
    last_done = dict(session.exec(done_q).all())
    result = SyncResult()
    for oid, path, start, end, status, special_care, persons in session.exec(statement).all():
        existing = open_by.get(oid, [])
        if status != OutsourcingStatus.ACTIVE:
            if status != OutsourcingStatus.APPROVED:  # ended, rejected: no new inspections
                for inspection in existing:
                    _cancel(session, inspection, result)
            continue
        months = rule.months_for(special_care=special_care, persons=persons)
        due = due_date_for(start=start, end=end, months=months, last_inspected=last_done.get(oid))
        if due is None:
            for inspection in existing:
                _cancel(session, inspection, result)
            continue
        if not existing:
            tier = max(path.count("/") - 1, 1)
            session.add(
                Inspection(
                    outsourcing_id=oid,
                    due_date=due,
                    performed_by=PerformedBy.MUNICIPALITY if tier == 1 else PerformedBy.CONTRACTOR,
                )
            )
            result.created += 1
            continue
        current, *extra = existing
        for inspection in extra:
            _cancel(session, inspection, result)
        if _follow_contract(current, due=due, start=start, end=end):
            session.add(current)
            result.updated += 1
            result.touched_ids.append(current.id)  # type: ignore[arg-type]
    session.flush()
    return result


def _follow_contract(inspection: Inspection, *, due: date, start: date, end: date) -> bool:
    """Move the due date with the contract; drop dates that no longer fit (re-plan)."""
    changed = False
    if inspection.due_date != due:
        inspection.due_date = due
        inspection.proposed_date = None  # the planner proposes again for the new due date
        changed = True
    # A proposal may lie after the due date when the inspection is already overdue (the
    # planner then proposes the earliest free day), but never outside the contract.
    if inspection.proposed_date and not start <= inspection.proposed_date <= end:
        inspection.proposed_date = None
        changed = True
    if inspection.planned_date and not start <= inspection.planned_date <= end:
        inspection.planned_date = None
        inspection.status = InspectionStatus.DUE
        changed = True
    return changed


def _check_date(value: date, what: str) -> None:
    if not MIN_DATE <= value <= MAX_DATE:
        raise InspectionError(_("%(what)sが範囲外です（2000年から2100年まで）。", what=what))


def _check_method(method: str, remote_reason: str, performed_by: str) -> None:
    if method not in set(InspectionMethod):
        raise InspectionError(_("検査の方法を選んでください。"))
    if method == InspectionMethod.REMOTE and not remote_reason.strip():
        raise InspectionError(
            _("実地検査によらない場合（映像・写真等による確認）は、その理由を記録してください。")
        )
    if performed_by not in set(PerformedBy):
        raise InspectionError(_("検査の実施者を選んでください。"))


def schedule_inspection(
    *,
    session: Session,
    inspection: Inspection,
    outsourcing: Outsourcing,
    planned_date: date | None,
    inspector_id: int | None,
    method: str,
    remote_reason: str = "",
    performed_by: str,
) -> Inspection:
    """Move (set the date of), assign, or change how an open inspection is performed."""
    if inspection.status not in OPEN_STATUSES:
        raise InspectionError(_("完了または中止した検査の予定は変更できません。"))
    _check_method(method, remote_reason, performed_by)
    if planned_date is not None:
        _check_date(planned_date, _("実施予定日"))
        if not outsourcing.start_date <= planned_date <= outsourcing.end_date:
            raise InspectionError(
                _(
                    "実施予定日は契約期間（%(start)s〜%(end)s）の内側にしてください。",
                    start=outsourcing.start_date.isoformat(),
                    end=outsourcing.end_date.isoformat(),
                )
            )
    if inspector_id is not None:
        inspector = session.get(User, inspector_id)
        if inspector is None or inspector.department_id != outsourcing.department_id:
            raise InspectionError(_("検査担当者は、委託を所管する課室の職員から選んでください。"))
    inspection.planned_date = planned_date
    inspection.status = InspectionStatus.PLANNED if planned_date else InspectionStatus.DUE
    inspection.inspector_id = inspector_id
    inspection.method = method
    inspection.remote_reason = remote_reason.strip() if method == InspectionMethod.REMOTE else ""
    inspection.performed_by = performed_by
    session.add(inspection)
    session.flush()
    return inspection


def accept_proposals(*, session: Session, inspections: Sequence[Inspection]) -> int:
    """Accept the planner's proposed dates of these open inspections; returns how many."""
    accepted = 0
    for inspection in inspections:
        if inspection.status in OPEN_STATUSES and inspection.proposed_date:
            inspection.planned_date = inspection.proposed_date
            inspection.status = InspectionStatus.PLANNED
            session.add(inspection)
            accepted += 1
    session.flush()
    return accepted


@dataclass(frozen=True)
class FindingInput:
    """One finding as recorded, with its corrective action (if one is required)."""

    description: str
    severity: str = Severity.MINOR
    item: str = ""
    action: str = ""
    action_due: date | None = None


@dataclass(frozen=True)
class InspectionRecord:
    """What an officer records after an inspection."""

    completed_on: date
    method: str
    performed_by: str
    remote_reason: str = ""
    summary: str = ""
    checklist: dict[str, dict[str, str]] = field(default_factory=dict)
    findings: tuple[FindingInput, ...] = ()


def _check_record(record: InspectionRecord, outsourcing: Outsourcing, today: date) -> None:
    _check_method(record.method, record.remote_reason, record.performed_by)
    _check_date(record.completed_on, _("実施日"))
    if record.completed_on > today:
        raise InspectionError(_("実施日に未来の日付は入力できません。"))
    if record.completed_on < outsourcing.start_date:
        raise InspectionError(_("実施日が委託の開始日より前です。"))
    for key, entry in record.checklist.items():
        if key not in CHECKLIST_ITEMS or entry.get("result") not in CHECK_RESULTS:
            raise InspectionError(_("確認項目の結果が正しくありません。"))
    missing = [key for key in CHECKLIST_ITEMS if key not in record.checklist]
    if missing:
        raise InspectionError(_("すべての確認項目に結果を入力してください。"))
    for finding in record.findings:
        if not finding.description.strip():
            raise InspectionError(_("指摘事項の内容を入力してください。"))
        if finding.severity not in set(Severity):
            raise InspectionError(_("指摘事項の重要度を選んでください。"))
        if finding.action.strip():
            if finding.action_due is None:
                raise InspectionError(_("是正措置の期限を入力してください。"))
            _check_date(finding.action_due, _("是正措置の期限"))
            if finding.action_due < record.completed_on:
                raise InspectionError(_("是正措置の期限は実施日より後にしてください。"))


def record_inspection(
    *,
    session: Session,
    actor: User,
    inspection: Inspection,
    outsourcing: Outsourcing,
    record: InspectionRecord,
    today: date,
) -> Inspection:
    """Record a performed inspection (checklist, findings, corrective actions); the next
    inspection is then due within the interval from this one."""
    if inspection.status not in OPEN_STATUSES:
        raise InspectionError(_("この検査は既に記録されているか、中止されています。"))
    _check_record(record, outsourcing, today)
    inspection.status = InspectionStatus.COMPLETED
    inspection.completed_on = record.completed_on
    inspection.method = record.method
    inspection.remote_reason = (
        record.remote_reason.strip() if record.method == InspectionMethod.REMOTE else ""
    )
    inspection.performed_by = record.performed_by
    inspection.summary = record.summary.strip()
    inspection.checklist = {
        key: {"result": entry["result"], "note": entry.get("note", "").strip()}
        for key, entry in record.checklist.items()
    }
    inspection.recorded_by_id = actor.id
    session.add(inspection)
    session.flush()
    for finding in record.findings:
        row = InspectionFinding(
            inspection_id=inspection.id,  # type: ignore[arg-type]
            item=finding.item,
            severity=finding.severity,
            description=finding.description.strip(),
        )
        session.add(row)
        session.flush()
        if finding.action.strip() and finding.action_due is not None:
            session.add(
                CorrectiveAction(
                    finding_id=row.id,  # type: ignore[arg-type]
                    outsourcing_id=outsourcing.id,  # type: ignore[arg-type]
                    description=finding.action.strip(),
                    due_date=finding.action_due,
                )
            )
    session.flush()
    sync_inspections(session=session, today=today, nodes=NodeSelection.of_ids(outsourcing.id))  # type: ignore[arg-type]
    return inspection


#: Why the review of a corrective action refuses a step.
_ACTION_REFUSALS = Refusals(
    not_owed=_l("この是正措置は既に完了しています。"),
    not_submitted=_l("確認できるのは、委託先が回答した是正措置だけです。"),
    reason_required=_l("差し戻す場合は理由を入力してください。"),
)


def answer_action(
    *, session: Session, actor: User, action: CorrectiveAction, answer: str
) -> CorrectiveAction:
    """The inspected vendor answers a corrective action (what it corrected, and how)."""
    status = ACTION_REVIEW.submit(action.status, _ACTION_REFUSALS)
    if not answer.strip():
        raise InspectionError(_("回答を入力してください。"))
    action.answer = answer.strip()
    action.status = status
    sign(action, actor, "answered")
    session.add(action)
    session.flush()
    return action


def follow_up_action(
    *, session: Session, actor: User, action: CorrectiveAction, accept: bool, comment: str = ""
) -> CorrectiveAction:
    """The officer confirms an answered action (closed) or sends it back (open again)."""
    action.status = ACTION_REVIEW.review(
        action.status, _ACTION_REFUSALS, accept=accept, comment=comment
    )
    action.follow_up = comment.strip()
    if accept:
        sign(action, actor, "closed")
    session.add(action)
    session.flush()
    return action


def propose_plan(*, session: Session, today: date, department_id: int | None = None) -> int:
    """Propose dates for the open, not yet planned inspections (of one department, or all)."""
    o = Outsourcing
    statement = (
        select(Inspection, o.start_date, o.end_date, o.department_id)
        .join(o, o.id == Inspection.outsourcing_id)
        .where(Inspection.status.in_(OPEN_STATUSES))
    )
    if department_id is not None:
        statement = statement.where(o.department_id == department_id)
    rows = session.exec(statement).all()
    items, booked, by_id = [], [], {}
    for inspection, start, end, department in rows:
        if inspection.planned_date:
            booked.append(Booked(inspection.planned_date, department, inspection.inspector_id))
            continue
        by_id[inspection.id] = inspection
        items.append(
            PlanItem(
                inspection.id, inspection.due_date, start, end, department, inspection.inspector_id
            )
        )
    proposals = plan(items, today=today, booked=booked)
    for inspection_id, day in proposals.items():
        inspection = by_id[inspection_id]
        inspection.proposed_date = day
        session.add(inspection)
    session.flush()
    return len(proposals)
