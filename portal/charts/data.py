"""The figures behind the dashboard's pictures, within the user's scope, one query each.

Each function returns a ``Figure``: categories (months, quarters, clauses, tiers), one series
of counts per label, in the order the picture stacks them; the same figure fills the table
beside the picture and the Excel sheet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.incidents.models import Incident
from portal.inspections.models import OPEN_STATUSES, Inspection, InspectionStatus
from portal.models import Outsourcing, OutsourcingStatus, User
from portal.outsourcings.scope import visibility_clause
from portal.reports.models import ComplianceReport
from portal.reviews.home import newest_analysed_statuses
from portal.reviews.presenters import clause_titles, status_names
from portal.timeutil import to_local

#: The fiscal year's months, April first.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


@dataclass(frozen=True)
class Series:
    """One stacked part of a picture: its label, its colour and a count per category."""

    label: str
    color: str
    values: list[int]


@dataclass(frozen=True)
class Figure:
    """A picture's data: ``kind`` names it in URLs, ``categories`` run along the x axis."""

    kind: str
    title: str
    categories: list[str]
    series: list[Series]
    note: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)  # (label, value) under the table

    def totals(self) -> list[int]:
        """The sum of the series per category."""
        return [sum(values) for values in zip(*(s.values for s in self.series), strict=True)]


OK, WARN, BAD, MUTED, BLUE = "#1e7b34", "#c98a00", "#b3261e", "#8a94a6", "#1f5fa8"


def fiscal_year(today: date) -> int:
    """The fiscal year (April to March) ``today`` falls in, by the year it starts."""
    return today.year if today.month >= 4 else today.year - 1


def _fy_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def _month_index(day: date) -> int:
    return FISCAL_MONTHS.index(day.month)


def _month_labels() -> list[str]:
    return [_("%(m)d月", m=m) for m in FISCAL_MONTHS]


def inspections_by_month(*, session: Session, user: User, today: date) -> Figure:
    """Inspections of the fiscal year per month: done, planned (still ahead) and overdue."""
    start, end = _fy_bounds(fiscal_year(today))
    rows = session.exec(
        select(
            Inspection.status,
            Inspection.due_date,
            Inspection.planned_date,
            Inspection.completed_on,
        )
        .join(Outsourcing, Outsourcing.id == Inspection.outsourcing_id)
        .where(visibility_clause(user), Inspection.status != InspectionStatus.CANCELLED)
    ).all()
    done, planned, overdue = [0] * 12, [0] * 12, [0] * 12
    for status, due, planned_on, completed_on in rows:
        if status == InspectionStatus.COMPLETED and completed_on and start <= completed_on <= end:
            done[_month_index(completed_on)] += 1
        elif status in OPEN_STATUSES:
            when = planned_on or due
            if due < today and start <= due <= end:
                overdue[_month_index(due)] += 1
            elif start <= when <= end:
                planned[_month_index(when)] += 1
    return Figure(
        "inspections",
        _("%(year)d年度の実地検査（月別）", year=start.year),
        _month_labels(),
        [
            Series(_("実施済み"), OK, done),
            Series(_("予定"), BLUE, planned),
            Series(_("期限超過"), BAD, overdue),
        ],
        _("予定は実施予定日（未定のものは期限）の月、期限超過は期限の月に数えています。"),
    )


def clauses_across_contracts(*, session: Session, user: User) -> Figure:
    """The eight clauses across the current contracts (newest analysed version of each)."""
    titles = clause_titles()
    counts: dict[str, Counter[str]] = {clause_id: Counter() for clause_id in titles}
    contracts = 0
    for statuses in newest_analysed_statuses(session=session, user=user):
        contracts += 1
        for clause_id, status in (statuses or {}).items():
            counts.setdefault(clause_id, Counter())[status] += 1
    names = status_names()
    ids = list(counts)
    return Figure(
        "clauses",
        _("現在の契約書の8項目（%(n)d件）", n=contracts),
        [titles.get(clause_id, clause_id) for clause_id in ids],
        [
            Series(names["satisfied"], OK, [counts[c]["satisfied"] for c in ids]),
            Series(names["weak"], WARN, [counts[c]["weak"] for c in ids]),
            Series(names["missing"], BAD, [counts[c]["missing"] for c in ids]),
        ],
        _("契約中・承認済みの委託ごとに、解析済みの最新版を数えています（職員の判定を反映）。"),
    )


