"""The ledger (台帳): every sheet a feature registers, exported and imported as CSV or Excel."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, Features, MenuItem
from portal.permissions import OFFICERS, Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the ledger pages (the sheets come from the features that own them)."""
    from portal.ledger import views

    features.add_blueprint(views.bp)
    features.add(MENU, MenuItem("ledger.index", _l("台帳"), Permission.EXPORT_LEDGER, 80))
    # The chief and the auditor read the ledger; the officers also import into it.
    features.grant(Permission.EXPORT_LEDGER, OFFICERS | {Role.CHIEF, Role.AUDITOR})
    features.grant(Permission.IMPORT_LEDGER, OFFICERS)
