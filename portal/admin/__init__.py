"""Administration: accounts, departments, the regulation profile in force."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, Features, MenuItem
from portal.permissions import Permission, Role


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
    # Admin rights are the minimum the job needs: accounts, organisation and the profile. No
    # outsourcings, inspections, contracts or API (those features grant the administrator
    # nothing): the personal information entrusted to contractors is none of its business.
    features.grant(Permission.MANAGE_USERS, [Role.ADMIN])
    features.grant(Permission.MANAGE_DEPARTMENTS, [Role.ADMIN])
    features.grant(Permission.VIEW_PROFILE_SETTINGS, [Role.ADMIN, Role.CHIEF, Role.AUDITOR])
