"""``GET /api/v1/inspections``: the inspections in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from portal.api.auth import api_user, token_required
from portal.api.views import iso
from portal.features import ApiRoute
from portal.inspections.models import Inspection
from portal.inspections.queries import visible_inspections
from portal.obligations.views import owed_item, owed_page
from portal.permissions import Permission


def inspection_item(inspection: Inspection) -> dict[str, Any]:
    """The API form of an inspection."""
    return {
        **owed_item(inspection),
        "planned_date": iso(inspection.planned_date),
        "method": inspection.method,
        "performed_by": inspection.performed_by,
        "completed_on": iso(inspection.completed_on),
    }


@token_required(Permission.VIEW_INSPECTIONS)
def inspections() -> Any:
    """The visible inspections by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    return owed_page(
        visible_inspections(api_user()), Inspection, "api.inspections", inspection_item
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (ApiRoute("/inspections", inspections),)
