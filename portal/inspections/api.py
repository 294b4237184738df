"""``GET /api/v1/inspections``: the inspections in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _

from portal.api.auth import api_user, token_required
from portal.api.views import DEFAULT_LIMIT, MAX_LIMIT, _int_arg, bp
from portal.db import db
from portal.errors import render_error
from portal.inspections.models import Inspection
from portal.inspections.queries import visible_inspections
from portal.permissions import Permission


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def inspection_item(inspection: Inspection) -> dict[str, Any]:
    """The API form of an inspection."""
    return {
        "id": inspection.id,
        "outsourcing_id": inspection.outsourcing_id,
        "due_date": _iso(inspection.due_date),
        "planned_date": _iso(inspection.planned_date),
        "method": inspection.method,
        "performed_by": inspection.performed_by,
        "status": inspection.status,
        "completed_on": _iso(inspection.completed_on),
    }


@bp.route("/inspections")
@token_required(Permission.VIEW_INSPECTIONS)
def inspections() -> Any:
    """The visible inspections by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    try:
        limit = _int_arg("limit", DEFAULT_LIMIT)
        after = _int_arg("after", 0)
    except ValueError as error:
        return render_error(
            400, _("パラメーター %(name)s は0以上の整数で指定してください。", name=str(error))
        )
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    rows = db.session.exec(
        visible_inspections(api_user())
        .where(Inspection.id > (after or 0))
        .order_by(Inspection.id)
        .limit(limit + 1)
    ).all()
    page = [row[0] for row in rows[:limit]]
    following = None
    if len(rows) > limit:
        following = url_for("api.inspections", limit=limit, after=page[-1].id, _external=True)
    return jsonify(items=[inspection_item(i) for i in page], next=following)
