"""What a dispatch contract must satisfy, as plain functions (no Flask, no database)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

MAX_WORKERS = 100_000


@dataclass(frozen=True)
class DispatchFacts:
    """The facts of a dispatch contract as entered (a form, a ledger row)."""

    contract_number: str
    work: str
    period_start: date | None
    period_end: date | None
    workers: int | None
    trained_on: date | None = None


def normalise_number(text: str) -> str:
    """A contract number as stored: NFKC (full-width digits), no surrounding spaces."""
    return unicodedata.normalize("NFKC", text).strip()


def problems(facts: DispatchFacts) -> list[tuple[str, str]]:
    """(field, problem code) for every rule the facts break; empty when they are sound.

    Codes: number_missing, work_missing, start_missing, end_missing, end_before_start,
    workers_missing, workers_range."""
    out: list[tuple[str, str]] = []
    if not normalise_number(facts.contract_number):
        out.append(("contract_number", "number_missing"))
    if not facts.work.strip():
        out.append(("work", "work_missing"))
    if facts.period_start is None:
        out.append(("period_start", "start_missing"))
    if facts.period_end is None:
        out.append(("period_end", "end_missing"))
    if facts.period_start and facts.period_end and facts.period_end < facts.period_start:
        out.append(("period_end", "end_before_start"))
    if facts.workers is None:
        out.append(("workers", "workers_missing"))
    elif not 1 <= facts.workers <= MAX_WORKERS:
        out.append(("workers", "workers_range"))
    return out


def training_due(trained_on: date | None, period_start: date, today: date) -> bool:
    """Whether the dispatched workers' training (第8条) is still to be recorded: none is
    recorded and the dispatch has begun."""
    return trained_on is None and period_start <= today