def reports_by_quarter(*, session: Session, user: User, today: date) -> Figure:
    """Periodic reports due in the fiscal year per quarter: on time, late, missing."""
    start, end = _fy_bounds(fiscal_year(today))
    rows = session.exec(
        select(ComplianceReport.due_date, ComplianceReport.submitted_at)
        .join(Outsourcing, Outsourcing.id == ComplianceReport.outsourcing_id)
        .where(
            visibility_clause(user),
            ComplianceReport.due_date >= start,
            ComplianceReport.due_date <= end,
        )
    ).all()
    on_time, late, missing = [0] * 4, [0] * 4, [0] * 4
    for due, submitted_at in rows:
        quarter = _month_index(due) // 3
        submitted = to_local(submitted_at).date() if submitted_at else None  # type: ignore[union-attr]
        if submitted is not None:
            (on_time if submitted <= due else late)[quarter] += 1
        elif due < today:
            missing[quarter] += 1
    return Figure(
        "reports",
        _("%(year)d年度の定期報告（四半期別、提出期限で分類）", year=start.year),
        [_("第%(n)d四半期", n=n) for n in range(1, 5)],
        [
            Series(_("期限内に提出"), OK, on_time),
            Series(_("期限後に提出"), WARN, late),
            Series(_("未提出（期限超過）"), BAD, missing),
        ],
        _("まだ期限の来ていない未提出の報告は数えていません。"),
    )


def incidents_by_month(*, session: Session, user: User, today: date) -> Figure:
    """Incidents the municipality learnt of per month of the fiscal year, those reported to
    the Personal Information Protection Commission apart."""
    start, end = _fy_bounds(fiscal_year(today))
    rows = session.exec(
        select(Incident.aware_on, Incident.commission_required)
        .join(Outsourcing, Outsourcing.id == Incident.outsourcing_id)
        .where(visibility_clause(user), Incident.aware_on >= start, Incident.aware_on <= end)
    ).all()
    commission, other = [0] * 12, [0] * 12
    for aware_on, required in rows:
        (commission if required else other)[_month_index(aware_on)] += 1
    return Figure(
        "incidents",
        _("%(year)d年度の漏えい等の事案（月別）", year=start.year),
        _month_labels(),
        [
            Series(_("個人情報保護委員会へ報告"), BAD, commission),
            Series(_("委員会への報告を要しない"), MUTED, other),
        ],
        _("市が事案を知った日の月に数えています。"),
    )


def chain_by_tier(*, session: Session, user: User, today: date) -> Figure:
    """Outsourcings in force per tier, and of tiers 2+ how many have a checked contract and
    an inspection done this fiscal year."""
    from portal.reviews.models import ContractDocument, DocumentStatus

    start, _end = _fy_bounds(fiscal_year(today))
    checked = (
        select(ContractDocument.id)
        .where(
            ContractDocument.outsourcing_id == Outsourcing.id,
            ContractDocument.status == DocumentStatus.DONE,
        )
        .exists()
    )
    inspected = (
        select(Inspection.id)
        .where(
            Inspection.outsourcing_id == Outsourcing.id,
            Inspection.status == InspectionStatus.COMPLETED,
            Inspection.completed_on >= start,
        )
        .exists()
    )
    rows = session.exec(
        select(Outsourcing.path, checked, inspected).where(
            visibility_clause(user),
            Outsourcing.status.in_((OutsourcingStatus.ACTIVE, OutsourcingStatus.APPROVED)),
        )
    ).all()
    tiers: Counter[int] = Counter()
    both = only_contract = only_inspection = neither = 0
    for path, has_contract, has_inspection in rows:
        tier = max(path.count("/") - 1, 1)
        tiers[tier] += 1
        if tier >= 2:
            if has_contract and has_inspection:
                both += 1
            elif has_contract:
                only_contract += 1
            elif has_inspection:
                only_inspection += 1
            else:
                neither += 1
    deepest = max(tiers, default=1)
    below = both + only_contract + only_inspection + neither
    share = f"{both / below:.0%}" if below else "—"
    return Figure(
        "chain",
        _("階層別の委託の数（契約中・承認済み）"),
        [_("第%(n)d階層", n=tier) for tier in range(1, deepest + 1)],
        [Series(_("委託の数"), BLUE, [tiers[tier] for tier in range(1, deepest + 1)])],
        _("第1階層は市との契約、第2階層以下は再委託です。"),
        [
            (_("第2階層以下の委託"), str(below)),
            (_("契約書の確認と今年度の実地検査がともに済んでいるもの"), f"{both}（{share}）"),
            (_("契約書の確認のみ"), str(only_contract)),
            (_("実地検査のみ"), str(only_inspection)),
            (_("どちらもまだ"), str(neither)),
        ],
    )


def all_figures(*, session: Session, user: User, today: date) -> list[Figure]:
    """Every picture of the dashboard, in the page's order."""
    return [
        inspections_by_month(session=session, user=user, today=today),
        clauses_across_contracts(session=session, user=user),
        reports_by_quarter(session=session, user=user, today=today),
        incidents_by_month(session=session, user=user, today=today),
        chain_by_tier(session=session, user=user, today=today),
    ]


def figure(kind: str, *, session: Session, user: User, today: date) -> Figure | None:
    """One picture's data by its ``kind`` (None when unknown)."""
    makers = {
        "inspections": lambda: inspections_by_month(session=session, user=user, today=today),
        "clauses": lambda: clauses_across_contracts(session=session, user=user),
        "reports": lambda: reports_by_quarter(session=session, user=user, today=today),
        "incidents": lambda: incidents_by_month(session=session, user=user, today=today),
        "chain": lambda: chain_by_tier(session=session, user=user, today=today),
    }
    maker = makers.get(kind)
    return maker() if maker else None
