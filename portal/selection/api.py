"""``GET /api/v1/certifications`` and ``GET /api/v1/selections``: the vendors'
certifications and the selection records of the outsourcings in the caller's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import select

from portal import audit
from portal.api.auth import api_user, token_required
from portal.api.views import iso, keyset_page
from portal.features import ApiRoute
from portal.models import Outsourcing, Vendor
from portal.outsourcings.scope import visibility_clause
from portal.permissions import Permission, Role
from portal.selection.models import Certification, SelectionRecord
from portal.selection.operations import current_rule
from portal.selection.rules import excess_items


def certification_item(certification: Certification, vendor: Vendor) -> dict[str, Any]:
    """The API form of a certification."""
    return {
        "id": certification.id,
        "vendor_id": vendor.id,
        "vendor": vendor.name,
        "corporate_number": vendor.corporate_number,
        "type": certification.cert_type,
        "type_label": current_rule().certification_label(certification.cert_type),
        "number": certification.number,
        "issued_on": iso(certification.issued_on),
        "expires_on": iso(certification.expires_on),
        "scope": certification.scope,
        "withdrawn_at": iso(certification.withdrawn_at),
    }


@token_required(Permission.VIEW_OUTSOURCINGS)
def certifications() -> Any:
    """The certifications by id (a vendor user: its own vendor's), a page at a time."""
    user = api_user()
    statement = select(Certification, Vendor).join(Vendor, Vendor.id == Certification.vendor_id)
    if user.role == Role.VENDOR:
        statement = statement.where(Certification.vendor_id == user.vendor_id)
    audit.record("api.certifications", object_type="certification")
    return keyset_page(
        statement,
        Certification.id,
        endpoint="api.certifications",
        item=lambda row: certification_item(row[0], row[1]),
        id_of=lambda row: row[0].id,
    )


@token_required(Permission.VIEW_OUTSOURCINGS)
def selections() -> Any:
    """The selection records of the visible outsourcings by id, a page at a time."""
    user = api_user()
    rule = current_rule()
    parent = aliased(SelectionRecord)
    # The parent's items come with each row (one statement per page, however deep the chain).
    statement = (
        select(SelectionRecord, Outsourcing, parent.items)
        .join(Outsourcing, Outsourcing.id == SelectionRecord.outsourcing_id)
        .outerjoin(parent, parent.outsourcing_id == Outsourcing.parent_id)
        .where(visibility_clause(user))
    )

    def item(row: Any) -> dict[str, Any]:
        record, node, parent_items = row
        return {
            "id": record.id,
            "outsourcing_id": node.id,
            "items": rule.item_labels(record.items or []),
            "items_recorded": record.items is not None,
            "excess_items": rule.item_labels(
                excess_items(record.items or [], parent_items) if node.parent_id else []
            ),
            "excess_reason": record.excess_reason,
            "uses_cloud": record.uses_cloud,
            "checklist": {q.id: record.answers.get(q.id, "") for q in rule.checklist},
            "unanswered": [q.id for q in rule.unanswered(record.answers)],
            "updated_at": iso(record.updated_at),
        }

    audit.record("api.selections", object_type="outsourcing")
    return keyset_page(
        statement,
        SelectionRecord.id,
        endpoint="api.selections",
        item=item,
        id_of=lambda row: row[0].id,
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute("/certifications", certifications),
    ApiRoute("/selections", selections),
)
