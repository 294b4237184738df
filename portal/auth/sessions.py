"""Flask-Login wiring: the cookie carries a session token that the server can revoke."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, redirect, request, url_for
from flask_login import current_user

from portal.auth import totp
from portal.auth.operations import SessionLimits, resume_session, second_factor_required
from portal.db import db
from portal.extensions import login_manager
from portal.models import User, UserSession


def session_limits() -> SessionLimits:
    """Idle and absolute session lifetimes from the configuration."""
    return SessionLimits(
        idle=timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]),
    )


def init_app(app: Flask) -> None:
    """Bind Flask-Login and the keys that seal TOTP secrets."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    app.extensions["portal.totp_keys"] = totp.KeyRing.from_config(
        totp_keys=app.config.get("TOTP_KEY", ""), secret_key=app.config["SECRET_KEY"]
    )

    @login_manager.user_loader
    def _load_user(token: str) -> User | None:
        user = resume_session(session=db.session, token=token, limits=session_limits())
        # Touching last_seen_at (or ending a timed-out session) must stick even on GET.
        db.session.commit()
        return user

    app.before_request(enforce_sign_in_steps)


def totp_keys() -> totp.KeyRing:
    """The current app's keys for TOTP secrets."""
    return current_app.extensions["portal.totp_keys"]


def totp_required_by_profile() -> bool:
    """``PORTAL_TOTP_REQUIRED`` when set, else the profile's ``[security] totp_required``."""
    override = current_app.config.get("TOTP_REQUIRED")
    if override is not None:
        return bool(override)
    return bool(current_app.extensions["portal.profile"].security.get("totp_required", False))


def must_enrol(user: User) -> bool:
    """Whether ``user`` has to set up the second factor before using the portal."""
    return not user.totp_enabled and second_factor_required(
        user, required_by_profile=totp_required_by_profile()
    )


def current_session_row() -> UserSession | None:
    """The server-side row of the signed-in browser's session."""
    if not current_user.is_authenticated:
        return None
    return getattr(current_user._get_current_object(), "_session_row", None)


def awaiting_second_factor() -> bool:
    """Whether the signed-in user gave the password but not yet the second factor."""
    row = current_session_row()
    return bool(current_user.is_authenticated and current_user.totp_enabled) and (
        row is None or row.second_factor_at is None
    )


def sign_in_incomplete() -> bool:
    """Whether the signed-in user still has a step of the sign-in to do (menus stay hidden)."""
    if not current_user.is_authenticated:
        return False
    return (
        awaiting_second_factor()
        or bool(current_user.must_change_password)
        or must_enrol(current_user._get_current_object())
    )


# Endpoints reachable at every step of a sign-in that is not complete yet.
_ALWAYS = {"auth.logout", "static", "main.set_locale", "main.healthz"}
_ALLOWED_BEFORE_SECOND_FACTOR = _ALWAYS | {"auth.second_factor"}
_ALLOWED_BEFORE_PASSWORD_CHANGE = _ALWAYS | {"auth.password"}
_ALLOWED_BEFORE_ENROLMENT = _ALWAYS | {"auth.totp_enrol"}


def _next_here() -> str | None:
    if request.method != "GET":
        return None
    return request.full_path.rstrip("?")


def enforce_sign_in_steps() -> object | None:
    """Hold a signed-in user at the step of the sign-in that is not complete yet.

    In order: the second factor (an enrolled user who gave only the password), a temporary
    password to replace, then enrolment where the second factor is required. Every other page
    waits, so a feature cannot forget the check.
    """
    if not current_user.is_authenticated or request.endpoint in _ALWAYS:
        return None
    endpoint = request.endpoint
    if awaiting_second_factor():
        if endpoint not in _ALLOWED_BEFORE_SECOND_FACTOR:
            return redirect(url_for("auth.second_factor", next=_next_here()))
        return None
    if current_user.must_change_password:
        if endpoint not in _ALLOWED_BEFORE_PASSWORD_CHANGE:
            return redirect(url_for("auth.password"))
        return None
    if must_enrol(current_user) and endpoint not in _ALLOWED_BEFORE_ENROLMENT:
        return redirect(url_for("auth.totp_enrol"))
    return None
