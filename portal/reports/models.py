"""Periodic compliance report tables: the reporting setting of an outsourcing, one report per
period, its history, attachments and reminders, and the unapproved subcontractors it revealed."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.obligations.models import (
    AttachmentFile,
    HistoryEvent,
    Owed,
    ReminderStamp,
    owned_by,
    owned_tables,
)
from portal.obligations.rules import ReviewCycle
from portal.timeutil import utcnow


class ReportStatus(StrEnum):
    """due (nothing written yet) → draft → submitted → accepted, or returned → submitted …"""

    DUE = "due"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


#: The vendor still owes the report (it can edit it, and reminders chase it).
EDITABLE_STATUSES = (ReportStatus.DUE, ReportStatus.DRAFT, ReportStatus.RETURNED)
#: Submitted, then accepted or returned (the vendor corrects it and submits it again).
REVIEW = ReviewCycle(
    EDITABLE_STATUSES, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED
)


class ViolationStatus(StrEnum):
    """open → resolved (with a reason) or recorded (entered in the chain as a violation)."""

    OPEN = "open"
    RESOLVED = "resolved"
    RECORDED = "recorded"


class ReportingSetting(SQLModel, table=True):
    """How often one outsourcing reports, when it differs from the profile's default."""

    __tablename__ = "reporting_settings"

    id: int | None = Field(default=None, primary_key=True)
    outsourcing_id: int = owned_by("outsourcings", unique=True)
    frequency: str = Field(max_length=16)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow)


class ComplianceReport(Owed, table=True):
    """定期報告: the vendor's report on one period of one outsourcing, due by ``due_date``."""

    __tablename__ = "compliance_reports"
    row_name = "report"
    __table_args__ = (UniqueConstraint("outsourcing_id", "period_start"),)

    outsourcing_id: int = owned_by("outsourcings")
    period_start: date
    period_end: date
    # {clause id: {"answer": "yes"|"no"|"", "comment": str}} over the eight matters.
    checklist: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # [{"vendor_id": int|None, "name": str, "corporate_number": str}]: subcontractors in use.
    subcontractors: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    had_incidents: bool | None = Field(default=None)
    incident_description: str = Field(default="", max_length=4000)
    remarks: str = Field(default="", max_length=4000)
    submitted_by_id: int | None = Field(default=None, foreign_key="users.id")
    submitted_at: datetime | None = Field(default=None)
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = Field(default=None)
    review_comment: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)


#: The history of a report, the reminders sent about it, and the files the vendor keeps with it.
ReportEvent, ReportReminder, ReportAttachment = owned_tables(
    ComplianceReport, HistoryEvent, ReminderStamp, AttachmentFile
)


class SubcontractViolation(SQLModel, table=True):
    """A subcontractor named in a report that is not an approved subcontract of the node."""

    __tablename__ = "subcontract_violations"

    id: int | None = Field(default=None, primary_key=True)
    # The node whose vendor uses the subcontractor (the violation shows on it).
    outsourcing_id: int = owned_by("outsourcings")
    report_id: int = owned_by("compliance_reports")
    vendor_id: int | None = Field(default=None, foreign_key="vendors.id")
    name: str = Field(max_length=200)
    corporate_number: str = Field(max_length=13)
    status: str = Field(default=ViolationStatus.OPEN, max_length=16, index=True)
    resolution: str = Field(default="", max_length=2000)
    resolved_by_id: int | None = Field(default=None, foreign_key="users.id")
    resolved_at: datetime | None = Field(default=None)
    # The child node entered in the chain for it (a subcontract without approval).
    child_outsourcing_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("outsourcings.id", ondelete="SET NULL"), nullable=True
        ),
    )
    created_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "EDITABLE_STATUSES",
    "REVIEW",
    "ComplianceReport",
    "ReportAttachment",
    "ReportEvent",
    "ReportReminder",
    "ReportStatus",
    "ReportingSetting",
    "SubcontractViolation",
    "ViolationStatus",
]
