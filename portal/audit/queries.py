"""Reading the access log: the viewer's filters, and who hears of a bulk download."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, func, select

from portal.audit.models import AccessEvent, DownloadCounter
from portal.models import Outsourcing, User
from portal.permissions import Role
from portal.timeutil import JST, utcnow


@dataclass(frozen=True)
class EventFilter:
    """What the auditor asked for; empty fields do not filter."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    action: str = ""
    outcome: str = ""
    object_type: str = ""
    object_id: str = ""

    def clauses(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.date_from:
            where.append(AccessEvent.occurred_at >= local_midnight(self.date_from))
        if self.date_to:
            where.append(AccessEvent.occurred_at < local_midnight(self.date_to + timedelta(days=1)))
        if self.actor.strip():
            by_label = AccessEvent.actor_label.ilike(f"%{self.actor.strip()}%")
            actor_id = _int_or_none(self.actor)
            where.append(
                by_label if actor_id is None else or_(by_label, AccessEvent.actor_id == actor_id)
            )
        if self.action:
            where.append(AccessEvent.action.startswith(self.action.strip(), autoescape=True))
        if self.outcome:
            where.append(AccessEvent.outcome == self.outcome)
        if self.object_type:
            where.append(AccessEvent.object_type == self.object_type.strip())
        if self.object_id:
            where.append(AccessEvent.object_id == self.object_id.strip())
        return where


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def local_midnight(day: date) -> datetime:
    """00:00 Japan time of ``day``, as an aware timestamp."""
    return datetime.combine(day, time(0), tzinfo=JST)


def find_events(
    *, session: Session, where: EventFilter, page: int = 1, per_page: int = 50
) -> tuple[list[AccessEvent], int]:
    """One page of matching events, newest first, and the number of matches."""
    clauses = where.clauses()
    total = session.exec(select(func.count()).select_from(AccessEvent).where(*clauses)).one()
    rows = session.exec(
        select(AccessEvent)
        .where(*clauses)
        .order_by(AccessEvent.seq.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), int(total)


def iter_events(*, session: Session, where: EventFilter) -> Iterator[AccessEvent]:
    """Every matching event in chain order, streamed."""
    yield from session.exec(
        select(AccessEvent)
        .where(*where.clauses())
        .order_by(AccessEvent.seq)
        .execution_options(yield_per=500)
    )


def actions_in_use(*, session: Session) -> list[str]:
    """The distinct actions recorded, for the filter's choices."""
    return sorted(session.exec(select(AccessEvent.action).distinct()).all())


def managers_of(*, session: Session, user: User) -> list[User]:
    """The active managers who answer for ``user``: of its department, or for a vendor user,
    of every department whose outsourcings the vendor holds."""
    if user.department_id is not None:
        departments = [user.department_id]
    elif user.vendor_id is not None:
        departments = list(
            session.exec(
                select(Outsourcing.department_id)
                .where(Outsourcing.vendor_id == user.vendor_id)
                .distinct()
            ).all()
        )
    else:
        departments = []
    if not departments:
        return []
    return list(
        session.exec(
            select(User)
            .where(
                User.active,
                User.role == Role.MANAGER,
                User.department_id.in_(departments),  # type: ignore[union-attr]
                User.id != user.id,
            )
            .order_by(User.email)
        ).all()
    )


@dataclass(frozen=True)
class BulkNotice:
    user: User
    counter: DownloadCounter


def bulk_notices_for(*, session: Session, manager: User, days: int = 7) -> list[BulkNotice]:
    """Bulk-download warnings of the last ``days`` about users the manager answers for."""
    if manager.role != Role.MANAGER or manager.department_id is None:
        return []
    vendor_ids = select(Outsourcing.vendor_id).where(
        Outsourcing.department_id == manager.department_id
    )
    rows = session.exec(
        select(DownloadCounter, User)
        .join(User, User.id == DownloadCounter.user_id)
        .where(
            DownloadCounter.warned_at.is_not(None),  # type: ignore[union-attr]
            DownloadCounter.warned_at >= utcnow() - timedelta(days=days),
            or_(
                User.department_id == manager.department_id,
                and_(User.vendor_id.is_not(None), User.vendor_id.in_(vendor_ids)),  # type: ignore[union-attr]
            ),
        )
        .order_by(DownloadCounter.warned_at.desc())  # type: ignore[union-attr]
    ).all()
    return [BulkNotice(user=user, counter=counter) for counter, user in rows]
