"""The periodic reports' items of the start page: late, submitted and returned reports and
unapproved subcontractors (officers); reports due and returned (vendors)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.features import HomeWidget
from portal.home import QueueEntry, QueueSpec, WorkQueue, days_until, load_queue
from portal.models import Outsourcing, User, Vendor
from portal.permissions import Permission
from portal.reports.models import (
    EDITABLE_STATUSES,
    ComplianceReport,
    ReportStatus,
    SubcontractViolation,
    ViolationStatus,
)
from portal.reports.queries import report_scope, visible_reports
from portal.timeutil import local_today


def _report_entry(row: tuple[ComplianceReport, Outsourcing, Vendor]) -> QueueEntry:
    report, node, vendor = row
    days = days_until(report.due_date, local_today()) or 0
    if report.status == ReportStatus.SUBMITTED:
        note, tone = _("提出済み・確認待ち"), "warn"
    elif report.status == ReportStatus.RETURNED:
        note, tone = _("差戻し"), "warn"
    elif days < 0:
        note, tone = _("提出期限を%(n)d日超過", n=-days), "bad"
    else:
        note, tone = _("提出期限まで%(n)d日", n=days), "muted"
    period = f"{report.period_start:%Y-%m-%d}〜{report.period_end:%Y-%m-%d}"
    return QueueEntry(
        f"{vendor.name}：{node.task_name}（{period}）",
        url_for("reports.detail", report_id=report.id),
        report.due_date,
        note,
        tone,
    )


def _violation_entry(row: tuple[SubcontractViolation, Outsourcing, Vendor]) -> QueueEntry:
    violation, node, vendor = row
    return QueueEntry(
        f"{violation.name}（{vendor.name}：{node.task_name}）",
        url_for("reports.node_reports", outsourcing_id=node.id),
        violation.created_at.date(),
        _("承認のない再委託先"),
        "bad",
    )


def _more() -> str:
    return url_for("reports.index")


_BY_DUE = (ComplianceReport.due_date, ComplianceReport.id)
LATE = QueueSpec(
    "reports_late", _l("提出期限を過ぎた定期報告"), _BY_DUE, _report_entry, _more, "bad"
)
SUBMITTED = QueueSpec("reports_submitted", _l("確認待ちの定期報告"), _BY_DUE, _report_entry, _more)
RETURNED = QueueSpec("reports_returned", _l("差し戻した定期報告"), _BY_DUE, _report_entry, _more)
VIOLATIONS = QueueSpec(
    "violations_open",
    _l("報告で判明した承認のない再委託先"),
    (SubcontractViolation.created_at, SubcontractViolation.id),
    _violation_entry,
    _more,
    "bad",
)
DUE = QueueSpec("reports_due", _l("提出する定期報告"), _BY_DUE, _report_entry, _more)
VENDOR_RETURNED = QueueSpec(
    "reports_returned_to_me", _l("差し戻された定期報告"), _BY_DUE, _report_entry, _more
)


def reports_late(session: Session, user: User) -> WorkQueue | None:
    """Reports still owed after their due date."""
    if user.is_vendor:
        return None
    statement = visible_reports(user).where(
        ComplianceReport.status.in_(EDITABLE_STATUSES), ComplianceReport.due_date < local_today()
    )
    return load_queue(session=session, user=user, statement=statement, spec=LATE)


def reports_submitted(session: Session, user: User) -> WorkQueue | None:
    """Reports submitted and waiting for the officer's review."""
    if user.is_vendor:
        return None
    statement = visible_reports(user).where(ComplianceReport.status == ReportStatus.SUBMITTED)
    return load_queue(session=session, user=user, statement=statement, spec=SUBMITTED)


def reports_returned(session: Session, user: User) -> WorkQueue | None:
    """Reports returned to the vendor (officers: sent back; vendors: to correct)."""
    statement = visible_reports(user).where(ComplianceReport.status == ReportStatus.RETURNED)
    spec = VENDOR_RETURNED if user.is_vendor else RETURNED
    return load_queue(session=session, user=user, statement=statement, spec=spec)


def reports_due(session: Session, user: User) -> WorkQueue | None:
    """The vendor's reports not yet written or submitted."""
    if not user.is_vendor:
        return None
    statement = visible_reports(user).where(
        ComplianceReport.status.in_((ReportStatus.DUE, ReportStatus.DRAFT))
    )
    return load_queue(session=session, user=user, statement=statement, spec=DUE)


def violations_open(session: Session, user: User) -> WorkQueue | None:
    """Subcontractors named in reports that no approval covers, not yet followed up."""
    if user.is_vendor:
        return None
    statement = (
        select(SubcontractViolation, Outsourcing, Vendor)
        .join(Outsourcing, Outsourcing.id == SubcontractViolation.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(report_scope(user), SubcontractViolation.status == ViolationStatus.OPEN)
    )
    return load_queue(session=session, user=user, statement=statement, spec=VIOLATIONS)


WIDGETS = (
    HomeWidget("reports_due", reports_due, Permission.SUBMIT_REPORTS),
    HomeWidget("reports_late", reports_late, Permission.VIEW_REPORTS),
    HomeWidget("reports_submitted", reports_submitted, Permission.VIEW_REPORTS),
    HomeWidget("reports_returned", reports_returned, Permission.VIEW_REPORTS),
    HomeWidget("violations_open", violations_open, Permission.VIEW_REPORTS),
)
