"""Columns every obligation table family shares, as SQLModel mix-ins.

A feature keeps its own tables (their names and columns are its migrations' business); it
builds them from these mix-ins so that the reminder stamps, attachments and history rows of
every obligation look the same and one set of functions serves them all.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


def owned_by(table: str, *, unique: bool = False) -> Any:
    """A required column naming a row of ``table`` (deleted with it), indexed or unique."""
    # A fresh Column per call: SQLAlchemy binds a Column to exactly one table.
    return Field(
        sa_column=Column(
            Integer,
            ForeignKey(f"{table}.id", ondelete="CASCADE"),
            index=not unique,
            unique=unique,
            nullable=False,
        )
    )


class Owed(SQLModel):
    """Something a party owes by ``due_date``; ``status`` says whether it still does."""

    #: The short name of the owed row ("report"): its tables' prefix and ``<name>_id``.
    row_name: ClassVar[str] = ""

    id: int | None = Field(default=None, primary_key=True)
    due_date: date = Field(index=True)
    status: str = Field(default="due", max_length=16, index=True)


class ReminderStamp(SQLModel):
    """A reminder sent about an owed row: each kind once, stamped when sent."""

    row_suffix: ClassVar[str] = "reminder"
    unique_with: ClassVar[tuple[str, ...]] = ("kind",)  # one stamp per row and kind

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # days before the date ("30", "7", "1") or "overdue"
    sent_at: datetime = Field(default_factory=utcnow)
    recipients: str = Field(default="", max_length=2000)


class AttachmentFile(SQLModel):
    """A file kept with an owed row (stored through ``portal.storage``)."""

    row_suffix: ClassVar[str] = "attachment"
    unique_with: ClassVar[tuple[str, ...]] = ("sha256",)  # the same file once per row

    id: int | None = Field(default=None, primary_key=True)
    storage_key: str = Field(max_length=200, unique=True)
    filename: str = Field(max_length=255)  # as uploaded, for display only
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by_id: int | None = Field(default=None, foreign_key="users.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


class HistoryEvent(SQLModel):
    """One state change of an owed row: who, when, what, and the comment."""

    row_suffix: ClassVar[str] = "event"
    unique_with: ClassVar[tuple[str, ...]] = ()

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=16)  # e.g. saved, submitted, returned, accepted
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    comment: str = Field(default="", max_length=4000)
    at: datetime = Field(default_factory=utcnow)


def owned_tables(owed: Any, *families: type[SQLModel]) -> tuple[Any, ...]:
    """The tables of ``families`` (``ReminderStamp``, ``AttachmentFile``, ``HistoryEvent``)
    for the owed model ``owed``, named after its ``row_name``.

    For ``row_name = "report"`` and ``ReminderStamp``: the class ``ReportReminder`` (made in the
    caller's module), its table ``report_reminders``, the column ``report_id`` (deleted with
    its report), and the family's uniqueness (one stamp per report and kind).
    """
    module = sys._getframe(1).f_globals["__name__"]
    name: str = owed.row_name
    owner = f"{name}_id"
    tables = []
    for family in families:
        suffix: str = getattr(family, "row_suffix")  # noqa: B009 - a ClassVar of the family
        unique_with: tuple[str, ...] = getattr(family, "unique_with", ())
        class_name = f"{name.title()}{suffix.title()}"
        namespace = {
            "__module__": module,
            "__qualname__": class_name,
            "__doc__": f"{family.__doc__} (of ``{owed.__tablename__}``)",
            "__tablename__": f"{name}_{suffix}s",
            "__table_args__": (UniqueConstraint(owner, *unique_with),) if unique_with else (),
            "__annotations__": {owner: "int"},
            owner: owned_by(owed.__tablename__),
        }
        tables.append(type(family)(class_name, (family,), namespace, table=True))
    return tuple(tables)
