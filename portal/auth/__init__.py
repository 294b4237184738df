"""Sign-in: passwords, the second factor (TOTP), server-side sessions."""

from __future__ import annotations

from flask import Flask

from portal.features import MENU_HIDDEN_WHEN, Features
from portal.permissions import ALL_ROLES, Permission


def register(app: Flask, features: Features) -> None:
    """Bind Flask-Login and the sign-in steps; add the sign-in pages and session housekeeping."""
    from portal.auth import jobs, sessions, views

    sessions.init_app(app)
    features.add_blueprint(views.bp)
    features.add_jobs(jobs)
    # Until the second step of a sign-in is done, the menu offers nothing.
    features.add(MENU_HIDDEN_WHEN, sessions.sign_in_incomplete)
    features.grant(Permission.CHANGE_OWN_PASSWORD, ALL_ROLES)
