"""Demo selection data: the vendors' certifications (valid, one expiring soon, one expired,
one missing) and the selection records of the chains, with one subcontract whose items go
beyond its parent's (it waits for a reasoned approval)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from portal.models import Outsourcing, OutsourcingStatus, Vendor
from portal.selection.models import Certification, SelectionRecord
from portal.selection.operations import current_rule


def load_selection(*, session: Session, vendors: list[Vendor], today: date) -> None:
    """Certifications for the demo vendors and a selection record for every node."""
    for index, vendor in enumerate(vendors):
        if index % 4 == 3:
            continue  # no certification at all: a sensitive outsourcing shows it is missing
        expires = today + timedelta(days=400 + index * 30)
        if index == 1:
            expires = today + timedelta(days=45)  # the 60-day reminder is due
        elif index == 2:
            expires = today - timedelta(days=10)  # expired: not yet renewed
        session.add(
            Certification(
                vendor_id=vendor.id,
                cert_type="pmark" if index % 2 == 0 else "isms",
                number=f"{10820000 + index * 37}(0{index % 9 + 1})",
                issued_on=expires - timedelta(days=730),
                expires_on=expires,
            )
        )
    if vendors:
        session.add(
            Certification(
                vendor_id=vendors[0].id,
                cert_type="ismap",
                number="C25-0117-1",
                issued_on=today - timedelta(days=200),
                expires_on=today + timedelta(days=530),
            )
        )
    rule = current_rule()
    answers = {q.id: "yes" for q in rule.checklist}
    nodes = session.exec(select(Outsourcing).order_by(Outsourcing.path)).all()
    items: dict[int, list[str]] = {}
    excess_shown = False
    for node in nodes:
        ids, _unknown = rule.item_ids(node.pi_categories.replace("・", "、").split("、"))
        if node.special_care and "special_care" not in ids:
            ids, _unknown = rule.item_ids([*ids, "special_care"])
        ids = ids or ["name"]
        parent = items.get(node.parent_id or 0)
        reason = ""
        if parent is not None:
            ids = [i for i in ids if i in parent] or parent[:1]
            if not excess_shown and node.status == OutsourcingStatus.REQUESTED:
                # One request asks for more than its parent holds: the approver needs a reason.
                extra = next((i.id for i in rule.items if i.id not in parent), None)
                if extra:
                    ids, _unknown = rule.item_ids([*ids, extra])
                    reason = "住民からの問合せ対応で本人確認に用いるため。"
                    excess_shown = True
        items[node.id] = ids  # type: ignore[index]
        session.add(
            SelectionRecord(
                outsourcing_id=node.id,  # type: ignore[arg-type]
                answers=answers,
                uses_cloud=node.id % 5 == 0,  # type: ignore[operator]
                items=ids,
                excess_reason=reason,
            )
        )
    session.flush()
