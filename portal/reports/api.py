"""``GET /api/v1/reports``: the periodic reports in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from portal.api.auth import api_user, token_required
from portal.api.views import iso
from portal.features import ApiRoute
from portal.obligations.views import owed_item, owed_page
from portal.permissions import Permission
from portal.reports.models import ComplianceReport
from portal.reports.queries import visible_reports
from portal.reports.rules import concerns


def report_item(report: ComplianceReport) -> dict[str, Any]:
    """The API form of a report."""
    return {
        **owed_item(report),
        "period_start": iso(report.period_start),
        "period_end": iso(report.period_end),
        "submitted_at": iso(report.submitted_at),
        "reviewed_at": iso(report.reviewed_at),
        "concerns": concerns(report.checklist),
        "subcontractors": [
            {"name": s.get("name"), "corporate_number": s.get("corporate_number")}
            for s in report.subcontractors
        ],
        "had_incidents": report.had_incidents,
    }


@token_required(Permission.VIEW_REPORTS)
def reports() -> Any:
    """The visible reports by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    return owed_page(visible_reports(api_user()), ComplianceReport, "api.reports", report_item)


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (ApiRoute("/reports", reports),)
