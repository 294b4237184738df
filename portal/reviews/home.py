"""The contracts' items of the start page: contracts analysed but not yet confirmed by an
officer, and contracts whose newest analysed version has a weak or missing clause."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portal.features import HomeWidget
from portal.home import QueueEntry, QueueSpec, WorkQueue, load_queue
from portal.models import Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings.scope import visibility_clause
from portal.permissions import Permission
from portal.reviews.models import ClauseReview, ClauseStatus, ContractDocument, DocumentStatus

_CURRENT = (OutsourcingStatus.APPROVED, OutsourcingStatus.ACTIVE)


def _newest_analysed(user: User):
    """``select(ContractDocument, Outsourcing, Vendor)``: the newest analysed version of each
    current contract in scope."""
    other = aliased(ContractDocument)
    newest = (
        select(func.max(other.version))
        .where(
            other.outsourcing_id == ContractDocument.outsourcing_id,
            other.status == DocumentStatus.DONE,
        )
        .scalar_subquery()
    )
    return (
        select(ContractDocument, Outsourcing, Vendor)
        .join(Outsourcing, Outsourcing.id == ContractDocument.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(
            visibility_clause(user),
            Outsourcing.status.in_(_CURRENT),
            ContractDocument.status == DocumentStatus.DONE,
            ContractDocument.version == newest,
        )
    )


def newest_analysed_statuses(*, session: Session, user: User) -> list[dict[str, str] | None]:
    """The clause statuses of the newest analysed version of every current contract in
    scope (one query; for the dashboard's picture of the eight clauses)."""
    statement = _newest_analysed(user).with_only_columns(
        ContractDocument.statuses, maintain_column_froms=True
    )
    return list(session.execute(statement).scalars().all())


def _entry(row: tuple[ContractDocument, Outsourcing, Vendor]) -> QueueEntry:
    document, node, vendor = row
    values = set((document.statuses or {}).values())
    if ClauseStatus.MISSING in values:
        note, tone = _("記載のない項目があります"), "bad"
    elif ClauseStatus.WEAK in values:
        note, tone = _("不十分な項目があります"), "warn"
    else:
        note, tone = _("8項目すべて適合"), "ok"
    return QueueEntry(
        f"{vendor.name}：{node.task_name}（{_('第%(n)d版', n=document.version)}）",
        url_for("reviews.document", document_id=document.id),
        document.analysed_at.date() if document.analysed_at else None,
        note,
        tone,
    )


def _more() -> str:
    return url_for("outsourcings.tree")


_ORDER = (ContractDocument.analysed_at, ContractDocument.id)
UNCONFIRMED = QueueSpec(
    "contracts_unconfirmed", _l("解析済みで未確認の契約書"), _ORDER, _entry, _more
)
GAPS = QueueSpec(
    "contracts_with_gaps", _l("不十分・欠落の条項がある契約書"), _ORDER, _entry, _more, "bad"
)


def contracts_unconfirmed(session: Session, user: User) -> WorkQueue | None:
    """Newest analysed contracts no officer has confirmed a clause of yet."""
    if user.is_vendor:
        return None
    reviewed = exists(
        select(ClauseReview.id).where(ClauseReview.document_id == ContractDocument.id)
    )
    statement = _newest_analysed(user).where(~reviewed)
    return load_queue(session=session, user=user, statement=statement, spec=UNCONFIRMED)


def contracts_with_gaps(session: Session, user: User) -> WorkQueue | None:
    """Newest analysed contracts with a weak or missing clause."""
    if user.is_vendor:
        return None
    # The statuses are {clause id: status} JSON; a quoted status value is found in its text
    # on SQLite and PostgreSQL alike (clause ids are never "weak" or "missing").
    text = cast(ContractDocument.statuses, String)
    statement = _newest_analysed(user).where(
        or_(text.like(f'%"{ClauseStatus.WEAK}"%'), text.like(f'%"{ClauseStatus.MISSING}"%'))
    )
    return load_queue(session=session, user=user, statement=statement, spec=GAPS)


WIDGETS = (
    HomeWidget("contracts_unconfirmed", contracts_unconfirmed, Permission.VIEW_OUTSOURCINGS),
    HomeWidget("contracts_with_gaps", contracts_with_gaps, Permission.VIEW_OUTSOURCINGS),
)
