"""``GET /api/v1/incidents``: the incidents in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _

from portal.api.auth import api_user, token_required
from portal.api.views import DEFAULT_LIMIT, MAX_LIMIT, _int_arg, bp
from portal.db import db
from portal.errors import render_error
from portal.incidents.models import Incident
from portal.incidents.queries import visible_incidents
from portal.permissions import Permission


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def incident_item(incident: Incident) -> dict[str, Any]:
    """The API form of an incident."""
    return {
        "id": incident.id,
        "outsourcing_id": incident.outsourcing_id,
        "kind": incident.kind,
        "status": incident.status,
        "discovered_on": _iso(incident.discovered_on),
        "aware_on": _iso(incident.aware_on),
        "persons": incident.persons,
        "commission_required": incident.commission_required,
        "commission_reasons": list(incident.commission_reasons),
        "first_report_due": _iso(incident.first_report_due),
        "first_reported_on": _iso(incident.first_reported_on),
        "final_report_due": _iso(incident.final_report_due),
        "final_reported_on": _iso(incident.final_reported_on),
        "escalation_level": incident.escalation_level,
        "publication_decision": incident.publication_decision,
        "reported_at": _iso(incident.reported_at),
        "closed_at": _iso(incident.closed_at),
    }


@bp.route("/incidents")
@token_required(Permission.VIEW_INCIDENTS)
def incidents() -> Any:
    """The visible incidents by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    try:
        limit = _int_arg("limit", DEFAULT_LIMIT)
        after = _int_arg("after", 0)
    except ValueError as error:
        return render_error(
            400, _("パラメーター %(name)s は0以上の整数で指定してください。", name=str(error))
        )
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    rows = db.session.exec(
        visible_incidents(api_user())
        .where(Incident.id > (after or 0))
        .order_by(Incident.id)
        .limit(limit + 1)
    ).all()
    page = [row[0] for row in rows[:limit]]
    following = None
    if len(rows) > limit:
        following = url_for("api.incidents", limit=limit, after=page[-1].id, _external=True)
    return jsonify(items=[incident_item(i) for i in page], next=following)
