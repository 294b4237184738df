"""労働者派遣契約 (worker dispatch, 三木市 第37条第5項 / 久喜市 第36条第5項): the contracts, their
PDF checked against the ``dispatch`` clause catalog, the ledger sheet and the read API."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, Features, MenuItem
from portal.permissions import OFFICERS, READERS, Permission


def register(app: Flask, features: Features) -> None:
    """Add the pages, API routes, ledger sheet and contract-review owner of this feature."""
    from portal.dispatch import api, ledger, operations, views
    from portal.ledger.sheets import LEDGER_SHEETS
    from portal.reviews.shared import DOCUMENT_OWNERS

    features.add_blueprint(views.bp)
    features.add_api_routes(*api.ROUTES)
    features.add(LEDGER_SHEETS, ledger.SHEET)
    features.add(DOCUMENT_OWNERS, operations.OWNER)
    features.add(
        MENU, MenuItem("dispatch.index", _l("労働者派遣契約"), Permission.VIEW_DISPATCH, 35)
    )
    features.grant(Permission.VIEW_DISPATCH, READERS)  # vendors: their own contracts
    features.grant(Permission.MANAGE_DISPATCH, OFFICERS)
