"""Benchmark: planning the inspections of 10,000 outsourcings.

Target (issue "Inspections"): ≤ 2 s. Prints the time of ``portal.inspections.planner.plan``
for 1,000, 5,000 and 10,000 open inspections (spread over 40 departments and 120 inspectors,
a third with no inspector yet, due dates over the next year, 5% overdue), seconds per 1,000,
and the share of inspections placed.

    .venv/bin/python bench/bench_planner.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.inspections.planner import PlanItem, plan, working_days_of_month

TODAY = date(2026, 11, 24)


def items(n: int, seed: int = 7) -> list[PlanItem]:
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    made = []
    for i in range(n):
        due = TODAY + timedelta(
            days=rng.randint(-30, 365) if rng.random() < 0.05 else rng.randint(1, 365)
        )
        start = date(2026, 4, 1) - timedelta(days=rng.randint(0, 700))
        end = due + timedelta(days=rng.randint(-60, 700))
        inspector = rng.randint(1, 120) if rng.random() > 0.33 else None
        made.append(PlanItem(i, due, start, end, rng.randint(1, 40), inspector))
    return made


def main() -> None:
    working_days_of_month.cache_clear()
    for n in (1_000, 5_000, 10_000):
        batch = items(n)
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            proposals = plan(batch, today=TODAY)
            samples.append(time.perf_counter() - start)
        seconds = statistics.median(samples)
        print(
            f"inspections={n:6d}  plan={seconds:6.3f} s  per-1000={seconds / n * 1000:5.3f} s  "
            f"placed={len(proposals) / n:6.1%}  (target for 10,000: <= 2 s)"
        )


if __name__ == "__main__":
    main()
