"""Flask-Login wiring: the cookie carries a session token that the server can revoke."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app

from portal.auth.operations import SessionLimits, resume_session
from portal.db import db
from portal.extensions import login_manager
from portal.models import User


def session_limits() -> SessionLimits:
    """Idle and absolute session lifetimes from the configuration."""
    return SessionLimits(
        idle=timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]),
    )


def init_app(app: Flask) -> None:
    """Bind Flask-Login."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(token: str) -> User | None:
        user = resume_session(session=db.session, token=token, limits=session_limits())
        # Touching last_seen_at (or ending a timed-out session) must stick even on GET.
        db.session.commit()
        return user

    app.before_request(enforce_password_change)


# Endpoints a user who must change the password may still reach.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {
    "auth.password",
    "auth.logout",
    "static",
    "main.set_locale",
    "main.healthz",
}


def enforce_password_change() -> object | None:
    """Send a user with a temporary password to the password page before anything else."""
    from flask import redirect, request, url_for
    from flask_login import current_user

    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _ALLOWED_BEFORE_PASSWORD_CHANGE
    ):
        return redirect(url_for("auth.password"))
    return None
