"""The selection checklist and the items entrusted, inside the forms that register an
outsourcing or request a subcontract (``REGISTRATION_SECTIONS``): answered there, saved in
the same transaction as the new node. The node's selection page keeps them for later edits."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from portal import audit
from portal.features import NodeSection, RegistrationSection, SectionRefused
from portal.models import Outsourcing, User
from portal.selection import operations as ops


def _posted(rule: Any, posted: Any) -> dict[str, Any]:
    """What the form sent for the block (nothing yet when first shown)."""
    if posted is None:
        return {
            "answers": {},
            "comment": "",
            "uses_cloud": False,
            "items": [],
            "excess_reason": "",
        }
    return {
        "answers": {q.id: posted.get(f"q_{q.id}", "") for q in rule.checklist},
        "comment": posted.get("checklist_comment", ""),
        "uses_cloud": posted.get("uses_cloud") == "y",
        "items": posted.getlist("items"),
        "excess_reason": posted.get("excess_reason", ""),
    }


def show(session: Session, parent: Outsourcing | None, posted: Any) -> NodeSection:
    """The checklist and the items, as the user left them."""
    rule = ops.current_rule()
    return NodeSection(
        "selection/_registration_section.html",
        {
            "rule": rule,
            "values": _posted(rule, posted),
            "parent": parent,
            "parent_items": ops.parent_items(
                session=session, parent_id=parent.id if parent else None
            ),
        },
    )


def check(session: Session, parent: Outsourcing | None, posted: Any) -> list[str]:
    """Every question answered, items from the list, a reason for items beyond the parent's."""
    rule = ops.current_rule()
    values = _posted(rule, posted)
    return ops.check_selection(
        rule=rule,
        answers=values["answers"],
        items=values["items"],
        excess_reason=values["excess_reason"],
        parent=ops.parent_items(session=session, parent_id=parent.id if parent else None),
        complete=True,
    )


def save(session: Session, actor: User, node: Outsourcing, posted: Any) -> None:
    """Record the checklist and the items of the new node (and say so in the access log)."""
    rule = ops.current_rule()
    values = _posted(rule, posted)
    try:
        record = ops.save_selection(
            session=session,
            rule=rule,
            actor=actor,
            node=node,
            answers=values["answers"],
            comment=values["comment"],
            uses_cloud=values["uses_cloud"],
            items=values["items"],
            excess_reason=values["excess_reason"],
            complete=True,
        )
    except ops.SelectionError as error:
        raise SectionRefused(error.message) from error
    audit.record(
        "selection.save",
        object_type="outsourcing",
        object_id=node.id,
        detail={"items": record.items, "uses_cloud": record.uses_cloud, "with": "registration"},
    )


SECTION = RegistrationSection(show=show, check=check, save=save)
