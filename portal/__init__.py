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

    _init_extensions(app)
    _register_blueprints(app)
    _register_obligations(app)

    from portal import cli, errors, security, ui

    security.init_app(app)
    ui.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    _init_transactions(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import i18n, jobs, storage
    from portal.auth import sessions
    from portal.db import db
    from portal.extensions import csrf, limiter

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    sessions.init_app(app)
    jobs.init_app(app)
    storage.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from portal.admin.views import bp as admin_bp
    from portal.api.views import bp as api_bp
    from portal.audit.views import bp as audit_bp
    from portal.auth.views import bp as auth_bp
    from portal.extensions import csrf
    from portal.incidents.views import bp as incidents_bp
    from portal.inspections.views import bp as inspections_bp
    from portal.ledger.views import bp as ledger_bp
    from portal.main.views import bp as main_bp
    from portal.outsourcings.views import bp as outsourcings_bp
    from portal.reports.views import bp as reports_bp
    from portal.reviews.views import bp as reviews_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(ledger_bp)
    import portal.incidents.api  # adds /api/v1/incidents to the API blueprint
    import portal.inspections.api  # adds /api/v1/inspections to the API blueprint
    import portal.reports.api  # adds /api/v1/reports to the API blueprint
    import portal.reviews.api  # noqa: F401 - adds the document endpoints to the API blueprint

    app.register_blueprint(api_bp)
    # Bearer tokens, not cookies, authenticate the API: there is no session to forge.
    csrf.exempt(api_bp)
    app.register_blueprint(outsourcings_bp)
    app.register_blueprint(inspections_bp)
    app.register_blueprint(incidents_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(reports_bp)


def _register_obligations(app: Flask) -> None:
    """The obligation kinds the reminder run of ``portal.obligations`` walks."""
    from portal.inspections.obligation import INSPECTION_OBLIGATION
    from portal.obligations.registry import register_obligation
    from portal.reports.obligation import REPORT_OBLIGATION

    register_obligation(app, INSPECTION_OBLIGATION)
    register_obligation(app, REPORT_OBLIGATION)


def _init_transactions(app: Flask) -> None:
    """One transaction per request: commit what succeeded, roll back what did not."""
    from sqlalchemy.exc import DBAPIError

    from portal.audit.operations import write_pending
    from portal.db import db
    from portal.errors import database_unavailable, is_disconnect

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
        # Reads, denials and failures go to the access log in a transaction of their own.
        write_pending(response.status_code)
        return response
