"""``GET /api/v1/incidents``: the incidents in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from portal.api.auth import api_user, token_required
from portal.api.views import iso, keyset_page
from portal.features import ApiRoute
from portal.incidents.models import Incident
from portal.incidents.queries import visible_incidents
from portal.permissions import Permission


def incident_item(incident: Incident) -> dict[str, Any]:
    """The API form of an incident."""
    return {
        "id": incident.id,
        "outsourcing_id": incident.outsourcing_id,
        "kind": incident.kind,
        "status": incident.status,
        "discovered_on": iso(incident.discovered_on),
        "aware_on": iso(incident.aware_on),
        "persons": incident.persons,
        "commission_required": incident.commission_required,
        "commission_reasons": list(incident.commission_reasons),
        "first_report_due": iso(incident.first_report_due),
        "first_reported_on": iso(incident.first_reported_on),
        "final_report_due": iso(incident.final_report_due),
        "final_reported_on": iso(incident.final_reported_on),
        "escalation_level": incident.escalation_level,
        "publication_decision": incident.publication_decision,
        "reported_at": iso(incident.reported_at),
        "closed_at": iso(incident.closed_at),
    }


@token_required(Permission.VIEW_INCIDENTS)
def incidents() -> Any:
    """The visible incidents by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    return keyset_page(
        visible_incidents(api_user()),
        Incident.id,
        endpoint="api.incidents",
        item=lambda row: incident_item(row[0]),
        id_of=lambda row: row[0].id,
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (ApiRoute("/incidents", incidents),)
