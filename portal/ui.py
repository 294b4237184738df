"""What every template can use: the profile, the navigation for the user's role, filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.features import MENU, MENU_HIDDEN_WHEN, current_features
from portal.permissions import Permission
from portal.security import request_id
from portal.timeutil import to_local


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    url: str
    active: bool


def nav_items() -> list[NavItem]:
    """The menu entries the current user may use."""
    features = current_features()
    if not current_user.is_authenticated or any(
        hidden() for hidden in features.get(MENU_HIDDEN_WHEN)
    ):
        return []
    # The features put their entries in the menu (portal/features.py); ``order`` places them.
    return [
        NavItem(
            item.endpoint,
            str(item.label),
            url_for(item.endpoint),
            request.endpoint == item.endpoint,
        )
        for item in sorted(features.get(MENU), key=lambda item: item.order)
        if current_user.can(item.permission)
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
