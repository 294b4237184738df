"""Time helpers: the database stores aware UTC timestamps; the UI shows Asia/Tokyo."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def utcnow() -> datetime:
    """The current time in UTC (timezone-aware), the form every timestamp column holds."""
    return datetime.now(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """A UTC timestamp converted to Japan time for display (naive values are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(JST)


def local_today() -> date:
    """Today in Japan (due dates are Japanese calendar days)."""
    return to_local(utcnow()).date()  # type: ignore[union-attr]
