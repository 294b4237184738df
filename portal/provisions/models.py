"""Provision tables (保有個人情報の提供): the register of provisions to outside bodies, their
agreement files, the on-site checks and the improvement requests they raised, and the
pseudonymisation decision recorded for each outsourcing."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from portal.obligations.models import (
    AttachmentFile,
    HistoryEvent,
    Owed,
    ReminderStamp,
    owned_by,
    owned_tables,
)
from portal.timeutil import utcnow


class RecipientKind(StrEnum):
    """Who receives: another administrative body (法第69条第2項第3号) or another party (第4号)."""

    ADMINISTRATIVE = "administrative"
    OTHER = "other"


class Pseudonymisation(StrEnum):
    """Whether identifying entries leave the municipality: removed, replaced, or not (why)."""

    REMOVED = "removed"  # 特定の個人を識別することができる記載の全部又は一部を削除
    REPLACED = "replaced"  # 別の記号等に置き換え
    NOT_APPLIED = "not_applied"  # 措置を講じない (the reason is required)


class ProvisionStatus(StrEnum):
    """active (provided or being provided) → ended."""

    ACTIVE = "active"
    ENDED = "ended"


class CheckTiming(StrEnum):
    """提供前又は随時: a check before the first provision or during it."""

    BEFORE = "before"
    DURING = "during"


class CheckMethod(StrEnum):
    """実地の調査 (on site) or a check of documents and reports (書面等)."""

    ON_SITE = "on_site"
    DOCUMENTS = "documents"


class CheckResult(StrEnum):
    """The measures were in place, or improvements were requested."""

    ADEQUATE = "adequate"
    IMPROVEMENT = "improvement"


class ImprovementStatus(StrEnum):
    """open (the recipient owes the improvement) → closed (the officer confirmed it)."""

    OPEN = "open"
    CLOSED = "closed"


class Provision(SQLModel, table=True):
    """One provision of held personal information to an outside body, with its agreement."""

    __tablename__ = "provisions"
    row_name: ClassVar[str] = "provision"

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = Field(foreign_key="departments.id", index=True)
    recipient_name: str = Field(max_length=200)  # 提供先
    recipient_kind: str = Field(default=RecipientKind.OTHER, max_length=16)
    information_name: str = Field(max_length=200)  # 提供する保有個人情報（個人情報ファイル）
    # The agreement's items (第35条/第36条第1項).
    purpose: str = Field(max_length=2000)  # 提供先における利用目的
    legal_basis: str = Field(max_length=1000)  # 利用する業務の根拠法令
    record_scope: str = Field(max_length=2000)  # 利用する記録範囲及び記録項目
    usage_form: str = Field(max_length=1000)  # 利用形態
    agreement_date: date | None = Field(default=None)  # 書面を取り交わした日
    start_date: date
    end_date: date | None = Field(default=None)
    persons: int = Field(default=0)  # 本人の数（概数）
    # The safety measures requested (第2項): codes of the profile's [provision] list.
    safety_measures: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    safety_measures_note: str = Field(default="", max_length=2000)
    pseudonymisation: str = Field(max_length=16)
    pseudonymisation_reason: str = Field(default="", max_length=2000)
    status: str = Field(default=ProvisionStatus.ACTIVE, max_length=16, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


#: The agreement (書面) and other files kept with a provision.
(ProvisionAttachment,) = owned_tables(Provision, AttachmentFile)


class ProvisionCheck(SQLModel, table=True):
    """An on-site check (実地の調査等) of the recipient's measures, and what it found."""

    __tablename__ = "provision_checks"

    id: int | None = Field(default=None, primary_key=True)
    provision_id: int = owned_by("provisions")
    checked_on: date
    timing: str = Field(max_length=16)
    method: str = Field(max_length=16)
    result: str = Field(max_length=16)
    findings: str = Field(max_length=4000)
    checked_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class ImprovementRequest(Owed, table=True):
    """改善要求: what a check asked the recipient to improve, followed up by ``due_date``."""

    __tablename__ = "provision_improvements"
    row_name: ClassVar[str] = "improvement"

    provision_id: int = owned_by("provisions")
    check_id: int = owned_by("provision_checks")
    request: str = Field(max_length=4000)
    status: str = Field(default=ImprovementStatus.OPEN, max_length=16, index=True)
    response: str = Field(default="", max_length=4000)  # what the recipient reported doing
    closed_by_id: int | None = Field(default=None, foreign_key="users.id")
    closed_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


#: The reminders sent about an improvement request, and its history.
ImprovementReminder, ImprovementEvent = owned_tables(
    ImprovementRequest, ReminderStamp, HistoryEvent
)


class OutsourcingPseudonymisation(SQLModel, table=True):
    """Whether identifying entries are removed or replaced before an outsourcing's data leaves."""

    __tablename__ = "outsourcing_pseudonymisations"

    id: int | None = Field(default=None, primary_key=True)
    outsourcing_id: int = owned_by("outsourcings", unique=True)
    pseudonymisation: str = Field(max_length=16)
    reason: str = Field(default="", max_length=2000)
    recorded_by_id: int | None = Field(default=None, foreign_key="users.id")
    recorded_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "CheckMethod",
    "CheckResult",
    "CheckTiming",
    "ImprovementEvent",
    "ImprovementReminder",
    "ImprovementRequest",
    "ImprovementStatus",
    "OutsourcingPseudonymisation",
    "Provision",
    "ProvisionAttachment",
    "ProvisionCheck",
    "ProvisionStatus",
    "Pseudonymisation",
    "RecipientKind",
]
