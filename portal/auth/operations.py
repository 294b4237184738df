"""Sign-in, sessions and passwords: state changes that views, CLI and jobs share."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.models import User, UserSession
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


def start_session(*, session: Session, user: User, address: str = "", user_agent: str = "") -> str:
    """Open a server-side session for ``user``; returns the token the cookie will carry."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            token_hash=_hash_token(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            address=address[:64],
            user_agent=user_agent[:300],
        )
    )
    user.last_login_at = now
    session.add(user)
    session.flush()
    user._session_token = token
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


def change_password(*, session: Session, user: User, new_password: str) -> str:
    """Set a new password, end all the user's sessions, open a fresh one; returns its token."""
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    session.add(user)
    end_all_sessions(session=session, user=user, reason="password_changed")
    return start_session(session=session, user=user)


def purge_ended_sessions(*, session: Session, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete session rows that ended (or went idle) long ago; returns how many."""
    cutoff = utcnow() - older_than
    rows = session.exec(select(UserSession).where(UserSession.last_seen_at < cutoff)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)
