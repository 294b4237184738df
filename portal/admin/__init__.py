"""Administration: accounts, departments, the regulation profile in force."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, Features, MenuItem
from portal.permissions import Permission


def register(app: Flask, features: Features) -> None:
    """Add the administration pages and ``portal users``."""
    from portal.admin import cli, views

    features.add_blueprint(views.bp)
    features.add_commands(cli.users_group)
    features.add(MENU, MenuItem("admin.users", _l("利用者管理"), Permission.MANAGE_USERS, 90))
    features.add(
        MENU, MenuItem("admin.departments", _l("部・課室"), Permission.MANAGE_DEPARTMENTS, 100)
    )
    features.add(
        MENU,
        MenuItem("admin.profile", _l("規程プロファイル"), Permission.VIEW_PROFILE_SETTINGS, 110),
    )
