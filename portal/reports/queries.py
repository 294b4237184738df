"""Reading reports within the user's scope: officers and readers through the chain's scope,
vendor users only for the nodes their vendor holds itself."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from portal.models import Outsourcing, User, Vendor
from portal.obligations.queries import get_with_node, with_node
from portal.outsourcings.scope import visibility_clause
from portal.permissions import Role
from portal.reports.models import (
    EDITABLE_STATUSES,
    ComplianceReport,
    ReportStatus,
    SubcontractViolation,
    ViolationStatus,
)


def report_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``Outsourcing``: the nodes whose reports ``user`` may see."""
    clause = visibility_clause(user)
    if user.role == Role.VENDOR:
        # A vendor reports on what it holds; its subcontractors' reports are theirs.
        return clause & (Outsourcing.vendor_id == user.vendor_id)
    return clause


def visible_reports(user: User):
    """``select(ComplianceReport, Outsourcing, Vendor)`` limited to what ``user`` may see."""
    return with_node(ComplianceReport, report_scope(user))


def get_visible_report(
    *, session: Session, user: User, report_id: int
) -> tuple[ComplianceReport, Outsourcing, Vendor] | None:
    """The report with its outsourcing and vendor if ``user`` may see it, else None."""
    return get_with_node(
        session=session, model=ComplianceReport, scope=report_scope(user), row_id=report_id
    )


def report_lists(
    *, session: Session, user: User, today: date, department_id: int | None = None, days: int = 30
) -> dict[str, list[tuple[ComplianceReport, Outsourcing, Vendor]]]:
    """Reports in scope by what they wait for: overdue, due soon, submitted (the officer's
    review), returned (the vendor's correction)."""
    statement = visible_reports(user).where(
        ComplianceReport.status.in_([*EDITABLE_STATUSES, ReportStatus.SUBMITTED])
    )
    if department_id:
        statement = statement.where(Outsourcing.department_id == department_id)
    rows = [
        tuple(row)
        for row in session.exec(
            statement.order_by(ComplianceReport.due_date, ComplianceReport.id)
        ).all()
    ]
    soon = today + timedelta(days=days)
    owed = [r for r in rows if r[0].status in EDITABLE_STATUSES]
    return {
        "overdue": [r for r in owed if r[0].due_date < today],
        "due": [r for r in owed if today <= r[0].due_date <= soon],
        "submitted": [r for r in rows if r[0].status == ReportStatus.SUBMITTED],
        "returned": [r for r in owed if r[0].status == ReportStatus.RETURNED],
    }  # type: ignore[return-value]


def reports_of(*, session: Session, user: User, outsourcing_id: int) -> list[ComplianceReport]:
    """The reports of one outsourcing in scope, newest period first."""
    rows = session.exec(
        visible_reports(user)
        .where(ComplianceReport.outsourcing_id == outsourcing_id)
        .order_by(ComplianceReport.period_start.desc())
    ).all()
    return [row[0] for row in rows]


def violations_in_scope(
    *, session: Session, user: User, outsourcing_id: int | None = None, open_only: bool = True
) -> list[tuple[SubcontractViolation, Outsourcing]]:
    """Unapproved subcontractors revealed by reports, in the user's report scope."""
    statement = (
        select(SubcontractViolation, Outsourcing)
        .join(Outsourcing, Outsourcing.id == SubcontractViolation.outsourcing_id)
        .where(report_scope(user))
    )
    if outsourcing_id is not None:
        statement = statement.where(SubcontractViolation.outsourcing_id == outsourcing_id)
    if open_only:
        statement = statement.where(SubcontractViolation.status == ViolationStatus.OPEN)
    rows = session.exec(statement.order_by(SubcontractViolation.id)).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]
