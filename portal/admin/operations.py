"""Accounts and organisation: users, divisions and departments."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.audit import record
from portal.auth.models import AccountChange, AccountChangeKind
from portal.auth.operations import (
    end_all_sessions,
    normalize_email,
    record_account_change,
    reset_second_factor,
)
from portal.auth.passwords import hash_password
from portal.models import Department, Division, User, Vendor

# Read by other features too, so it lives in the core; the admin views call it from here.
from portal.organisation import departments_by_division as departments_by_division
from portal.permissions import STAFF_ROLES, Role


class AccountError(ValueError):
    """An account change that the rules refuse; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def generate_password(length: int = 20) -> str:
    """A random temporary password (letters and digits, easy to type once)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


@dataclass(frozen=True)
class NewAccount:
    user: User
    temporary_password: str | None


def create_user(
    *,
    session: Session,
    email: str,
    role: Role | str,
    name: str = "",
    password: str | None = None,
    department_id: int | None = None,
    vendor_id: int | None = None,
    actor: User | None = None,
    address: str = "",
) -> NewAccount:
    """Create an account; without ``password`` a temporary one is generated and must be changed.

    The grant of the role is recorded (``actor`` None: the command line or the demo loader).
    """
    role = Role(role)
    email = normalize_email(email)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise AccountError(_("%(email)s は既に登録されています。", email=email))
    if role == Role.VENDOR and vendor_id is None:
        raise AccountError(_("委託先ユーザーには所属する委託先の指定が必要です。"))
    if role != Role.VENDOR and vendor_id is not None:
        raise AccountError(_("委託先を指定できるのは委託先ユーザーだけです。"))
    if role in {Role.MANAGER, Role.STAFF} and department_id is None:
        raise AccountError(_("責任者・担当者には所属課室の指定が必要です。"))
    if department_id is not None and session.get(Department, department_id) is None:
        raise AccountError(_("指定された課室がありません。"))
    if vendor_id is not None and session.get(Vendor, vendor_id) is None:
        raise AccountError(_("指定された委託先がありません。"))
    temporary = None
    if password is None:
        temporary = password = generate_password()
    user = User(
        email=email,
        name=name,
        role=role.value,
        department_id=department_id if role in STAFF_ROLES else None,
        vendor_id=vendor_id,
        password_hash=hash_password(password),
        must_change_password=temporary is not None,
    )
    session.add(user)
    session.flush()
    record(
        "user.create",
        object_type="user",
        object_id=user.id,
        detail={"email": user.email, "role": user.role, "department_id": user.department_id},
        actor=actor,
        session=session,
    )
    record_account_change(
        session=session,
        kind=AccountChangeKind.ROLE_GRANTED,
        user=user,
        actor=actor,
        new_role=role.value,
        address=address,
    )
    return NewAccount(user=user, temporary_password=temporary)


def create_admin(*, session: Session, email: str) -> NewAccount:
    """A system administrator with a random password to change at first sign-in."""
    return create_user(session=session, email=email, role=Role.ADMIN, name="システム管理者")


def update_user(
    *,
    session: Session,
    user: User,
    actor: User,
    role: Role | str,
    name: str,
    department_id: int | None,
    vendor_id: int | None,
    active: bool,
    address: str = "",
) -> User:
    """Change an account's role, department, vendor or state; role and state changes are
    recorded."""
    role = Role(role)
    if user.id == actor.id and (role != Role.ADMIN or not active):
        raise AccountError(
            _("自分自身の管理者権限を外したり、自分のアカウントを停止したりすることはできません。")
        )
    leaves_admins = user.role == Role.ADMIN and user.active and (role != Role.ADMIN or not active)
    if leaves_admins and other_active_admins(session=session, user=user) == 0:
        raise AccountError(
            _(
                "最後の有効な管理者です。管理者権限を外したり停止したりする前に、別の管理者を置いてください。"
            )
        )
    if role == Role.VENDOR and vendor_id is None:
        raise AccountError(_("委託先ユーザーには所属する委託先の指定が必要です。"))
    if role in {Role.MANAGER, Role.STAFF} and department_id is None:
        raise AccountError(_("責任者・担当者には所属課室の指定が必要です。"))
    changed_access = user.role != role.value or user.active != active or user.vendor_id != vendor_id
    before = {
        "role": user.role,
        "department_id": user.department_id,
        "vendor_id": user.vendor_id,
        "active": user.active,
    }
    old_role, was_active = user.role, user.active
    user.role = role.value
    user.name = name
    user.department_id = department_id if role in STAFF_ROLES else None
    user.vendor_id = vendor_id if role == Role.VENDOR else None
    user.active = active
    session.add(user)
    if changed_access:
        # A changed role or a stopped account takes effect now, not at the next sign-in.
        end_all_sessions(session=session, user=user, reason="access_changed")
    session.flush()
    after = {
        "role": user.role,
        "department_id": user.department_id,
        "vendor_id": user.vendor_id,
        "active": user.active,
    }
    changes = {
        f"{key}_{edge}": value
        for key in before
        if before[key] != after[key]
        for edge, value in (("from", before[key]), ("to", after[key]))
    }
    record(
        "user.update",
        object_type="user",
        object_id=user.id,
        detail=changes,
        actor=actor,
        session=session,
    )
    if old_role != role.value:
        record_account_change(
            session=session,
            kind=AccountChangeKind.ROLE_GRANTED,
            user=user,
            actor=actor,
            old_role=old_role,
            new_role=role.value,
            address=address,
        )
    if was_active != active:
        record_account_change(
            session=session,
            kind=AccountChangeKind.ACTIVATED if active else AccountChangeKind.DEACTIVATED,
            user=user,
            actor=actor,
            old_role=old_role,
            new_role=role.value,
            address=address,
        )
    return user


def grants_access(*, user: User, role: Role | str, active: bool) -> bool:
    """Whether saving ``role``/``active`` on ``user`` would grant something (a new role, or an
    account switched back on): such changes need a fresh sign-in of the administrator."""
    return Role(role).value != user.role or (active and not user.active)


def other_active_admins(*, session: Session, user: User) -> int:
    """How many active administrators there are besides ``user``.

    The rows are locked (on PostgreSQL) so that two administrators demoting each other at
    the same moment cannot both pass the last-admin check.
    """
    rows = session.exec(
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.active, User.id != user.id)
        .with_for_update()
    ).all()
    return len(rows)


def reset_totp(*, session: Session, user: User, actor: User | None, address: str = "") -> None:
    """Remove ``user``'s second factor (lost phone); recorded, and every session of theirs ends.

    ``actor`` None is the command line (e.g. the only administrator lost the phone).
    """
    if actor is not None and user.id == actor.id:
        raise AccountError(
            _("自分自身の二要素認証は再設定できません。別の管理者に依頼してください。")
        )
    reset_second_factor(session=session, user=user)
    record(
        "user.reset_totp",
        object_type="user",
        object_id=user.id,
        actor=actor,
        session=session,
    )
    record_account_change(
        session=session,
        kind=AccountChangeKind.TOTP_RESET,
        user=user,
        actor=actor,
        old_role=user.role,
        new_role=user.role,
        address=address,
    )


def account_changes(*, session: Session, user: User, limit: int = 50) -> list[AccountChange]:
    """The latest recorded changes to ``user``'s account, newest first."""
    return list(
        session.exec(
            select(AccountChange)
            .where(AccountChange.user_id == user.id)
            .order_by(AccountChange.created_at.desc(), AccountChange.id.desc())
            .limit(limit)
        ).all()
    )


