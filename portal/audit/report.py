"""The auditors' analysis of a period: off-hours access, denials and attempts outside one's
scope, unusual volumes, bulk-download warnings. The classification itself is pure."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import jpholiday
from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.audit.models import AccessEvent
from portal.timeutil import to_local

WORK_START_HOUR = 8
WORK_END_HOUR = 20
# A day is unusual when it is this many times the user's median day (and not tiny) …
VOLUME_MEDIAN_FACTOR = 3
VOLUME_MIN_EVENTS = 20


def is_off_hours(moment: datetime) -> bool:
    """Outside 8:00–20:00 Japan time on a weekday that is not a national holiday."""
    local = to_local(moment)
    assert local is not None
    if local.weekday() >= 5 or jpholiday.is_holiday(local.date()):
        return True
    return not (WORK_START_HOUR <= local.hour < WORK_END_HOUR)


@dataclass
class UserFinding:
    actor_id: int | None
    actor_label: str
    count: int
    examples: list[AccessEvent] = field(default_factory=list)


@dataclass
class VolumeFinding:
    actor_id: int | None
    actor_label: str
    day: date
    count: int
    median: float


@dataclass
class AuditReport:
    since: datetime
    until: datetime
    total: int = 0
    off_hours: list[UserFinding] = field(default_factory=list)
    denials: list[UserFinding] = field(default_factory=list)
    volumes: list[VolumeFinding] = field(default_factory=list)
    bulk_warnings: list[AccessEvent] = field(default_factory=list)


def _volume_threshold() -> int:
    return int(current_app.config.get("AUDIT_DAILY_VOLUME_THRESHOLD", 500))


def unusual_days(
    per_day: dict[date, int], *, threshold: int, factor: int = VOLUME_MEDIAN_FACTOR
) -> list[tuple[date, int, float]]:
    """Days whose count passes ``threshold`` or is ``factor`` times the median day."""
    if not per_day:
        return []
    median = statistics.median(per_day.values())
    return [
        (day, count, median)
        for day, count in sorted(per_day.items())
        if count > threshold or (count >= VOLUME_MIN_EVENTS and count > factor * median)
    ]


def analyse(*, session: Session, since: datetime, until: datetime) -> AuditReport:
    """The report over ``since`` ≤ occurred_at < ``until``."""
    report = AuditReport(since=since, until=until)
    off: dict[int | None, UserFinding] = {}
    denied: dict[int | None, UserFinding] = {}
    daily: dict[tuple[int | None, str], Counter[date]] = defaultdict(Counter)
    events = session.exec(
        select(AccessEvent)
        .where(AccessEvent.occurred_at >= since, AccessEvent.occurred_at < until)
        .order_by(AccessEvent.seq)
        .execution_options(yield_per=1000)
    )
    for event in events:
        report.total += 1
        key = event.actor_id
        label = event.actor_label or "-"
        if event.actor_id is not None and is_off_hours(event.occurred_at):
            finding = off.setdefault(key, UserFinding(key, label, 0))
            finding.count += 1
            if len(finding.examples) < 5:
                finding.examples.append(event)
        if event.outcome == "denied":
            # A failed sign-in has no actor: group those by the address instead.
            dkey = key if key is not None else f"address:{event.address}"
            finding = denied.setdefault(
                dkey,  # type: ignore[arg-type]
                UserFinding(key, label if key is not None else f"{label} ({event.address})", 0),
            )
            finding.count += 1
            if len(finding.examples) < 5:
                finding.examples.append(event)
        if event.actor_id is not None:
            local = to_local(event.occurred_at)
            assert local is not None
            daily[(key, label)][local.date()] += 1
        if event.action == "bulk_download.warning":
            report.bulk_warnings.append(event)
    report.off_hours = sorted(off.values(), key=lambda f: -f.count)
    report.denials = sorted(denied.values(), key=lambda f: -f.count)
    threshold = _volume_threshold()
    for (actor_id, label), per_day in daily.items():
        for day, count, median in unusual_days(per_day, threshold=threshold):
            report.volumes.append(VolumeFinding(actor_id, label, day, count, median))
    report.volumes.sort(key=lambda v: (-v.count, v.day))
    return report


def summary_text(report: AuditReport) -> str:
    """The report as plain text for the weekly mail."""

    def section(title: str, items: list[str]) -> list[str]:
        return [title, *(items or ["  -"])]

    since, until = to_local(report.since), to_local(report.until)
    assert since is not None and until is not None
    lines = [
        _(
            "期間: %(since)s 〜 %(until)s（記録 %(total)d 件）",
            since=since.strftime("%Y-%m-%d %H:%M"),
            until=until.strftime("%Y-%m-%d %H:%M"),
            total=report.total,
        ),
        "",
        *section(
            _("■ 時間外のアクセス"), [f"  {f.actor_label}: {f.count}" for f in report.off_hours]
        ),
        *section(
            _("■ 拒否・範囲外へのアクセス試行"),
            [f"  {f.actor_label}: {f.count}" for f in report.denials],
        ),
        *section(
            _("■ 通常より多いアクセス"),
            [f"  {v.actor_label} {v.day}: {v.count} (median {v.median:g})" for v in report.volumes],
        ),
        *section(
            _("■ 大量ダウンロードの警告"),
            [
                f"  {e.actor_label} {to_local(e.occurred_at):%Y-%m-%d %H:%M}"
                for e in report.bulk_warnings
            ],
        ),
    ]
    return "\n".join(str(line) for line in lines)
