"""``GET /api/v1/reports``: the periodic reports in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _

from portal.api.auth import api_user, token_required
from portal.api.views import DEFAULT_LIMIT, MAX_LIMIT, _int_arg, bp
from portal.db import db
from portal.errors import render_error
from portal.permissions import Permission
from portal.reports.models import ComplianceReport
from portal.reports.queries import visible_reports
from portal.reports.rules import concerns


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def report_item(report: ComplianceReport) -> dict[str, Any]:
    """The API form of a report."""
    return {
        "id": report.id,
        "outsourcing_id": report.outsourcing_id,
        "period_start": _iso(report.period_start),
        "period_end": _iso(report.period_end),
        "due_date": _iso(report.due_date),
        "status": report.status,
        "submitted_at": _iso(report.submitted_at),
        "reviewed_at": _iso(report.reviewed_at),
        "concerns": concerns(report.checklist),
        "subcontractors": [
            {"name": s.get("name"), "corporate_number": s.get("corporate_number")}
            for s in report.subcontractors
        ],
        "had_incidents": report.had_incidents,
    }


@bp.route("/reports")
@token_required(Permission.VIEW_REPORTS)
def reports() -> Any:
    """The visible reports by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    try:
        limit = _int_arg("limit", DEFAULT_LIMIT)
        after = _int_arg("after", 0)
    except ValueError as error:
        return render_error(
            400, _("パラメーター %(name)s は0以上の整数で指定してください。", name=str(error))
        )
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    rows = db.session.exec(
        visible_reports(api_user())
        .where(ComplianceReport.id > (after or 0))
        .order_by(ComplianceReport.id)
        .limit(limit + 1)
    ).all()
    page = [row[0] for row in rows[:limit]]
    following = None
    if len(rows) > limit:
        following = url_for("api.reports", limit=limit, after=page[-1].id, _external=True)
    return jsonify(items=[report_item(r) for r in page], next=following)
