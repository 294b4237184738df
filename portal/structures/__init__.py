"""Management structures (責任者及び業務従事者の管理体制): the vendor submits, the officers
confirm or return, a change after confirmation is a new version."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, TREE_BADGES, Features, MenuItem
from portal.permissions import Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the obligation kind, pages, API route, ledger sheet, jobs, tree badges, menu entry
    and permission of this feature."""
    from portal.ledger.sheets import LEDGER_SHEETS
    from portal.obligations.setup import register_obligation
    from portal.structures import api, badges, jobs, ledger, obligation, views

    register_obligation(app, obligation.STRUCTURE_OBLIGATION)  # due dates, reminders, review

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add_jobs(jobs)
    features.add(TREE_BADGES, badges.structure_badges)
    features.add(LEDGER_SHEETS, ledger.SHEET)
    features.add(
        MENU, MenuItem("structures.index", _l("管理体制"), Permission.VIEW_OUTSOURCINGS, 62)
    )
    # Reading needs VIEW_OUTSOURCINGS (the chain's), confirming MANAGE_OUTSOURCINGS.
    features.grant(Permission.SUBMIT_STRUCTURES, [Role.VENDOR])
