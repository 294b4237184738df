"""Contract review: upload a contract, check its clauses in the worker, confirm or override."""

from __future__ import annotations

from flask import Flask

from portal.features import HOME_WIDGETS, TREE_BADGES, Features
from portal.permissions import OFFICERS, Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the pages, API routes, jobs, tree badges and permissions of this feature."""
    from portal.reviews import api, badges, home, jobs, views

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add_jobs(jobs)
    features.add(TREE_BADGES, badges.contract_badges)
    for widget in home.WIDGETS:  # the work queue on the start page
        features.add(HOME_WIDGETS, widget)
    # Officers upload contracts; vendors upload the subcontracts they signed.
    features.grant(Permission.UPLOAD_CONTRACTS, OFFICERS | {Role.VENDOR})
    features.grant(Permission.REVIEW_CONTRACTS, OFFICERS)
