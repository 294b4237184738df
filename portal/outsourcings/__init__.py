"""The subcontract chain (委託の系列): outsourcings, vendors, approval of re-subcontracting."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import HOME_WIDGETS, MENU, TREE_BADGES, Features, MenuItem
from portal.permissions import OFFICERS, READERS, Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the chain's pages, its tree badges and its ledger sheet."""
    from portal.ledger.sheets import LEDGER_SHEETS
    from portal.outsourcings import badges, home, ledger, views

    features.add_blueprint(views.bp)
    features.add(TREE_BADGES, badges.chain_badges)
    for widget in home.WIDGETS:  # the work queue on the start page
        features.add(HOME_WIDGETS, widget)
    features.add(LEDGER_SHEETS, ledger.SHEET)
    features.add(
        MENU, MenuItem("outsourcings.tree", _l("委託の系列"), Permission.VIEW_OUTSOURCINGS, 20)
    )
    features.add(
        MENU,
        MenuItem("outsourcings.requests", _l("承認待ち"), Permission.DECIDE_SUBCONTRACTS, 30),
    )
    features.add(
        MENU, MenuItem("outsourcings.vendors", _l("委託先"), Permission.MANAGE_VENDORS, 40)
    )
    features.grant(Permission.VIEW_OUTSOURCINGS, READERS)  # within scope (see scope.py)
    features.grant(Permission.MANAGE_OUTSOURCINGS, OFFICERS)
    features.grant(Permission.DECIDE_SUBCONTRACTS, OFFICERS)
    features.grant(Permission.MANAGE_VENDORS, OFFICERS)
    features.grant(Permission.REQUEST_SUBCONTRACT, [Role.VENDOR])
