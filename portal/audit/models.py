"""Tables of the access log: the hash-chained events, the chain head and the download counter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow

GENESIS_HASH = "0" * 64


class AccessEvent(SQLModel, table=True):
    """アクセス記録: one append-only, hash-chained event (the database refuses UPDATE/DELETE)."""

    __tablename__ = "access_events"
    __table_args__ = (
        Index("ix_access_events_actor_time", "actor_id", "occurred_at"),
        Index("ix_access_events_object", "object_type", "object_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The position in the chain: 1, 2, 3 … without gaps.
    seq: int = Field(unique=True)
    occurred_at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, index=True)  # no FK: the log outlives accounts
    actor_label: str = Field(default="", max_length=254)
    role: str = Field(default="", max_length=16)
    action: str = Field(max_length=64, index=True)
    object_type: str | None = Field(default=None, max_length=64)
    object_id: str | None = Field(default=None, max_length=64)
    outcome: str = Field(default="ok", max_length=16, index=True)
    address: str = Field(default="", max_length=64)
    request_id: str = Field(default="", max_length=64)
    # Canonical JSON (sorted keys), stored as text so that the hashed bytes come back unchanged.
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AuditChainHead(SQLModel, table=True):
    """The one row that serializes appends: each append updates it first, which locks it."""

    __tablename__ = "audit_chain_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = Field(default=0)
    hash: str = Field(default=GENESIS_HASH, max_length=64)


class DownloadCounter(SQLModel, table=True):
    """Downloads and exports of one user in one window (三木市 第21条 / 久喜市 第20条)."""

    __tablename__ = "download_counters"
    __table_args__ = (UniqueConstraint("user_id", "window_start"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    window_start: datetime
    count: int = Field(default=0)
    # Set when the threshold was first passed in this window: managers are told once.
    warned_at: datetime | None = Field(default=None, index=True)


__all__ = ["GENESIS_HASH", "AccessEvent", "AuditChainHead", "DownloadCounter"]
