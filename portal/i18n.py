"""Language: Japanese by default, English on request (Flask-Babel)."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from portal.config import PROJECT_ROOT
from portal.extensions import babel

LOCALE_COOKIE = "portal_lang"


def select_locale() -> str:
    """The user's saved choice, else the language cookie, else Japanese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # The user's row cannot be read back from a database that has gone away (the 503 page).
    signed_in = not g.get("database_unavailable") and current_user and current_user.is_authenticated
    if signed_in and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the portal's catalogs."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "portal" / "translations"),
    )