def reset_password(*, session: Session, user: User) -> str:
    """Give ``user`` a new temporary password (ends every session); returns it once."""
    temporary = generate_password()
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    session.add(user)
    end_all_sessions(session=session, user=user, reason="password_reset")
    record("user.reset_password", object_type="user", object_id=user.id, session=session)
    return temporary


def list_users(*, session: Session) -> list[User]:
    """Every account, by role then e-mail."""
    return list(session.exec(select(User).order_by(User.role, User.email)).all())


def create_division(*, session: Session, name: str, sort_order: int = 0) -> Division:
    """Add a 部."""
    name = name.strip()
    if session.exec(select(Division).where(Division.name == name)).first():
        raise AccountError(_("部「%(name)s」は既にあります。", name=name))
    division = Division(name=name, sort_order=sort_order)
    session.add(division)
    session.flush()
    return division


def create_department(
    *, session: Session, division_id: int, name: str, sort_order: int = 0
) -> Department:
    """Add a 課室 under a 部."""
    name = name.strip()
    if session.get(Division, division_id) is None:
        raise AccountError(_("指定された部がありません。"))
    exists = session.exec(
        select(Department).where(Department.division_id == division_id, Department.name == name)
    ).first()
    if exists:
        raise AccountError(_("課室「%(name)s」は既にあります。", name=name))
    department = Department(division_id=division_id, name=name, sort_order=sort_order)
    session.add(department)
    session.flush()
    return department
