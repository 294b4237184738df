"""The one reminder run: for every registered obligation kind, stamp (and e-mail) each
reminder its rule makes due today, once per owed row and kind.

The stamp is flushed before any mail leaves, so that the unique (row, kind) constraint stops a
second run (or a retried job) from sending it again; the portal lists the stamps, and e-mail
goes out only when SMTP is configured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from portal.mail import send_mail
from portal.models import Outsourcing, User
from portal.obligations.queries import holder_of
from portal.obligations.registry import ObligationKind, Recipients, registered_kinds
from portal.permissions import Role


def read_recipients(session: Session) -> Recipients:
    """The active users by department (officers), by vendor and by id, in one query."""
    officers: dict[int, list[str]] = {}
    vendor_users: dict[int, list[str]] = {}
    emails: dict[int, str] = {}
    for user in session.exec(select(User).where(User.active)).all():
        emails[user.id] = user.email  # type: ignore[index]
        if user.role in {Role.MANAGER, Role.STAFF} and user.department_id:
            officers.setdefault(user.department_id, []).append(user.email)
        elif user.role == Role.VENDOR and user.vendor_id:
            vendor_users.setdefault(user.vendor_id, []).append(user.email)
    return Recipients(officers, vendor_users, emails)


def send_kind_reminders(
    *,
    session: Session,
    kind: ObligationKind,
    today: date,
    config: Mapping[str, Any],
    recipients: Recipients | None = None,
) -> int:
    """Stamp (and e-mail) the reminders of one kind that are due today and not yet sent;
    returns how many."""
    model, stamp, holder = kind.model, kind.stamp_model, holder_of(kind)
    rows = session.exec(holder.rows(model, model.status.in_(kind.open_statuses))).all()
    sent = set(session.exec(select(getattr(stamp, kind.owner), stamp.kind)).all())
    book = recipients or read_recipients(session)
    count = 0
    for owed, *parts in rows:
        reminder = kind.reminders.rule.kind_for(due=kind.due_of(owed), today=today)
        if reminder is None or (owed.id, reminder) in sent:
            continue
        to = book.addresses(kind.reminders.to, owed, holder.party(tuple(parts)))
        session.add(stamp(**{kind.owner: owed.id}, kind=reminder, recipients=",".join(to)[:2000]))
        session.flush()  # the unique (row, kind) stamp before anything leaves
        fields = {
            "days": reminder,
            **holder.fields(tuple(parts)),
            "due": kind.due_of(owed).isoformat(),
        }
        subject, body = kind.reminders.mail(reminder, owed, fields)
        send_mail(config, to=to, subject=subject, body=body)
        count += 1
    return count


def send_due_reminders(
    *,
    session: Session,
    today: date,
    config: Mapping[str, Any],
    kinds: Iterable[ObligationKind] | None = None,
) -> dict[str, int]:
    """The reminder run over ``kinds`` (every registered kind by default): how many
    reminders each kind sent; idempotent."""
    book = read_recipients(session)
    return {
        kind.name: send_kind_reminders(
            session=session, kind=kind, today=today, config=config, recipients=book
        )
        for kind in (registered_kinds() if kinds is None else kinds)
    }


def recent_reminders(
    *, session: Session, kind: ObligationKind, owed_ids: list[int], today: date, days: int = 30
) -> list[tuple[Any, Any, Outsourcing]]:
    """Reminders of these owed rows (of a kind held by outsourcings) stamped in the last
    ``days`` days, newest first, each as (stamp, owed row, outsourcing)."""
    if not owed_ids:
        return []
    model, stamp = kind.model, kind.stamp_model
    owner = getattr(stamp, kind.owner)
    since = today - timedelta(days=days)
    rows = session.exec(
        select(stamp, model, Outsourcing)
        .join(model, model.id == owner)
        .join(Outsourcing, Outsourcing.id == model.outsourcing_id)
        .where(owner.in_(owed_ids))
        .order_by(stamp.sent_at.desc())
    ).all()
    return [tuple(row) for row in rows if row[0].sent_at.date() >= since]  # type: ignore[misc]
