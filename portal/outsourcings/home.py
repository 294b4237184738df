"""The chain's items of the start page: re-subcontracting requests to decide (officers) and
the requests a vendor made with their state (vendors)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from portal.features import HomeWidget
from portal.home import QueueEntry, QueueSpec, WorkQueue, load_queue
from portal.models import Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings.scope import visibility_clause
from portal.permissions import Permission


def _state(status: str) -> tuple[str, str]:
    return {
        OutsourcingStatus.REQUESTED: (_("承認待ち"), "warn"),
        OutsourcingStatus.APPROVED: (_("承認済み"), "ok"),
        OutsourcingStatus.REJECTED: (_("不承認"), "bad"),
        OutsourcingStatus.ACTIVE: (_("承認済み（契約中）"), "ok"),
        OutsourcingStatus.ENDED: (_("終了"), "muted"),
    }.get(status, (status, "muted"))


def _request_entry(row: tuple[Outsourcing, Vendor]) -> QueueEntry:
    node, vendor = row
    note, tone = _state(node.status)
    return QueueEntry(
        f"{vendor.name}：{node.task_name}",
        url_for("outsourcings.detail", outsourcing_id=node.id),
        node.requested_at.date() if node.requested_at else None,
        note,
        tone,
    )


def _more() -> str:
    return url_for("outsourcings.requests")


TO_DECIDE = QueueSpec(
    "requests_to_decide",
    _l("承認を判断する再委託の申請"),
    (Outsourcing.requested_at, Outsourcing.id),
    _request_entry,
    _more,
)
MINE = QueueSpec(
    "my_requests",
    _l("再委託の承認申請とその状況"),
    (Outsourcing.requested_at.desc(), Outsourcing.id.desc()),
    _request_entry,
    lambda: url_for("outsourcings.tree"),
    "muted",
)


def _requests(user: User):
    return (
        select(Outsourcing, Vendor)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(visibility_clause(user), Outsourcing.parent_id.is_not(None))
    )


def requests_to_decide(session: Session, user: User) -> WorkQueue | None:
    """Re-subcontracting requests waiting for a decision, the oldest first."""
    if user.is_vendor:
        return None
    statement = _requests(user).where(Outsourcing.status == OutsourcingStatus.REQUESTED)
    return load_queue(session=session, user=user, statement=statement, spec=TO_DECIDE)


def my_requests(session: Session, user: User) -> WorkQueue | None:
    """The requests the vendor's users made, the newest first, with their state."""
    if not user.is_vendor:
        return None
    by_vendor = select(User.id).where(User.vendor_id == user.vendor_id)
    statement = _requests(user).where(Outsourcing.requested_by_id.in_(by_vendor))
    return load_queue(session=session, user=user, statement=statement, spec=MINE)


WIDGETS = (
    HomeWidget("requests_to_decide", requests_to_decide, Permission.VIEW_OUTSOURCINGS),
    HomeWidget("my_requests", my_requests, Permission.REQUEST_SUBCONTRACT),
)
