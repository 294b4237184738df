"""The start page, language switch and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlmodel import select
from werkzeug.wrappers import Response

from portal.db import db
from portal.features import HOME_WIDGETS, current_features
from portal.home import WorkQueue, is_matrix
from portal.i18n import LOCALE_COOKIE
from portal.models import Department, Division, UserSession
from portal.permissions import Permission, public, requires
from portal.security import safe_next
from portal.timeutil import local_today

bp = Blueprint("main", __name__)


@bp.route("/")
@requires(Permission.VIEW_DASHBOARD)
def dashboard() -> str:
    """The user's work queue (a department × item matrix for the chief and the auditor),
    and what the user can do."""
    department = division = None
    if current_user.department_id:
        department = db.session.get(Department, current_user.department_id)
        division = db.session.get(Division, department.division_id) if department else None
    previous = db.session.exec(
        select(UserSession.created_at)
        .where(UserSession.user_id == current_user.id)
        .order_by(UserSession.created_at.desc())
        .offset(1)
        .limit(1)
    ).first()
    # The blocks the features put on the start page (e.g. the access log's bulk-download
    # notices), each under its name.
    user = current_user._get_current_object()
    widgets = {
        widget.name: widget.load(db.session, user)
        for widget in current_features().get(HOME_WIDGETS)
        if widget.permission is None or user.can(widget.permission)
    }
    # The work queue: the items that apply to this role (a widget answers None otherwise).
    queues = [value for value in widgets.values() if isinstance(value, WorkQueue)]
    others = {name: value for name, value in widgets.items() if not isinstance(value, WorkQueue)}
    departments = _matrix_departments() if is_matrix(user) and queues else []
    return render_template(
        "main/dashboard.html",
        department=department,
        division=division,
        previous_sign_in=previous,
        queues=queues,
        matrix_departments=departments,
        today=local_today(),
        **others,
    )


def _matrix_departments() -> list[tuple[Division, Department]]:
    """Every department with its division, in the organisation's order (the matrix rows)."""
    rows = db.session.exec(
        select(Division, Department)
        .join(Department, Department.division_id == Division.id)
        .order_by(Division.sort_order, Division.id, Department.sort_order, Department.id)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


@bp.route("/locale", methods=["POST"])
@public
def set_locale() -> Response:
    """Switch the UI language (saved on the account when signed in, else in a cookie)."""
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        current_user.locale = language
        db.session.add(current_user._get_current_object())
    target = safe_next(request.form.get("next")) or url_for("main.dashboard")
    response = redirect(target)
    response.set_cookie(
        LOCALE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
    return response


@bp.route("/healthz")
@public
def healthz() -> Response:
    """Liveness and database reachability, for the load balancer and the smoke test."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
