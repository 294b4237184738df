"""Selecting a capable contractor and the minimum scope (the outsourcing article's 第1項 and
第2項): the vendors' certifications, the selection checklist, the items entrusted per tier."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import (
    DECISION_CHECKS,
    MENU,
    REGISTRATION_SECTIONS,
    TREE_BADGES,
    Features,
    MenuItem,
)
from portal.permissions import Permission


def register(app: Flask, features: Features) -> None:
    """Add the pages, API routes, reminder job, tree badges, ledger sheets, decision check and
    the checklist inside the registration forms."""
    from portal.ledger.sheets import LEDGER_SHEETS
    from portal.selection import api, badges, jobs, ledger, operations, sections, views

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add_jobs(jobs)
    features.add(TREE_BADGES, badges.selection_badges)
    features.add(DECISION_CHECKS, operations.check_decision)
    # The checklist is answered when an outsourcing is registered or a subcontract requested.
    features.add(REGISTRATION_SECTIONS, sections.SECTION)
    features.add(LEDGER_SHEETS, ledger.CERTIFICATIONS_SHEET)
    features.add(LEDGER_SHEETS, ledger.SCOPE_SHEET)
    features.add(
        MENU, MenuItem("selection.index", _l("委託先の認証"), Permission.VIEW_OUTSOURCINGS, 45)
    )
