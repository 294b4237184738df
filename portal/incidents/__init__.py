"""Incidents (漏えい等の事案): reports, the escalation chain, the Commission's deadlines."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, TREE_BADGES, Features, MenuItem
from portal.permissions import Permission


def register(app: Flask, features: Features) -> None:
    """Add the pages, API routes, jobs and tree badges of this feature."""
    from portal.incidents import api, badges, jobs, views

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add_jobs(jobs)
    features.add(TREE_BADGES, badges.incident_badges)
    features.add(
        MENU, MenuItem("incidents.index", _l("漏えい等の事案"), Permission.VIEW_INCIDENTS, 70)
    )
