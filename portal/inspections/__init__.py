"""Inspections (実地検査): plan, record, follow up the corrective actions."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import HOME_WIDGETS, MENU, TREE_BADGES, Features, MenuItem
from portal.permissions import OFFICERS, READERS, Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the obligation kind, pages, API routes, jobs, tree badges, menu entry and permissions
    of this feature."""
    from portal.inspections import api, badges, home, jobs, obligation, views
    from portal.obligations.setup import register_obligation

    register_obligation(app, obligation.INSPECTION_OBLIGATION)  # due dates, reminders, review

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add_jobs(jobs)
    features.add(TREE_BADGES, badges.inspection_badges)
    for widget in home.WIDGETS:  # the work queue on the start page
        features.add(HOME_WIDGETS, widget)
    features.add(
        MENU, MenuItem("inspections.index", _l("実地検査"), Permission.VIEW_INSPECTIONS, 50)
    )
    features.grant(Permission.VIEW_INSPECTIONS, READERS)  # within scope
    features.grant(Permission.MANAGE_INSPECTIONS, OFFICERS)
    features.grant(Permission.ANSWER_CORRECTIVE_ACTIONS, [Role.VENDOR])  # the inspected vendor
