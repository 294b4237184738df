"""What every template can use: the profile, the navigation for the user's role, filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.auth.sessions import sign_in_incomplete
from portal.permissions import Permission
from portal.security import request_id
from portal.timeutil import to_local

# (endpoint, label, permission): the menu, shown item by item to those who may use it.
NAVIGATION: list[tuple[str, Any, Permission]] = [
    ("main.dashboard", _l("トップ"), Permission.VIEW_DASHBOARD),
    ("outsourcings.tree", _l("委託の系列"), Permission.VIEW_OUTSOURCINGS),
    ("outsourcings.requests", _l("承認待ち"), Permission.DECIDE_SUBCONTRACTS),
    ("outsourcings.vendors", _l("委託先"), Permission.MANAGE_VENDORS),
    ("inspections.index", _l("実地検査"), Permission.VIEW_INSPECTIONS),
    ("reports.index", _l("定期報告"), Permission.VIEW_REPORTS),
    ("incidents.index", _l("漏えい等の事案"), Permission.VIEW_INCIDENTS),
    ("ledger.index", _l("台帳"), Permission.EXPORT_LEDGER),
    ("admin.users", _l("利用者管理"), Permission.MANAGE_USERS),
    ("admin.departments", _l("部・課室"), Permission.MANAGE_DEPARTMENTS),
    ("admin.profile", _l("規程プロファイル"), Permission.VIEW_PROFILE_SETTINGS),
    ("audit.index", _l("アクセス記録"), Permission.VIEW_ACCESS_LOG),
]


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    url: str
    active: bool


def nav_items() -> list[NavItem]:
    """The menu entries the current user may use."""
    if not current_user.is_authenticated or sign_in_incomplete():
        return []
    return [
        NavItem(endpoint, str(label), url_for(endpoint), request.endpoint == endpoint)
        for endpoint, label, permission in NAVIGATION
        if current_user.can(permission)
    ]


def local_datetime(value: datetime | None) -> str:
    """A timestamp as Japan time, e.g. 2026-11-24 18:30."""
    local = to_local(value)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def init_app(app: Flask) -> None:
    """Register the context processor and filters."""

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "profile": current_app.extensions["portal.profile"],
            "nav_items": nav_items,
            "request_id": request_id,
            "current_locale": str(get_locale() or "ja"),
            "Permission": Permission,
        }

    app.add_template_filter(local_datetime, "local_datetime")
