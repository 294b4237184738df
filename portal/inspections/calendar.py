"""The private iCalendar feed of planned inspections (RFC 5545), one URL per user.

The URL carries a random token; only its hash is stored. Creating a new URL ends the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import Session, delete, select

from portal.inspections.models import CalendarFeed, Inspection, InspectionStatus
from portal.inspections.queries import visible_inspections
from portal.models import Outsourcing, User, Vendor
from portal.timeutil import utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed_token(*, session: Session, user: User) -> str:
    """A new private feed token for ``user`` (the previous URL stops working); shown once."""
    session.exec(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))  # type: ignore[call-overload]
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    session.flush()
    return token


def user_for_feed(*, session: Session, token: str) -> User | None:
    """The active user whose feed token this is, or None."""
    feed = session.exec(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).first()
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    return user if user is not None and user.active else None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> Iterable[str]:
    """Lines of at most 75 octets, continuation lines starting with a space (RFC 5545 3.1)."""
    data, limit = line.encode(), 75
    while len(data) > limit:
        cut = limit
        while (data[cut] & 0xC0) == 0x80:  # never split inside a UTF-8 character
            cut -= 1
        yield data[:cut].decode()
        data, limit = data[cut:], 74
    yield data.decode()


def feed_ics(
    rows: Iterable[tuple[Inspection, Outsourcing, Vendor]],
    *,
    calendar_name: str,
    host: str,
    now: datetime | None = None,
) -> str:
    """The VCALENDAR text: one all-day event per planned inspection."""
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Itaku Portal//inspections//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
    ]
    for inspection, node, vendor in rows:
        day: date = inspection.planned_date  # type: ignore[assignment]
        lines += [
            "BEGIN:VEVENT",
            f"UID:inspection-{inspection.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'実地検査：{node.task_name}（{vendor.name}）')}",
            f"DESCRIPTION:{_escape(f'期限 {inspection.due_date.isoformat()}')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))


def planned_rows(*, session: Session, user: User) -> list[tuple[Inspection, Outsourcing, Vendor]]:
    """Planned inspections in the user's scope (an inspector's own, or the whole scope)."""
    statement = visible_inspections(user).where(
        Inspection.status == InspectionStatus.PLANNED, Inspection.planned_date.is_not(None)
    )
    return [tuple(row) for row in session.exec(statement.order_by(Inspection.planned_date)).all()]  # type: ignore[misc]
