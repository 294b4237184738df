"""Periodic compliance reports: the slots each outsourcing owes, the vendor's writing and
submitting, the officer's review, and the unapproved subcontractors a report reveals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.corporate_number import is_valid_corporate_number, normalize_corporate_number
from portal.models import Outsourcing, OutsourcingStatus, User, Vendor
from portal.obligations.operations import record_event, sign
from portal.obligations.queries import ALL_NODES, NodeSelection
from portal.obligations.rules import ObligationError, Refusals
from portal.reports.models import (
    REVIEW,
    ComplianceReport,
    ReportingSetting,
    ReportStatus,
    SubcontractViolation,
    ViolationStatus,
)
from portal.reports.obligation import REPORT_OBLIGATION
from portal.reports.rules import (
    ANSWERS,
    FREQUENCIES,
    ReportingRule,
    checklist_items,
    missing_answers,
    periods_until,
    unapproved,
)

#: Children whose subcontract the municipality approved (or will, once the contract is made).
APPROVED_CHILD_STATUSES = (OutsourcingStatus.APPROVED, OutsourcingStatus.ACTIVE)


#: A change the reporting rules refuse (``message`` is Japanese): every obligation's error.
ReportError = ObligationError


def reporting_rule() -> ReportingRule:
    """The reporting rule of the app's regulation profile."""
    return ReportingRule.from_profile(current_app.extensions["portal.profile"].reporting)


def frequency_of(*, session: Session, outsourcing_id: int) -> str | None:
    """The frequency set for an outsourcing (None: the profile's default applies)."""
    return session.exec(
        select(ReportingSetting.frequency).where(ReportingSetting.outsourcing_id == outsourcing_id)
    ).first()


@dataclass
class SyncResult:
    """What ``sync_reports`` changed."""

    created: int = 0
    removed: int = 0


def sync_reports(*, session: Session, today: date, nodes: NodeSelection = ALL_NODES) -> SyncResult:
    """Create the report of every period that has begun for each active outsourcing (of
    ``nodes``); drop untouched slots that no longer match the periods (the frequency or the
    term changed)."""
    rule = reporting_rule()
    o = Outsourcing
    statement = select(o.id, o.start_date, o.end_date).where(
        o.status == OutsourcingStatus.ACTIVE, *nodes.where(o.id)
    )
    existing_q = select(ComplianceReport).where(*nodes.where(ComplianceReport.outsourcing_id))
    settings_q = select(ReportingSetting.outsourcing_id, ReportingSetting.frequency).where(
        *nodes.where(ReportingSetting.outsourcing_id)
    )
    by_node: dict[int, dict[date, ComplianceReport]] = defaultdict(dict)
    for report in session.exec(existing_q).all():
        by_node[report.outsourcing_id][report.period_start] = report
    frequencies = dict(session.exec(settings_q).all())
    result = SyncResult()
    for oid, start, end in session.exec(statement).all():
        wanted = periods_until(
            start=start,
            end=end,
            months=rule.months(frequencies.get(oid)),
            due_days=rule.due_days_after_period,
            today=today,
        )
        have = by_node.get(oid, {})
        for period in wanted:
            current = have.get(period.start)
            if current is None:
                session.add(
                    ComplianceReport(
                        outsourcing_id=oid,
                        period_start=period.start,
                        period_end=period.end,
                        due_date=period.due,
                    )
                )
                result.created += 1
            elif current.status == ReportStatus.DUE and (current.period_end, current.due_date) != (
                period.end,
                period.due,
            ):
                current.period_end, current.due_date = period.end, period.due
                session.add(current)
        starts = {p.start for p in wanted}
        for report in have.values():
            # Only a slot nobody has written in goes; a written report stays as history.
            if report.status == ReportStatus.DUE and report.period_start not in starts:
                session.delete(report)
                result.removed += 1
    session.flush()
    return result


