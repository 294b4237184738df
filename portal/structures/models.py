"""Management-structure tables (管理体制の書面確認): one version per submission of one
outsourcing, its history, reminders and attachments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

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


class StructureStatus(StrEnum):
    """due → draft → submitted → confirmed (or returned → submitted …); a confirmed version
    becomes superseded once a newer version is confirmed."""

    DUE = "due"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    CONFIRMED = "confirmed"
    SUPERSEDED = "superseded"


#: The vendor still owes the version (it edits it, and reminders chase it).
EDITABLE_STATUSES = (StructureStatus.DUE, StructureStatus.DRAFT, StructureStatus.RETURNED)
#: Versions that were confirmed at some time (the one in force, and those it replaced).
CONFIRMED_STATUSES = (StructureStatus.CONFIRMED, StructureStatus.SUPERSEDED)
#: Submitted, then confirmed or returned (the vendor corrects it and submits it again).
REVIEW = ReviewCycle(
    EDITABLE_STATUSES,
    StructureStatus.SUBMITTED,
    StructureStatus.CONFIRMED,
    StructureStatus.RETURNED,
)


class ManagementStructure(Owed, table=True):
    """責任者及び業務従事者の管理体制: one version of the written structure of one outsourcing."""

    __tablename__ = "management_structures"
    row_name = "structure"
    __table_args__ = (UniqueConstraint("outsourcing_id", "version"),)

    outsourcing_id: int = owned_by("outsourcings")
    version: int = Field(default=1)
    responsible_name: str = Field(default="", max_length=200)
    responsible_title: str = Field(default="", max_length=200)
    responsible_contact: str = Field(default="", max_length=200)
    # [{"name": str, "count": int, "training_date": "YYYY-MM-DD"|"", "pledge_date": …,
    #   "dispatched": bool}]: a named person (count 1) or a group by count.
    staff: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    places: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    systems: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    remarks: str = Field(default="", max_length=4000)
    submitted_by_id: int | None = Field(default=None, foreign_key="users.id")
    submitted_at: datetime | None = Field(default=None)
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = Field(default=None)
    review_comment: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)


#: The history of a version, the reminders sent about it, and the files kept with it.
StructureEvent, StructureReminder, StructureAttachment = owned_tables(
    ManagementStructure, HistoryEvent, ReminderStamp, AttachmentFile
)

__all__ = [
    "CONFIRMED_STATUSES",
    "EDITABLE_STATUSES",
    "REVIEW",
    "ManagementStructure",
    "StructureAttachment",
    "StructureEvent",
    "StructureReminder",
    "StructureStatus",
]
