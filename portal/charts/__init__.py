"""The dashboard's pictures (グラフ): inspections, clauses, reports, incidents and the chain
of the fiscal year, each with its table, printable on A4 and exported to Excel."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.features import MENU, Features, MenuItem
from portal.permissions import Permission, Role


def register(app: Flask, features: Features) -> None:
    """Add the dashboard's page, its menu entry and who may see it."""
    from portal.charts import views

    features.add_blueprint(views.bp)
    features.add(MENU, MenuItem("charts.index", _l("グラフ"), Permission.VIEW_CHARTS, 15))
    # Within each user's scope: the whole municipality for the chief and the auditor, the
    # department for its officers. Vendors and the administrator have no such overview.
    features.grant(Permission.VIEW_CHARTS, [Role.CHIEF, Role.AUDITOR, Role.MANAGER, Role.STAFF])
