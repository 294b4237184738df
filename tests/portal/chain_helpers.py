"""Building chains of outsourcings for the ledger and API tests."""

from __future__ import annotations

from datetime import date

from portal.models import Outsourcing, Vendor


def make_node(
    factory, *, department_id: int, vendor: Vendor, parent: Outsourcing | None = None, **fields
) -> Outsourcing:
    """A committed outsourcing (a root, or a child of ``parent``) with its path set."""
    node = Outsourcing(
        task_name=fields.pop("task_name", f"業務{vendor.id}"),
        department_id=parent.department_id if parent else department_id,
        vendor_id=vendor.id,
        parent_id=parent.id if parent else None,
        start_date=fields.pop("start_date", date(2026, 4, 1)),
        end_date=fields.pop("end_date", date(2027, 3, 31)),
        status=fields.pop("status", "active"),
        **fields,
    )
    factory.session.add(node)
    factory.session.flush()
    node.root_id = parent.root_id if parent else node.id
    node.path = f"{parent.path if parent else '/'}{node.id}/"
    factory.session.commit()
    return node


#: The test profile's selection checklist (三木市), as the registration forms post it.
CHECKLIST_IDS = ("capability", "certification", "security_measures", "incident_history", "location")


def selection_fields(*items: str, answer: str = "yes", **extra: str) -> dict[str, object]:
    """The selection block of a registration or subcontract-request form, answered."""
    return {"items": list(items), **{f"q_{q}": answer for q in CHECKLIST_IDS}, **extra}
