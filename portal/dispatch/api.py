"""``GET /api/v1/dispatch-contracts``: the dispatch contracts in the caller's scope, a page at
a time, with the latest check of each contract PDF against the dispatch catalog."""

from __future__ import annotations

from typing import Any

from portal.api.auth import api_user, token_required
from portal.api.views import iso, keyset_page
from portal.dispatch import operations as ops
from portal.dispatch.models import DispatchContract
from portal.features import ApiRoute
from portal.permissions import Permission


def contract_item(contract: DispatchContract, matters: dict[str, str] | None) -> dict[str, Any]:
    """The API form of a dispatch contract (``matters``: the latest reviewed check, if any)."""
    return {
        "id": contract.id,
        "contract_number": contract.contract_number,
        "department_id": contract.department_id,
        "vendor_id": contract.vendor_id,
        "work": contract.work,
        "personal_information": contract.personal_information,
        "period_start": iso(contract.period_start),
        "period_end": iso(contract.period_end),
        "workers": contract.workers,
        "trained_on": iso(contract.trained_on),
        "catalog": ops.CATALOG,
        "matters": matters,
    }


@token_required(Permission.VIEW_DISPATCH)
def dispatch_contracts() -> Any:
    """The visible dispatch contracts by id (``limit``; ``next`` carries ``after``)."""
    return keyset_page(
        ops.contracts_with_check(api_user()),
        DispatchContract.id,
        endpoint="api.dispatch_contracts",
        item=lambda row: contract_item(row[0], row[1]),
        id_of=lambda row: row[0].id,
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (ApiRoute("/dispatch-contracts", dispatch_contracts),)
