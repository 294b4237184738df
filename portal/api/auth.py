"""Bearer-token authentication for the API: the token decorator every API view wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_babel import gettext as _

from portal.api.operations import TokenError, authenticate_token
from portal.db import db
from portal.errors import render_error
from portal.models import User
from portal.permissions import Permission

F = TypeVar("F", bound=Callable[..., Any])


def _unauthorized(message: str) -> Any:
    body, status = render_error(401, message)  # type: ignore[misc]
    body.headers["WWW-Authenticate"] = 'Bearer realm="itaku-portal"'
    return body, status


def api_user() -> User:
    """The user the current API request authenticated as."""
    return g.api_user


def token_required(permission: Permission) -> Callable[[F], F]:
    """Declare the permission an API view needs: 401 without a live token, 403 when lacking."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                return _unauthorized(_("APIトークンが必要です（Authorization: Bearer ヘッダー）。"))
            try:
                user = authenticate_token(session=db.session, secret=secret.strip())
            except TokenError as error:
                return _unauthorized(error.message)
            # Recording last_used_at must stick even when the view answers 404.
            db.session.commit()
            g.api_user = user  # set first, so that a denial is recorded against the user
            if not user.can(permission):
                return render_error(403)
            return view(*args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
