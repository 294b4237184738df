"""Provision to other bodies (保有個人情報の提供) and the pseudonymisation decision of each
provision and outsourcing (仮名化等の措置)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, NODE_SECTIONS, Features, MenuItem
from portal.permissions import OFFICERS, Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the register's improvement obligation (its reminders), pages, API route, ledger
    sheets and detail block."""
    from portal.ledger.sheets import LEDGER_SHEETS
    from portal.obligations.setup import register_obligation
    from portal.provisions import api, documents, ledger, obligation, sections, views
    from portal.reviews.shared import DOCUMENT_OWNERS

    register_obligation(app, obligation.IMPROVEMENT_OBLIGATION)  # reminders 30/7/1 and late
    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add(LEDGER_SHEETS, ledger.PROVISIONS_SHEET)
    features.add(LEDGER_SHEETS, ledger.DECISIONS_SHEET)
    features.add(NODE_SECTIONS, sections.pseudonymisation_section)
    # The agreement PDF is checked against the provision catalog on the review pages.
    features.add(DOCUMENT_OWNERS, documents.OWNER)
    features.add(MENU, MenuItem("provisions.index", _l("提供"), Permission.VIEW_PROVISIONS, 75))
    features.grant(Permission.VIEW_PROVISIONS, OFFICERS | {Role.CHIEF, Role.AUDITOR})
    features.grant(Permission.MANAGE_PROVISIONS, OFFICERS)
