"""Database tables (SQLModel). Table classes are singular, tables plural."""

from __future__ import annotations

from datetime import datetime

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

    # Flask-Login interface. The id Flask-Login keeps in the cookie is the server-side
    # session token (set by the sign-in), so that revoking the row ends the session.
    _session_token: str | None = None

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
