"""``GET /api/v1/provisions``: the provisions in the caller's scope, a page at a time."""

from __future__ import annotations

from typing import Any

from portal.api.auth import api_user, token_required
from portal.api.views import iso, keyset_page
from portal.features import ApiRoute
from portal.permissions import Permission
from portal.provisions.models import Provision
from portal.provisions.queries import visible_provisions


def provision_item(provision: Provision) -> dict[str, Any]:
    """The API form of a provision (the agreement's items and the pseudonymisation decision)."""
    return {
        "id": provision.id,
        "department_id": provision.department_id,
        "recipient_name": provision.recipient_name,
        "recipient_kind": provision.recipient_kind,
        "information_name": provision.information_name,
        "purpose": provision.purpose,
        "legal_basis": provision.legal_basis,
        "record_scope": provision.record_scope,
        "usage_form": provision.usage_form,
        "agreement_date": iso(provision.agreement_date),
        "start_date": iso(provision.start_date),
        "end_date": iso(provision.end_date),
        "persons": provision.persons,
        "safety_measures": list(provision.safety_measures),
        "pseudonymisation": provision.pseudonymisation,
        "pseudonymisation_reason": provision.pseudonymisation_reason,
        "status": provision.status,
    }


@token_required(Permission.VIEW_PROVISIONS)
def provisions() -> Any:
    """The visible provisions by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    return keyset_page(
        visible_provisions(api_user()),
        Provision.id,
        endpoint="api.provisions",
        item=provision_item,
        id_of=lambda provision: provision.id,
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (ApiRoute("/provisions", provisions),)
