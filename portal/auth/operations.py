"""Sign-in, sessions and passwords: state changes that views, CLI and jobs share."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import Session, select

from portal.auth import totp
from portal.auth.models import AccountChange, AccountChangeKind, RecoveryCode
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.models import User, UserSession
from portal.permissions import TOTP_REQUIRED_ROLES, Role
from portal.timeutil import utcnow

# last_seen_at is written at most this often, so a busy page does not write on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return (email or "").strip().lower()


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same cost either way)."""
    user = session.exec(select(User).where(User.email == normalize_email(email))).first()
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
        session.flush()
    return user


def start_session(
    *,
    session: Session,
    user: User,
    address: str = "",
    user_agent: str = "",
    carry_from: UserSession | None = None,
) -> str:
    """Open a server-side session for ``user``; returns the token the cookie will carry.

    After the password alone the session is fully authenticated only for a user without a
    second factor; an enrolled user's session waits for ``verify_second_factor``. A session
    that replaces another (``carry_from``, e.g. after a password change) keeps its proofs.
    """
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(
        token_hash=_hash_token(token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        address=address[:64],
        user_agent=user_agent[:300],
        authenticated_at=None if user.totp_enabled else now,
    )
    if carry_from is not None:
        row.authenticated_at = carry_from.authenticated_at
        row.second_factor_at = carry_from.second_factor_at
        row.address, row.user_agent = carry_from.address, carry_from.user_agent
    session.add(row)
    user.last_login_at = now
    session.add(user)
    session.flush()
    user._session_token = token
    user._session_row = row
    return token


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta


def resume_session(*, session: Session, token: str, limits: SessionLimits) -> User | None:
    """The user of a live session token; ends the session if it has timed out."""
    if not token:
        return None
    row = session.exec(
        select(UserSession).where(UserSession.token_hash == _hash_token(token))
    ).first()
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > limits.idle:
        _end(row, now, "idle_timeout")
        session.add(row)
        _record_expiry(session, row)
        return None
    if now - row.created_at > limits.absolute:
        _end(row, now, "absolute_timeout")
        session.add(row)
        _record_expiry(session, row)
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
        session.add(row)
    user._session_token = token
    user._session_row = row
    return user


def _record_expiry(session: Session, row: UserSession) -> None:
    from portal.audit import record

    record(
        "auth.session_expired",
        object_type="user",
        object_id=row.user_id,
        detail={"reason": row.end_reason},
        actor=session.get(User, row.user_id),
        session=session,
    )


def _end(row: UserSession, now: datetime, reason: str) -> None:
    row.ended_at = now
    row.end_reason = reason


def end_session(*, session: Session, token: str, reason: str = "sign_out") -> None:
    """End one session on the server, so its cookie is refused if replayed."""
    row = session.exec(
        select(UserSession).where(UserSession.token_hash == _hash_token(token))
    ).first()
    if row is not None and row.ended_at is None:
        _end(row, utcnow(), reason)
        session.add(row)
        session.flush()


def end_all_sessions(
    *, session: Session, user: User, reason: str, keep_token: str | None = None
) -> int:
    """End every live session of ``user`` (but ``keep_token``'s); returns how many ended."""
    keep = _hash_token(keep_token) if keep_token else None
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    now = utcnow()
    ended = 0
    for row in rows:
        if row.token_hash != keep:
            _end(row, now, reason)
            session.add(row)
            ended += 1
    session.flush()
    return ended


def change_password(
    *, session: Session, user: User, new_password: str, current: UserSession | None = None
) -> str:
    """Set a new password, end all the user's sessions, open a fresh one; returns its token.

    The fresh session keeps what ``current`` (the session the change was made in) had proved.
    """
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    session.add(user)
    end_all_sessions(session=session, user=user, reason="password_changed")
    return start_session(session=session, user=user, carry_from=current)


def purge_ended_sessions(*, session: Session, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete session rows that ended (or went idle) long ago; returns how many."""
    cutoff = utcnow() - older_than
    rows = session.exec(select(UserSession).where(UserSession.last_seen_at < cutoff)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


# --- second factor ----------------------------------------------------------------------


def second_factor_required(user: User, *, required_by_profile: bool) -> bool:
    """Whether ``user`` must sign in with a second factor (see ``TOTP_REQUIRED_ROLES``)."""
    try:
        role = Role(user.role)
    except ValueError:
        return False
    return required_by_profile and role in TOTP_REQUIRED_ROLES


def record_account_change(
    *,
    session: Session,
    kind: AccountChangeKind,
    user: User,
    actor: User | None,
    old_role: str | None = None,
    new_role: str | None = None,
    address: str = "",
) -> AccountChange:
    """Add a row to the durable record of changes to accounts."""
    change = AccountChange(
        kind=kind.value,
        user_id=user.id,
        actor_id=actor.id if actor is not None else None,
        old_role=old_role,
        new_role=new_role,
        address=address[:64],
    )
    session.add(change)
    session.flush()
    return change


def pending_totp_secret(*, session: Session, user: User, keys: totp.KeyRing) -> str:
    """The secret the user is enrolling with, made (and sealed) on first use."""
    if user.totp_enabled:
        raise ValueError("the user has already enrolled")
    if user.totp_secret:
        try:
            return keys.open(user.totp_secret, user_id=user.id)
        except totp.TotpKeyError:
            pass  # sealed with a key no longer configured: start over with a new secret
    secret = totp.new_secret()
    user.totp_secret = keys.seal(secret, user_id=user.id)
    session.add(user)
    session.flush()
    return secret


def _mark_verified(row: UserSession | None, now: datetime) -> None:
    if row is not None:
        row.second_factor_at = now
        row.authenticated_at = now


def complete_totp_enrolment(
    *,
    session: Session,
    user: User,
    keys: totp.KeyRing,
    code: str,
    current: UserSession | None,
    address: str = "",
) -> list[str] | None:
    """Enable the second factor if ``code`` matches the pending secret.

    Returns the new recovery codes (to be shown once), or None when the code is wrong.
    """
    if user.totp_enabled or not user.totp_secret:
        return None
    secret = keys.open(user.totp_secret, user_id=user.id)
    now = utcnow()
    step = totp.matching_step(secret, code, at=now, after_step=user.totp_last_step)
    if step is None:
        return None
    user.totp_enabled_at = now
    user.totp_last_step = step
    session.add(user)
    codes = replace_recovery_codes(session=session, user=user)
    _mark_verified(current, now)
    if current is not None:
        session.add(current)
    record_account_change(
        session=session,
        kind=AccountChangeKind.TOTP_ENROLLED,
        user=user,
        actor=user,
        address=address,
    )
    return codes


def replace_recovery_codes(*, session: Session, user: User) -> list[str]:
    """New one-time recovery codes for ``user`` (the old ones stop working); returns them."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=totp.hash_recovery_code(code)))
    session.flush()
    return codes


def remaining_recovery_codes(*, session: Session, user: User) -> int:
    """How many of the user's recovery codes are still unused."""
    rows = session.exec(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    return len(rows)


def check_second_factor(*, session: Session, user: User, keys: totp.KeyRing, code: str) -> bool:
    """Whether ``code`` (a TOTP code or an unused recovery code) proves the second factor.

    The code is spent: a TOTP time-step and a recovery code are each accepted once, even by
    two requests racing (the spending is a conditional UPDATE).
    """
    if not user.totp_enabled:
        return False
    now = utcnow()
    if totp.looks_like_recovery_code(code):
        spent = session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == totp.hash_recovery_code(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now)
        )
        return spent.rowcount == 1
    try:
        secret = keys.open(user.totp_secret or "", user_id=user.id)
    except totp.TotpKeyError:
        return False
    step = totp.matching_step(secret, code, at=now, after_step=user.totp_last_step)
    if step is None:
        return False
    spent = session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    if spent.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def verify_second_factor(
    *, session: Session, user: User, keys: totp.KeyRing, code: str, current: UserSession
) -> bool:
    """Complete a sign-in with the second factor; marks the session verified."""
    if not check_second_factor(session=session, user=user, keys=keys, code=code):
        return False
    _mark_verified(current, utcnow())
    session.add(current)
    session.flush()
    return True


def reauthenticate(
    *,
    session: Session,
    user: User,
    keys: totp.KeyRing,
    password: str,
    code: str,
    current: UserSession,
) -> bool:
    """Prove again, in this session, the password and (when enrolled) the second factor."""
    if not verify_password(user.password_hash, password):
        return False
    if user.totp_enabled and not check_second_factor(
        session=session, user=user, keys=keys, code=code
    ):
        return False
    now = utcnow()
    current.authenticated_at = now
    if user.totp_enabled:
        current.second_factor_at = now
    session.add(current)
    session.flush()
    return True


def recently_authenticated(current: UserSession | None, *, within: timedelta) -> bool:
    """Whether the session proved the user's identity in full within ``within``."""
    if current is None or current.authenticated_at is None:
        return False
    return utcnow() - current.authenticated_at <= within


def reset_second_factor(*, session: Session, user: User) -> None:
    """Remove the user's second factor and recovery codes (they enrol again at next sign-in)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.add(user)
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(session=session, user=user, reason="totp_reset")


def reseal_totp_secrets(*, session: Session, keys: totp.KeyRing) -> tuple[int, int]:
    """Seal every TOTP secret again with the current key (after a key rotation).

    Returns (resealed, unreadable): secrets no configured key opens are left as they are;
    those users need a reset of their second factor.
    """
    resealed = unreadable = 0
    for user in session.exec(select(User).where(User.totp_secret.is_not(None))).all():
        if not keys.needs_reseal(user.totp_secret):
            continue
        try:
            secret = keys.open(user.totp_secret, user_id=user.id)
        except totp.TotpKeyError:
            unreadable += 1
            continue
        user.totp_secret = keys.seal(secret, user_id=user.id)
        session.add(user)
        resealed += 1
    session.flush()
    return resealed, unreadable