def set_frequency(
    *, session: Session, actor: User, outsourcing: Outsourcing, frequency: str, today: date
) -> ReportingSetting:
    """An officer sets how often an outsourcing reports; the owed slots follow."""
    if frequency not in FREQUENCIES:
        raise ReportError(_("報告の頻度を選んでください。"))
    setting = session.exec(
        select(ReportingSetting).where(ReportingSetting.outsourcing_id == outsourcing.id)
    ).first() or ReportingSetting(outsourcing_id=outsourcing.id, frequency=frequency)  # type: ignore[arg-type]
    setting.frequency = frequency
    sign(setting, actor, "updated")
    session.add(setting)
    session.flush()
    sync_reports(session=session, today=today, nodes=NodeSelection.of_ids(outsourcing.id))  # type: ignore[arg-type]
    return setting


def _event(
    session: Session, report: ComplianceReport, actor: User, action: str, comment: str = ""
) -> None:
    record_event(
        session=session,
        kind=REPORT_OBLIGATION,
        owed=report,
        actor=actor,
        action=action,
        comment=comment,
    )


@dataclass(frozen=True)
class SubcontractorEntry:
    """A subcontractor the vendor names: a known vendor by id, or a name with its 法人番号."""

    vendor_id: int | None = None
    name: str = ""
    corporate_number: str = ""


@dataclass(frozen=True)
class ReportContent:
    """What the vendor writes in a report."""

    checklist: dict[str, dict[str, str]] = field(default_factory=dict)
    subcontractors: tuple[SubcontractorEntry, ...] = ()
    had_incidents: bool | None = None
    incident_description: str = ""
    remarks: str = ""


def _resolve_subcontractors(
    session: Session, entries: Sequence[SubcontractorEntry], holder_vendor_id: int
) -> list[dict[str, object]]:
    result: list[dict[str, object]] = []
    for number, entry in enumerate(entries, start=1):
        if entry.vendor_id is not None:
            vendor = session.get(Vendor, entry.vendor_id)
            if vendor is None:
                raise ReportError(_("%(n)d行目の再委託先が見つかりません。", n=number))
            item = {
                "vendor_id": vendor.id,
                "name": vendor.name,
                "corporate_number": vendor.corporate_number,
            }
        else:
            corporate = normalize_corporate_number(entry.corporate_number)
            if not (len(corporate) == 13 and corporate.isdigit()):
                raise ReportError(
                    _("%(n)d行目：法人番号は13桁の数字で入力してください。", n=number)
                )
            if not is_valid_corporate_number(corporate):
                raise ReportError(
                    _(
                        "%(n)d行目：法人番号のチェックデジット（先頭の1桁）が正しくありません。",
                        n=number,
                    )
                )
            known = session.exec(select(Vendor).where(Vendor.corporate_number == corporate)).first()
            name = entry.name.strip() or (known.name if known else "")
            if not name:
                raise ReportError(_("%(n)d行目：再委託先の名称を入力してください。", n=number))
            item = {
                "vendor_id": known.id if known else None,
                "name": name[:200],
                "corporate_number": corporate,
            }
        if item["vendor_id"] == holder_vendor_id:
            raise ReportError(_("%(n)d行目：自社は再委託先に含めません。", n=number))
        if any(i["corporate_number"] == item["corporate_number"] for i in result):
            continue
        result.append(item)
    return result


def _check_content(content: ReportContent, *, submitting: bool) -> None:
    known = {key for key, _title in checklist_items()}
    for key, entry in content.checklist.items():
        if key not in known or entry.get("answer", "") not in (*ANSWERS, ""):
            raise ReportError(_("確認項目の回答が正しくありません。"))
    if not submitting:
        return
    if missing_answers(content.checklist):
        raise ReportError(_("八つの事項すべてに「はい」か「いいえ」で回答してください。"))
    for key, title in checklist_items():
        entry = content.checklist[key]
        if entry["answer"] == "no" and not entry.get("comment", "").strip():
            raise ReportError(
                _("「%(item)s」に「いいえ」と回答した理由と対応を記入してください。", item=title)
            )
    if content.had_incidents is None:
        raise ReportError(_("期間中の漏えい等の事案の有無を回答してください。"))
    if content.had_incidents and not content.incident_description.strip():
        raise ReportError(_("発生した事案の内容を記入してください。"))


