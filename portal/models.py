"""The core's database tables (SQLModel). Table classes are singular, tables plural.

Features keep their tables beside their code (``portal/<feature>/models.py``); this module
imports none of them (Alembic loads them through ``portal.features.feature_models``)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.permissions import Permission, Role, has_permission
from portal.timeutil import utcnow


class Division(SQLModel, table=True):
    """部: a group of departments."""

    __tablename__ = "divisions"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    sort_order: int = Field(default=0)


class Department(SQLModel, table=True):
    """課室等: the unit that owns outsourcings and whose manager answers for them."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("division_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    division_id: int = Field(foreign_key="divisions.id", index=True)
    name: str = Field(max_length=100)
    sort_order: int = Field(default=0)


class Vendor(SQLModel, table=True):
    """委託先: a contractor at any tier, identified by its 法人番号."""

    __tablename__ = "vendors"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    corporate_number: str = Field(max_length=13, unique=True)
    address: str = Field(default="", max_length=300)
    contact: str = Field(default="", max_length=300)
    # The parent company, so that a subsidiary (子会社) is recognised as such.
    parent_vendor_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("vendors.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    """Somebody who signs in: municipal staff in a department, or a vendor's user."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(default="", max_length=100)
    role: str = Field(max_length=16, index=True)
    department_id: int | None = Field(default=None, foreign_key="departments.id", index=True)
    vendor_id: int | None = Field(default=None, foreign_key="vendors.id", index=True)
    password_hash: str = Field(max_length=255)
    must_change_password: bool = Field(default=False)
    active: bool = Field(default=True)
    locale: str | None = Field(default=None, max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = Field(default=None)
    # Second factor (TOTP, RFC 6238). The secret is sealed with AES-GCM (portal/auth/totp.py);
    # it is set but not yet enabled while the user is enrolling. The last accepted time-step
    # is kept so that a code cannot be used twice.
    totp_secret: str | None = Field(default=None, max_length=255)
    totp_enabled_at: datetime | None = Field(default=None)
    totp_last_step: int | None = Field(default=None)

    # Flask-Login interface. The id Flask-Login keeps in the cookie is the server-side
    # session token (set by the sign-in), so that revoking the row ends the session.
    _session_token: str | None = None
    # The UserSession row of that token (what the session has proved: second factor, when).
    _session_row: Any = None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return getattr(self, "_session_token", None)

    def can(self, permission: Permission) -> bool:
        """Whether this user's role grants ``permission``."""
        return self.active and has_permission(self.role, permission)

    @property
    def is_vendor(self) -> bool:
        return self.role == Role.VENDOR

    @property
    def totp_enabled(self) -> bool:
        """Whether the user signs in with a second factor."""
        return self.totp_enabled_at is not None and self.totp_secret is not None


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; this row holds its hash."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = Field(default=None, index=True)
    end_reason: str | None = Field(default=None, max_length=32)
    address: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)
    # When this browser last proved the user's identity in full (password, and the second
    # factor when enrolled): the sign-in, or a re-authentication before a sensitive change.
    authenticated_at: datetime | None = Field(default=None)
    # When the second factor was verified in this session (None: not, or not enrolled).
    second_factor_at: datetime | None = Field(default=None)


class OutsourcingStatus(StrEnum):
    """requested → approved or rejected → active → ended."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    ENDED = "ended"


class Outsourcing(SQLModel, table=True):
    """委託: one node of the chain. A root is contracted by the municipality itself; a child
    is a subcontract (再委託, 再々委託, …) of its parent, at any depth."""

    __tablename__ = "outsourcings"

    id: int | None = Field(default=None, primary_key=True)
    task_name: str = Field(max_length=200)
    # The department that owns the root; every node below carries the root's department so
    # that scope queries need no walk up the tree.
    department_id: int = Field(foreign_key="departments.id", index=True)
    vendor_id: int = Field(foreign_key="vendors.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="outsourcings.id", index=True)
    root_id: int | None = Field(default=None, foreign_key="outsourcings.id", index=True)
    # Materialised path of ids, e.g. "/12/40/41/": the subtree is a prefix match and the tier
    # is the number of ids.
    path: str = Field(default="", max_length=2000, index=True)
    start_date: date
    end_date: date
    status: str = Field(default=OutsourcingStatus.REQUESTED, max_length=16, index=True)
    # The personal information entrusted (第2項: the minimum the task needs).
    pi_categories: str = Field(default="", max_length=500)
    special_care: bool = Field(default=False)
    persons: int = Field(default=0)
    scope_note: str = Field(default="", max_length=2000)
    # What a subcontracting request states.
    reason: str = Field(default="", max_length=2000)
    responsible_persons: str = Field(default="", max_length=500)
    protection_measures: str = Field(default="", max_length=2000)
    oversight_method: str = Field(default="", max_length=2000)
    declared_subsidiary: bool = Field(default=False)
    requested_by_id: int | None = Field(default=None, foreign_key="users.id")
    requested_at: datetime | None = Field(default=None)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None)
    decision_comment: str = Field(default="", max_length=2000)
    # A subcontract recorded without prior approval (e.g. found at an inspection or imported).
    entered_without_approval: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def tier(self) -> int:
        """1 for a contract with the municipality, 2 for a subcontract, 3 for the next …"""
        return max(self.path.count("/") - 1, 1)

    @property
    def is_root(self) -> bool:
        return self.parent_id is None


class ApiToken(SQLModel, table=True):
    """A personal token for the read API (``Authorization: Bearer …``); only its hash is kept."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    token_hash: str = Field(max_length=64, unique=True)
    label: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)
