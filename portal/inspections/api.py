"""``GET /api/v1/inspections``: the inspections in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from portal.api.auth import api_user, token_required
from portal.api.views import iso, keyset_page
from portal.features import ApiRoute
from portal.inspections.models import Inspection
from portal.inspections.queries import visible_inspections
from portal.permissions import Permission


def inspection_item(inspection: Inspection) -> dict[str, Any]:
    """The API form of an inspection."""
    return {
        "id": inspection.id,
        "outsourcing_id": inspection.outsourcing_id,
        "due_date": iso(inspection.due_date),
        "planned_date": iso(inspection.planned_date),
        "method": inspection.method,
        "performed_by": inspection.performed_by,
        "status": inspection.status,
        "completed_on": iso(inspection.completed_on),
    }


@token_required(Permission.VIEW_INSPECTIONS)
def inspections() -> Any:
    """The visible inspections by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    return keyset_page(
        visible_inspections(api_user()),
        Inspection.id,
        endpoint="api.inspections",
        item=lambda row: inspection_item(row[0]),
        id_of=lambda row: row[0].id,
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (ApiRoute("/inspections", inspections),)
