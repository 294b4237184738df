"""Periodic reports (定期報告): the vendors report, the officers accept or return."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import HOME_WIDGETS, MENU, TREE_BADGES, Features, MenuItem
from portal.permissions import OFFICERS, READERS, Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the obligation kind, pages, API routes, jobs, tree badges, menu entry and permissions
    of this feature."""
    from portal.obligations.setup import register_obligation
    from portal.reports import api, badges, home, jobs, obligation, views

    register_obligation(app, obligation.REPORT_OBLIGATION)  # due dates, reminders, review

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add_jobs(jobs)
    features.add(TREE_BADGES, badges.report_badges)
    for widget in home.WIDGETS:  # the work queue on the start page
        features.add(HOME_WIDGETS, widget)
    features.add(MENU, MenuItem("reports.index", _l("定期報告"), Permission.VIEW_REPORTS, 60))
    features.grant(Permission.VIEW_REPORTS, READERS)  # vendors: the nodes they hold
    features.grant(Permission.MANAGE_REPORTS, OFFICERS)
    features.grant(Permission.SUBMIT_REPORTS, [Role.VENDOR])
