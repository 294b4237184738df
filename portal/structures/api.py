"""``GET /api/v1/structures``: the management-structure versions in the caller's scope."""

from __future__ import annotations

from typing import Any

from portal.api.auth import api_user, token_required
from portal.api.views import iso
from portal.features import ApiRoute
from portal.obligations.views import owed_item, owed_page
from portal.permissions import Permission
from portal.structures.models import ManagementStructure
from portal.structures.queries import visible_structures
from portal.structures.rules import StaffMember, summarise


def structure_item(structure: ManagementStructure) -> dict[str, Any]:
    """The API form of a version: who is responsible, the staff and their head counts."""
    staff = [StaffMember.from_json(item) for item in structure.staff]
    summary = summarise(staff)
    return {
        **owed_item(structure),
        "version": structure.version,
        "responsible": {
            "name": structure.responsible_name,
            "title": structure.responsible_title,
            "contact": structure.responsible_contact,
        },
        "staff": [member.to_json() for member in staff],
        "staff_total": summary.total,
        "dispatched_total": summary.dispatched,
        "places": list(structure.places),
        "systems": list(structure.systems),
        "submitted_at": iso(structure.submitted_at),
        "reviewed_at": iso(structure.reviewed_at),
    }


@token_required(Permission.VIEW_OUTSOURCINGS)
def structures() -> Any:
    """The visible versions by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    return owed_page(
        visible_structures(api_user()), ManagementStructure, "api.structures", structure_item
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (ApiRoute("/structures", structures),)
