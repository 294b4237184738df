"""Selection tables: the certifications a vendor holds (with their evidence files and the
reminders sent before they expire), and per outsourcing the selection checklist and the
personal-information items entrusted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from portal.obligations.models import AttachmentFile, ReminderStamp, owned_by, owned_tables
from portal.timeutil import utcnow


class Certification(SQLModel, table=True):
    """A third-party certification of a vendor (プライバシーマーク, ISMS …), valid until
    ``expires_on``; the same type and number once among those not withdrawn. A certification
    recorded by mistake is withdrawn with a reason, never deleted (the record stays)."""

    __tablename__ = "certifications"
    row_name: ClassVar[str] = "certification"
    __table_args__ = (
        Index(
            "uq_certifications_current_number",
            "cert_type",
            "number",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = owned_by("vendors")
    cert_type: str = Field(max_length=32)  # a type of the profile's list
    number: str = Field(max_length=64)
    issued_on: date
    expires_on: date = Field(index=True)
    # What the certification covers (ISMS: its 適用範囲, e.g. the sites and services).
    scope: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=2000)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = Field(default=None)
    withdrawn_by_id: int | None = Field(default=None, foreign_key="users.id")
    withdrawal_reason: str = Field(default="", max_length=2000)
    # Set when an edit replaces the evidence: files kept before it are earlier versions.
    evidence_replaced_at: datetime | None = Field(default=None)


#: The reminders sent before a certification expires, and its evidence files.
CertificationReminder, CertificationAttachment = owned_tables(
    Certification, ReminderStamp, AttachmentFile
)


class SelectionRecord(SQLModel, table=True):
    """Per outsourcing: the selection checklist, whether a cloud service handles the data,
    the personal-information items entrusted, and why it may exceed the parent's items."""

    __tablename__ = "selection_records"

    id: int | None = Field(default=None, primary_key=True)
    outsourcing_id: int = owned_by("outsourcings", unique=True)
    # {question id: "yes" | "no"} over the profile's checklist.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    checklist_comment: str = Field(default="", max_length=4000)
    uses_cloud: bool = Field(default=False)
    # Item ids of the profile's list, in its order; None: not recorded yet.
    items: list[Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    excess_reason: str = Field(default="", max_length=4000)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "Certification",
    "CertificationAttachment",
    "CertificationReminder",
    "SelectionRecord",
]
