"""委託先監督ポータル: the Flask application."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask, Response

from portal.config import PROJECT_ROOT, check_production_safety, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app factory: reads ``PORTAL_*`` settings, then applies ``config`` on top."""
    settings = load_config()
    settings.update(config or {})
    check_production_safety(settings)

    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
        instance_path=settings["INSTANCE_DIR"],
    )
    app.config.update(settings)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")

    from clauses.profile import load_profile

    app.extensions["portal.profile"] = load_profile(
        app.config["PROFILE"], search_path=app.config["PROFILE_PATH"]
    )

    from portal.features import install_features

    _init_extensions(app)
    # Every feature joins here, in the configured order; nothing else imports them.
    install_features(app, app.config["FEATURES"])

    from portal import commands, errors, security, ui

    security.init_app(app)
    ui.init_app(app)
    errors.init_app(app)
    commands.init_app(app)
    _init_transactions(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import i18n, jobs, storage
    from portal.db import db
    from portal.extensions import csrf, limiter

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    jobs.init_app(app)
    storage.init_app(app)


def _init_transactions(app: Flask) -> None:
    """One transaction per request: commit what succeeded, roll back what did not."""
    from sqlalchemy.exc import DBAPIError

    from portal.db import db
    from portal.errors import database_unavailable, is_disconnect
    from portal.features import EXTENSION_KEY, REQUEST_ENDED

    features = app.extensions[EXTENSION_KEY]

    @app.after_request
    def _commit(response: Response) -> Response:
        if response.status_code < 400:
            try:
                db.commit()
            except DBAPIError as error:
                # The database went away between the last statement and the commit: nothing
                # was written, so the user gets the 503 rather than the page that claims it.
                if not is_disconnect(error):
                    raise
                return app.make_response(database_unavailable(error))
        else:
            db.rollback()
        # After the request's transaction (the access log writes reads, denials and failures
        # in a transaction of its own here).
        for hook in features.get(REQUEST_ENDED):
            hook(response.status_code)
        return response
