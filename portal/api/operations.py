"""Personal API tokens: create, revoke, list, and resolve a presented token to its user."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.models import ApiToken, User
from portal.timeutil import utcnow

#: Every token starts with this, so that one pasted by mistake is easy to recognise.
TOKEN_PREFIX = "itk_"  # noqa: S105 - a prefix, not a secret
# Recording every call would turn each read into a write; once a minute says enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token operation refused; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssuedToken:
    """A new token row and its secret, which is shown once and never stored."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    """The stored form of a token: the hex sha256 of its secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def find_user(*, session: Session, email: str) -> User:
    """The user with this e-mail address, or TokenError."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise TokenError(_("利用者 %(email)s は登録されていません。", email=email))
    return user


def create_token(*, session: Session, user: User, label: str = "") -> IssuedToken:
    """Issue a new API token for ``user``; the secret is returned once."""
    if not user.active:
        raise TokenError(_("無効な利用者にはトークンを発行できません。"))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=hash_token(secret), label=label.strip()[:100])
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=secret)


def revoke_token(
    *, session: Session, token_id: int | None = None, secret: str | None = None
) -> ApiToken:
    """Revoke a token given its id or its secret; revoking twice is refused."""
    if token_id is not None:
        token = session.get(ApiToken, token_id)
    elif secret:
        token = session.exec(
            select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
        ).first()
    else:
        token = None
    if token is None:
        raise TokenError(_("指定されたトークンはありません。"))
    if token.revoked_at is not None:
        raise TokenError(_("このトークンは既に失効しています。"))
    token.revoked_at = utcnow()
    session.add(token)
    session.flush()
    return token


def list_tokens(*, session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included."""
    return list(
        session.exec(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        ).all()
    )


def authenticate_token(*, session: Session, secret: str) -> User:
    """The active user a live token belongs to (recording its use), or TokenError."""
    token = None
    if secret and len(secret) <= 200:
        token = session.exec(
            select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
        ).first()
    if token is None or token.revoked_at is not None:
        raise TokenError(_("APIトークンが正しくないか、失効しています。"))
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise TokenError(_("この利用者は無効になっているため、APIを利用できません。"))
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite hands back naive UTC
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or now - last >= _LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.add(token)
        session.flush()
    return user
