"""Incidents (漏えい等の事案): reports, the escalation chain, the Commission's deadlines."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import HOME_WIDGETS, MENU, TREE_BADGES, Features, MenuItem
from portal.permissions import OFFICERS, READERS, Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the pages, API routes, jobs, tree badges, menu entry and permissions of this feature."""
    from portal.incidents import api, badges, home, jobs, views

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add_jobs(jobs)
    features.add(TREE_BADGES, badges.incident_badges)
    for widget in home.WIDGETS:  # the work queue on the start page
        features.add(HOME_WIDGETS, widget)
    features.add(
        MENU, MenuItem("incidents.index", _l("漏えい等の事案"), Permission.VIEW_INCIDENTS, 70)
    )
    features.grant(Permission.VIEW_INCIDENTS, READERS)  # within scope
    features.grant(Permission.REPORT_INCIDENTS, OFFICERS | {Role.VENDOR})
    features.grant(Permission.MANAGE_INCIDENTS, OFFICERS)
    # The manager (取扱責任者/保護管理者) is the first step of the chain; the chief escalates
    # to 最高情報セキュリティ責任者 and 市長.
    features.grant(Permission.ESCALATE_INCIDENTS, [Role.MANAGER, Role.CHIEF])
    features.grant(Permission.VIEW_SHARED_MEASURES, OFFICERS | {Role.CHIEF, Role.AUDITOR})