def approved_subcontractors(*, session: Session, outsourcing: Outsourcing) -> dict[str, Vendor]:
    """The vendors (by 法人番号) of the approved subcontracts directly below ``outsourcing``."""
    rows = session.exec(
        select(Vendor)
        .join(Outsourcing, Outsourcing.vendor_id == Vendor.id)
        .where(
            Outsourcing.parent_id == outsourcing.id,
            Outsourcing.status.in_(APPROVED_CHILD_STATUSES),
            Outsourcing.entered_without_approval.is_(False),  # type: ignore[attr-defined]
        )
    ).all()
    return {vendor.corporate_number: vendor for vendor in rows}


#: Why the review of a report refuses a step.
_REFUSALS = Refusals(
    not_owed=_l("提出済みの報告は変更できません（差し戻されると再び編集できます）。"),
    not_submitted=_l("確認できるのは、提出された報告だけです。"),
    reason_required=_l("差し戻す場合は、委託先への指摘を入力してください。"),
)


def save_report(
    *,
    session: Session,
    actor: User,
    report: ComplianceReport,
    outsourcing: Outsourcing,
    content: ReportContent,
    submit: bool,
    today: date,
) -> list[SubcontractViolation]:
    """The vendor saves a draft, or submits; submitting compares the subcontractors in use
    with the approved ones and returns the violations it raised."""
    if actor.vendor_id is None or actor.vendor_id != outsourcing.vendor_id:
        raise ReportError(_("報告できるのは、その委託を受けている委託先だけです。"))
    REVIEW.check_owed(report.status, _REFUSALS)
    _check_content(content, submitting=submit)
    if submit and today < report.period_end:
        raise ReportError(
            _(
                "報告期間（%(end)sまで）が終わってから提出してください。下書きは保存できます。",
                end=report.period_end.isoformat(),
            )
        )
    subcontractors = _resolve_subcontractors(session, content.subcontractors, outsourcing.vendor_id)
    report.checklist = {
        key: {
            "answer": content.checklist.get(key, {}).get("answer", ""),
            "comment": content.checklist.get(key, {}).get("comment", "").strip()[:1000],
        }
        for key, _title in checklist_items()
    }
    report.subcontractors = subcontractors
    report.had_incidents = content.had_incidents
    report.incident_description = (
        content.incident_description.strip() if content.had_incidents else ""
    )
    report.remarks = content.remarks.strip()
    violations: list[SubcontractViolation] = []
    if submit:
        report.status = REVIEW.submitted
        sign(report, actor, "submitted")
        session.add(report)
        session.flush()
        _event(session, report, actor, "submitted")
        violations = _raise_violations(session, report, outsourcing, subcontractors)
    else:
        if report.status == ReportStatus.DUE:
            report.status = ReportStatus.DRAFT
        session.add(report)
        session.flush()
        _event(session, report, actor, "saved")
    session.flush()
    return violations


def _raise_violations(
    session: Session,
    report: ComplianceReport,
    outsourcing: Outsourcing,
    subcontractors: list[dict[str, object]],
) -> list[SubcontractViolation]:
    approved = approved_subcontractors(session=session, outsourcing=outsourcing)
    numbers = [str(item["corporate_number"]) for item in subcontractors]
    already = set(
        session.exec(
            select(SubcontractViolation.corporate_number).where(
                SubcontractViolation.outsourcing_id == outsourcing.id,
                SubcontractViolation.status == ViolationStatus.OPEN,
            )
        ).all()
    )
    by_number = {str(item["corporate_number"]): item for item in subcontractors}
    raised = []
    for number in unapproved(numbers, approved):
        if number in already:  # still open from an earlier report: one violation, not two
            continue
        item = by_number[number]
        violation = SubcontractViolation(
            outsourcing_id=outsourcing.id,  # type: ignore[arg-type]
            report_id=report.id,  # type: ignore[arg-type]
            vendor_id=item["vendor_id"],  # type: ignore[arg-type]
            name=str(item["name"]),
            corporate_number=number,
        )
        session.add(violation)
        raised.append(violation)
    session.flush()
    return raised


