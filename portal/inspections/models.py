"""Inspection tables: the inspection of one outsourcing, its findings, corrective actions,
the reminders sent about it, and the private calendar feeds of users."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from portal.obligations.models import AttachmentFile, Owed, ReminderStamp, owned_by, owned_tables
from portal.obligations.rules import ReviewCycle
from portal.timeutil import utcnow


class InspectionStatus(StrEnum):
    """due (no date agreed) → planned (date accepted) → completed; cancelled when the
    outsourcing ends before it is done (the row stays as history)."""

    DUE = "due"
    PLANNED = "planned"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


OPEN_STATUSES = (InspectionStatus.DUE, InspectionStatus.PLANNED)


class InspectionMethod(StrEnum):
    ON_SITE = "on_site"
    REMOTE = "remote"


class PerformedBy(StrEnum):
    MUNICIPALITY = "municipality"
    CONTRACTOR = "contractor"


class Severity(StrEnum):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class ActionStatus(StrEnum):
    """open → answered (by the vendor) → closed (confirmed by the officer), or back to open."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


#: The vendor still owes an answer (it may answer again until the officer closes it).
ANSWERABLE_STATUSES = (ActionStatus.OPEN, ActionStatus.ANSWERED)
#: The officer confirms an answer (closed) or sends it back (open again, with the reason).
ACTION_REVIEW = ReviewCycle(
    ANSWERABLE_STATUSES, ActionStatus.ANSWERED, ActionStatus.CLOSED, ActionStatus.OPEN
)


class Inspection(Owed, table=True):
    """実地検査: one inspection of one outsourcing (at any tier), due by ``due_date``."""

    __tablename__ = "inspections"
    row_name = "inspection"

    outsourcing_id: int = owned_by("outsourcings")
    proposed_date: date | None = Field(default=None)  # the planner's proposal
    planned_date: date | None = Field(default=None, index=True)  # accepted by an officer
    method: str = Field(default=InspectionMethod.ON_SITE, max_length=16)
    remote_reason: str = Field(default="", max_length=2000)
    performed_by: str = Field(default=PerformedBy.MUNICIPALITY, max_length=16)
    inspector_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    completed_on: date | None = Field(default=None)
    recorded_by_id: int | None = Field(default=None, foreign_key="users.id")
    summary: str = Field(default="", max_length=4000)
    # {item id: {"result": "ok"|"ng"|"na", "note": str}} over the checklist items.
    checklist: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class InspectionFinding(SQLModel, table=True):
    """指摘事項: something the inspection found wanting, with its severity."""

    __tablename__ = "inspection_findings"

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = owned_by("inspections")
    item: str = Field(default="", max_length=32)  # the checklist item it concerns
    severity: str = Field(default=Severity.MINOR, max_length=16)
    description: str = Field(max_length=2000)


class CorrectiveAction(SQLModel, table=True):
    """是正措置: what the vendor must correct by ``due_date``, and its answer."""

    __tablename__ = "corrective_actions"

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = owned_by("inspection_findings")
    # Denormalised so that the badges find open actions per outsourcing in one query.
    outsourcing_id: int = Field(foreign_key="outsourcings.id", index=True)
    description: str = Field(max_length=2000)
    due_date: date
    status: str = Field(default=ActionStatus.OPEN, max_length=16, index=True)
    answer: str = Field(default="", max_length=4000)
    answered_by_id: int | None = Field(default=None, foreign_key="users.id")
    answered_at: datetime | None = Field(default=None)
    follow_up: str = Field(default="", max_length=2000)
    closed_by_id: int | None = Field(default=None, foreign_key="users.id")
    closed_at: datetime | None = Field(default=None)


#: The reminders sent about an inspection, and the photos and PDFs kept with its record.
InspectionReminder, InspectionAttachment = owned_tables(Inspection, ReminderStamp, AttachmentFile)


class CalendarFeed(SQLModel, table=True):
    """A user's private iCalendar feed; only the hash of the URL's token is kept."""

    __tablename__ = "calendar_feeds"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = owned_by("users", unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "ACTION_REVIEW",
    "ANSWERABLE_STATUSES",
    "OPEN_STATUSES",
    "ActionStatus",
    "CalendarFeed",
    "CorrectiveAction",
    "Inspection",
    "InspectionAttachment",
    "InspectionFinding",
    "InspectionMethod",
    "InspectionReminder",
    "InspectionStatus",
    "PerformedBy",
    "Severity",
]
