"""Account tables: one-time recovery codes and the record of changes to accounts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class RecoveryCode(SQLModel, table=True):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    code_hash: str = Field(max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = Field(default=None)


class AccountChangeKind(StrEnum):
    """What an ``AccountChange`` row records."""

    ROLE_GRANTED = "role_granted"  # an account created with a role, or its role changed
    ACTIVATED = "activated"
    DEACTIVATED = "deactivated"
    TOTP_ENROLLED = "totp_enrolled"
    TOTP_RESET = "totp_reset"


class AccountChange(SQLModel, table=True):
    """Who changed whose access, from what to what, when and from where.

    Rows are only ever added: they are the durable record of role grants that the regulation's
    access controls call for. ``actor_id`` is None for the command line (e.g. the first admin).
    """

    __tablename__ = "account_changes"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24, index=True)
    # No cascade: the record outlives a deleted account (accounts are deactivated, not deleted).
    user_id: int = Field(foreign_key="users.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    old_role: str | None = Field(default=None, max_length=16)
    new_role: str | None = Field(default=None, max_length=16)
    address: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, index=True)


__all__ = ["AccountChange", "AccountChangeKind", "RecoveryCode"]
