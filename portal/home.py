"""Work queues on the start page: what waits on the signed-in user, one query per queue.

A feature puts a ``HomeWidget`` into ``HOME_WIDGETS`` whose ``load`` calls ``load_queue``
with a statement that selects the waiting rows in the user's scope. For officers and vendors
the queue is a count and the oldest few rows (one query: the count rides along as a window
function); for the chief and the auditor it is a count per department (one grouped query),
which the start page lays out as a department × item matrix. The core imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql import Select
from sqlmodel import Session

from portal.models import Outsourcing, User
from portal.permissions import Role

#: Roles that see every department: their queues are counted per department.
MATRIX_ROLES = frozenset({Role.CHIEF, Role.AUDITOR})
#: Rows listed under each count (the oldest first).
SHOWN = 5


@dataclass(frozen=True)
class QueueEntry:
    """One waiting item: what it is, where it is, its date and a short note."""

    label: str
    url: str
    when: date | None = None
    note: str = ""
    tone: str = "muted"  # ok, warn, bad or muted: the colour of the note


@dataclass(frozen=True)
class WorkQueue:
    """One item of the work queue: a title, how many wait, and the oldest of them (or, for
    the matrix roles, how many wait per department id)."""

    key: str
    title: str
    count: int
    entries: tuple[QueueEntry, ...] = ()
    by_department: Mapping[int, int] | None = None
    more_url: str = ""  # the page that lists them all
    tone: str = "warn"  # the badge's tone when something waits


@dataclass(frozen=True)
class QueueSpec:
    """What ``load_queue`` needs besides the statement: the title, the order (oldest first),
    how a row becomes an entry, and the page listing them all."""

    key: str
    title: Any  # a lazy string
    order: Sequence[Any]
    entry: Callable[[Any], QueueEntry]
    more_url: Callable[[], str] = field(default=lambda: "")
    tone: str = "warn"


def is_matrix(user: User) -> bool:
    """Whether ``user`` sees the department × item matrix rather than lists."""
    return user.role in MATRIX_ROLES


def load_queue(
    *, session: Session, user: User, statement: Select[Any], spec: QueueSpec
) -> WorkQueue:
    """Run ``statement`` (rows waiting, already limited to the user's scope and joined to
    ``Outsourcing``) once and make the queue of ``spec``."""
    if is_matrix(user):
        # The same FROM and WHERE, counted per owning department.
        grouped = (
            statement.with_only_columns(
                Outsourcing.department_id, func.count(), maintain_column_froms=True
            )
            .group_by(Outsourcing.department_id)
            .order_by(None)
        )
        counts = {department: count for department, count in session.execute(grouped)}
        return WorkQueue(
            key=spec.key,
            title=str(spec.title),
            count=sum(counts.values()),
            by_department=counts,
            more_url=spec.more_url(),
            tone=spec.tone,
        )
    listed = (
        statement.add_columns(func.count().over().label("waiting"))
        .order_by(*spec.order)
        .limit(SHOWN)
    )
    rows = session.execute(listed).all()
    return WorkQueue(
        key=spec.key,
        title=str(spec.title),
        count=rows[0][-1] if rows else 0,
        entries=tuple(spec.entry(tuple(row)[:-1]) for row in rows),
        more_url=spec.more_url(),
        tone=spec.tone,
    )


def days_until(due: date | None, today: date) -> int | None:
    """Days from ``today`` to ``due`` (negative once passed; None without a date)."""
    return None if due is None else (due - today).days


__all__ = [
    "MATRIX_ROLES",
    "SHOWN",
    "QueueEntry",
    "QueueSpec",
    "WorkQueue",
    "days_until",
    "is_matrix",
    "load_queue",
]
