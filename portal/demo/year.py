"""Make the demo look like a real year on the day it is loaded.

The chains start on fixed April dates, so without a history every inspection and report of
the demo would be overdue on the day it is loaded. This module writes the history an
ordinary year leaves behind, relative to ``today``: inspections done around their due dates
(two left overdue), reports filed and accepted, mostly on time (two left late, one returned),
and subcontract task names that read like real ones.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlmodel import Session, select

from portal.models import Outsourcing, OutsourcingStatus, User, Vendor
from portal.permissions import Role
from portal.timeutil import utcnow

#: What a subcontractor does at each tier below the root, by kind of work: the tier 2 work
#: (after the task it is part of), then tier 3 and tier 4.
SUBTASK_CHAINS = [
    ("データ入力業務", "入力データの照合（ベリファイ）作業", "照合要員の派遣"),
    ("帳票の印刷・封入封緘業務", "圧着はがきの加工", "発送物の区分・郵便差出"),
    ("システム機器の保守業務", "サーバ機器の定期点検", "故障機器の現地交換作業"),
    ("問合せ窓口（コールセンター）運営業務", "夜間・休日の電話受付", "応対記録の入力"),
    ("書類の集配・保管業務", "保存箱の倉庫保管", "保存期間満了文書の溶解処理"),
]

#: Inspections left overdue, inspections that come due within 30 days, and the rounds of
#: history written at most.
OVERDUE_LEFT = 2
DUE_SOON = 3
_ROUNDS = 6


def fiscal_year(today: date) -> int:
    """The fiscal year (April to March) ``today`` falls in, by the year it starts."""
    return today.year if today.month >= 4 else today.year - 1


def subtask_name(root_task: str, tier: int, kind: int) -> str:
    """The task name of a subcontract at ``tier`` (2, 3, 4 …) doing work of ``kind``."""
    chain = SUBTASK_CHAINS[kind % len(SUBTASK_CHAINS)]
    if tier <= 2:
        return f"{root_task.removesuffix('業務')}に係る{chain[0]}"
    return chain[min(tier - 2, len(chain) - 1)]


def record_past_inspections(*, session: Session, today: date) -> int:
    """Complete the inspections that fell due before ``today`` (each a few days to weeks
    before or after its due date, never before the contract began), round after round until
    the open ones lie ahead, except ``OVERDUE_LEFT`` left overdue; returns how many."""
    from portal.inspections.models import OPEN_STATUSES, Inspection, InspectionStatus
    from portal.inspections.operations import sync_inspections

    kept: set[int] = set()
    done = 0
    for round_number in range(_ROUNDS):
        sync_inspections(session=session, today=today)
        rows = session.exec(
            select(Inspection, Outsourcing.start_date)
            .join(Outsourcing, Outsourcing.id == Inspection.outsourcing_id)
            .where(Inspection.status.in_(OPEN_STATUSES), Inspection.due_date < today)
            .order_by(Inspection.id)
        ).all()
        if round_number == 0:
            kept = {inspection.id for inspection, _start in rows[:OVERDUE_LEFT]}  # type: ignore[misc]
        todo = [(i, start) for i, start in rows if i.id not in kept]
        if not todo:
            break
        for inspection, start in todo:
            spread = inspection.id or 0
            on = inspection.due_date - timedelta(days=spread * 13 % 50)
            on = min(max(on, start + timedelta(days=20)), today - timedelta(days=1 + spread % 9))
            inspection.status = InspectionStatus.COMPLETED
            inspection.completed_on = on
            inspection.planned_date = inspection.planned_date or on
            inspection.summary = "チェックリストの各項目を確認した。指摘事項なし。"
            session.add(inspection)
            done += 1
        session.flush()
    done += _overdue_lately(session=session, today=today, kept=kept)
    return done + _bring_some_due(session=session, today=today, kept=kept)


def _overdue_lately(*, session: Session, today: date, kept: set[int]) -> int:
    """Give the inspections left overdue a history (done a term before) so that they fell
    due a week or three ago, as a real lapse would, not a year back; returns how many."""
    from portal.deadlines import add_months
    from portal.inspections.models import Inspection, InspectionStatus
    from portal.inspections.operations import interval_rule

    rule = interval_rule()
    o = Outsourcing
    made = 0
    for number, inspection_id in enumerate(sorted(kept)):
        row = session.exec(
            select(Inspection, o.start_date, o.special_care, o.persons)
            .join(o, o.id == Inspection.outsourcing_id)
            .where(Inspection.id == inspection_id)
        ).first()
        if row is None:
            continue
        inspection, start, special_care, persons = row
        months = rule.months_for(special_care=special_care, persons=persons)
        target = today - timedelta(days=9 + 14 * number)
        on = add_months(target + timedelta(days=1), -months)
        if on < start + timedelta(days=20):
            continue  # too young a contract: it stays overdue since its first due date
        session.add(
            Inspection(
                outsourcing_id=inspection.outsourcing_id,
                due_date=on,
                status=InspectionStatus.COMPLETED,
                completed_on=on,
                planned_date=on,
                performed_by=inspection.performed_by,
                summary="チェックリストの各項目を確認した。指摘事項なし。",
            )
        )
        made += 1
    session.flush()
    return made


def _bring_some_due(*, session: Session, today: date, kept: set[int]) -> int:
    """Move the last inspection of ``DUE_SOON`` outsourcings back so that the next one falls
    due within 30 days (10, 17, 24 days from ``today``); returns how many were moved."""
    from portal.deadlines import add_months
    from portal.inspections.models import OPEN_STATUSES, Inspection, InspectionStatus
    from portal.inspections.operations import interval_rule, sync_inspections

    rule = interval_rule()
    o = Outsourcing
    completed: dict[int, list[Inspection]] = defaultdict(list)
    for row in session.exec(
        select(Inspection)
        .where(Inspection.status == InspectionStatus.COMPLETED)
        .order_by(Inspection.completed_on)
    ).all():
        completed[row.outsourcing_id].append(row)
    rows = session.exec(
        select(Inspection, o.start_date, o.special_care, o.persons)
        .join(o, o.id == Inspection.outsourcing_id)
        .where(Inspection.status.in_(OPEN_STATUSES), Inspection.due_date > today)
        .order_by(Inspection.id)
    ).all()
    moved = 0
    for inspection, start, special_care, persons in rows:
        history = completed.get(inspection.outsourcing_id, [])
        if moved == DUE_SOON:
            break
        if inspection.id in kept or not history:
            continue
        months = rule.months_for(special_care=special_care, persons=persons)
        target = today + timedelta(days=10 + 7 * moved)
        on = add_months(target + timedelta(days=1), -months)
        earlier = history[-2].completed_on if len(history) > 1 else start + timedelta(days=20)
        if not earlier < on <= today - timedelta(days=1):  # type: ignore[operator]
            continue  # the contract is too young for an inspection a term ago
        last = history[-1]
        last.completed_on = last.planned_date = on
        session.add(last)
        moved += 1
    session.flush()
    sync_inspections(session=session, today=today)  # the next ones follow the moved dates
    return moved


def file_past_reports(*, session: Session, today: date) -> int:
    """File the reports whose due date has passed and that nobody has touched: accepted,
    mostly before the due date; the two most recent stay late and one is returned. Returns
    how many were filed."""
    from portal.reports.models import ComplianceReport, ReportEvent, ReportStatus
    from portal.reports.rules import checklist_items

    owed = session.exec(
        select(ComplianceReport)
        .where(ComplianceReport.status == ReportStatus.DUE, ComplianceReport.due_date < today)
        .order_by(ComplianceReport.due_date, ComplianceReport.id)
    ).all()
    if not owed:
        return 0
    # The subcontractors each node uses (its approved children) and an officer per department.
    children: dict[int, list[dict]] = defaultdict(list)
    for parent_id, vendor in session.exec(
        select(Outsourcing.parent_id, Vendor)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(
            Outsourcing.parent_id.is_not(None),  # type: ignore[union-attr]
            Outsourcing.status == OutsourcingStatus.ACTIVE,
        )
    ).all():
        children[parent_id].append(  # type: ignore[index]
            {
                "vendor_id": vendor.id,
                "name": vendor.name,
                "corporate_number": vendor.corporate_number,
            }
        )
    department_of = dict(session.exec(select(Outsourcing.id, Outsourcing.department_id)).all())
    officers: dict[int, int] = {}
    for user_id, department_id in session.exec(
        select(User.id, User.department_id).where(User.role.in_((Role.STAFF, Role.MANAGER)))
    ).all():
        officers.setdefault(department_id, user_id)  # type: ignore[arg-type]
    all_yes = {key: {"answer": "yes", "comment": ""} for key, _title in checklist_items()}
    filed = 0
    late_left = {report.id for report in owed[-2:]}  # the two most recent stay late
    returned_one = owed[len(owed) // 2].id
    now = utcnow()
    for report in owed:
        if report.id in late_left:
            continue
        spread = report.id or 0
        # Mostly a few days early; one in nine a few days late.
        days = 3 + spread % 5 if spread % 9 == 0 else -(1 + spread * 7 % 12)
        submitted = min(report.due_date + timedelta(days=days), today - timedelta(days=2))
        reviewer = officers.get(department_of.get(report.outsourcing_id, 0))
        report.checklist = all_yes
        report.subcontractors = children.get(report.outsourcing_id, [])
        report.had_incidents = False
        report.submitted_at = now - timedelta(days=(today - submitted).days)
        reviewed = report.submitted_at + timedelta(days=4)
        events = [("submitted", report.submitted_at, None, "")]
        if report.id == returned_one:
            report.status = ReportStatus.RETURNED
            report.review_comment = (
                "第3項（再委託先）の記載が漏れています。追記して再提出してください。"
            )
            events.append(("returned", reviewed, reviewer, report.review_comment))
        else:
            report.status = ReportStatus.ACCEPTED
            events.append(("accepted", reviewed, reviewer, ""))
        report.reviewed_by_id = reviewer
        report.reviewed_at = reviewed
        session.add(report)
        for action, at, actor, comment in events:
            session.add(
                ReportEvent(
                    report_id=report.id, action=action, actor_id=actor, comment=comment, at=at
                )
            )
        filed += 1
    session.flush()
    return filed
