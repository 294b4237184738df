"""The start page, the language switch and the health check."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, Features, MenuItem
from portal.permissions import ALL_ROLES, Permission


def register(app: Flask, features: Features) -> None:
    """Add the start page."""
    from portal.main import views

    features.add_blueprint(views.bp)
    features.add(MENU, MenuItem("main.dashboard", _l("トップ"), Permission.VIEW_DASHBOARD, 10))
    features.grant(Permission.VIEW_DASHBOARD, ALL_ROLES)