def review_report(
    *,
    session: Session,
    actor: User,
    report: ComplianceReport,
    outsourcing: Outsourcing,
    accept: bool,
    comment: str,
) -> ComplianceReport:
    """An officer of the owning department accepts a submitted report or returns it."""
    if actor.department_id != outsourcing.department_id:
        raise ReportError(_("確認できるのは、委託を所管する課室の職員だけです。"))
    report.status = REVIEW.review(report.status, _REFUSALS, accept=accept, comment=comment)
    sign(report, actor, "reviewed")
    report.review_comment = comment.strip()
    session.add(report)
    session.flush()
    _event(session, report, actor, "accepted" if accept else "returned", comment.strip())
    session.flush()
    return report


def resolve_violation(
    *,
    session: Session,
    actor: User,
    violation: SubcontractViolation,
    outsourcing: Outsourcing,
    reason: str,
) -> SubcontractViolation:
    """The officer closes a violation with a reason (e.g. the vendor stopped using it)."""
    if actor.department_id != outsourcing.department_id:
        raise ReportError(_("対応できるのは、委託を所管する課室の職員だけです。"))
    if violation.status != ViolationStatus.OPEN:
        raise ReportError(_("この違反は既に対応済みです。"))
    if not reason.strip():
        raise ReportError(_("対応済みとする理由を入力してください。"))
    violation.status = ViolationStatus.RESOLVED
    violation.resolution = reason.strip()
    sign(violation, actor, "resolved")
    session.add(violation)
    session.flush()
    return violation


def record_violation_in_chain(
    *,
    session: Session,
    actor: User,
    violation: SubcontractViolation,
    outsourcing: Outsourcing,
    report: ComplianceReport,
) -> Outsourcing:
    """The officer enters the reported subcontractor in the chain as a subcontract made
    without approval, so that it is overseen (inspections, reports) like any other node."""
    from portal.outsourcings import operations as chain

    if actor.department_id != outsourcing.department_id:
        raise ReportError(_("対応できるのは、委託を所管する課室の職員だけです。"))
    if violation.status != ViolationStatus.OPEN:
        raise ReportError(_("この違反は既に対応済みです。"))
    try:
        vendor = chain.find_or_create_vendor(
            session=session, name=violation.name, corporate_number=violation.corporate_number
        )
        child = chain.record_subcontract_without_approval(
            session=session,
            actor=actor,
            parent=outsourcing,
            request=chain.SubcontractRequest(
                task_name=_("%(task)s（定期報告で判明した再委託）", task=outsourcing.task_name)[
                    :200
                ],
                vendor_id=vendor.id,  # type: ignore[arg-type]
                start_date=max(report.period_start, outsourcing.start_date),
                end_date=outsourcing.end_date,
                data=chain.EntrustedData(),
                reason=_(
                    "%(start)s〜%(end)sの定期報告で、承認を得ていない再委託先として報告された。",
                    start=report.period_start.isoformat(),
                    end=report.period_end.isoformat(),
                ),
                responsible_persons="",
                protection_measures="",
                oversight_method="",
            ),
        )
    except chain.ChainError as error:
        raise ReportError(error.message) from error
    violation.status = ViolationStatus.RECORDED
    violation.vendor_id = vendor.id
    violation.child_outsourcing_id = child.id
    violation.resolution = _("無承認の再委託として系列に登録した。")
    sign(violation, actor, "resolved")
    session.add(violation)
    session.flush()
    return child
