"""The incident rules as plain functions (no Flask, no database): whether the 個人情報保護委員会
must be told (個人情報保護法第68条第1項 for 行政機関等), by when, who escalates to whom, and
which departments run similar work."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# The facts of an incident that can oblige a report, in the order the UI lists them.
TRIGGERS = ("special_care", "financial_harm", "wrongful_purpose", "persons", "ordinance_designated")


@dataclass(frozen=True)
class IncidentFacts:
    """What is known of a leak, loss or damage: the inputs of the Commission decision."""

    persons: int = 0
    special_care: bool = False
    financial_harm: bool = False
    wrongful_purpose: bool = False
    ordinance_designated: bool = False


@dataclass(frozen=True)
class CommissionRule:
    """The profile's ``[incident.commission]`` table."""

    triggers: tuple[str, ...] = TRIGGERS
    persons_threshold: int = 100
    first_report_days: int = 5
    first_report_guidance: str = ""
    final_report_days: int = 30
    final_report_days_wrongful: int = 60
    legal_basis: str = ""

    @classmethod
    def from_profile(cls, table: Mapping[str, Any]) -> CommissionRule:
        """The rule of a profile's ``incident.commission`` table (validated by the profile)."""
        return cls(
            triggers=tuple(table.get("triggers", TRIGGERS)),
            persons_threshold=int(table.get("persons_threshold", 100)),
            first_report_days=int(table.get("first_report_days", 5)),
            first_report_guidance=str(table.get("first_report_guidance", "")),
            final_report_days=int(table.get("final_report_days", 30)),
            final_report_days_wrongful=int(table.get("final_report_days_wrongful", 60)),
            legal_basis=str(table.get("legal_basis", "")),
        )

    def reasons(self, facts: IncidentFacts) -> tuple[str, ...]:
        """The triggers (in ``TRIGGERS`` order) that the facts meet; empty: no report needed."""
        met = {
            "special_care": facts.special_care,
            "financial_harm": facts.financial_harm,
            "wrongful_purpose": facts.wrongful_purpose,
            # "100人を超える": more than the threshold, so 100 is not enough and 101 is.
            "persons": facts.persons > self.persons_threshold,
            "ordinance_designated": facts.ordinance_designated,
        }
        return tuple(t for t in TRIGGERS if t in self.triggers and met[t])

    def deadlines(self, *, aware_on: date, wrongful_purpose: bool) -> Deadlines:
        """The first (target) and final report deadlines, counted in calendar days from the
        day the municipality became aware (知った日)."""
        final_days = self.final_report_days_wrongful if wrongful_purpose else self.final_report_days
        return Deadlines(
            first=aware_on + timedelta(days=self.first_report_days),
            final=aware_on + timedelta(days=final_days),
            final_days=final_days,
        )


@dataclass(frozen=True)
class Deadlines:
    """When the 速報 (a target: 速やかに) and the 確報 (a legal limit) are due."""

    first: date
    final: date
    final_days: int


def deadline_state(*, due: date, filed_on: date | None, today: date) -> str:
    """ "met" (filed by the deadline), "late" (filed after it), "overdue" (not filed, past it),
    or "pending" (not filed, still in time)."""
    if filed_on is not None:
        return "met" if filed_on <= due else "late"
    return "overdue" if today > due else "pending"


REMINDER_DAYS_BEFORE_FINAL = 7


def reminder_kinds(
    *, deadlines: Deadlines, first_filed: bool, final_filed: bool, today: date
) -> list[str]:
    """The reminders due today: "first" (the 速報 target has come), "final_7" (a week before
    the 確報 deadline), "final_overdue"; each is sent once, so the caller skips sent ones."""
    kinds = []
    if not first_filed and today >= deadlines.first:
        kinds.append("first")
    if not final_filed:
        if today > deadlines.final:
            kinds.append("final_overdue")
        elif (deadlines.final - today).days <= REMINDER_DAYS_BEFORE_FINAL:
            kinds.append("final_7")
    return kinds


# -- escalation ------------------------------------------------------------------------------


def step_roles(chain: Sequence[str], role_titles: Mapping[str, str]) -> list[str | None]:
    """For each title of the escalation chain, the portal role that carries it (or None for a
    title no portal user holds, such as 最高情報セキュリティ責任者 or 市長)."""
    by_title = {title: role for role, title in role_titles.items()}
    return [by_title.get(title) for title in chain]


def escalating_role(chain: Sequence[str], role_titles: Mapping[str, str], level: int) -> str | None:
    """Who moves an incident from step ``level`` to the next: the role of the highest step at
    or below ``level`` that a portal user holds (so the chief records the report to 市長);
    None at the top of the chain."""
    if level >= len(chain) - 1:
        return None
    roles = step_roles(chain, role_titles)
    for index in range(level, -1, -1):
        if roles[index] is not None:
            return roles[index]
    return None


# -- similar work ----------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[、,，・/／;；\s()（）]+")
_STOP = {"等", "その他", "など", "の"}


def categories(text: str) -> set[str]:
    """The personal-information categories of an outsourcing (``氏名、住所、…``) as a set."""
    return {part for part in _SEPARATORS.split(text or "") if part and part not in _STOP}


def similar_work(
    *,
    vendor_id: int,
    task_name: str,
    pi_categories: str,
    candidate: tuple[int, str, str],
    min_shared_categories: int = 2,
) -> str | None:
    """Why another outsourcing (``(vendor_id, task_name, pi_categories)``) runs work similar
    to the incident's: "vendor" (the same contractor), "task" (the same task name), or
    "categories" (at least ``min_shared_categories`` personal-information categories in
    common); None when it does not."""
    other_vendor, other_task, other_categories = candidate
    if other_vendor == vendor_id:
        return "vendor"
    if task_name.strip() and other_task.strip() == task_name.strip():
        return "task"
    if len(categories(pi_categories) & categories(other_categories)) >= min_shared_categories:
        return "categories"
    return None


def first_reason(reasons: Iterable[str | None]) -> str | None:
    """The strongest reason among several (vendor, then task, then categories)."""
    found = {r for r in reasons if r}
    return next((r for r in ("vendor", "task", "categories") if r in found), None)
