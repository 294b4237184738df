"""The pages the load test's officers open (``bench/locustfile.py``), with their weights.

To add a page (e.g. the periodic reports), add a ``Page``. Before the load, the runner
(``bench/bench_load.py``) requests each page once per role and leaves out those a role may not
open, so a page that does not exist yet is reported and skipped instead of failing the run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A page officers open: ``path`` may name ``{outsourcing}`` or ``{document}``."""

    name: str
    path: str
    weight: int


PAGES = [
    Page("dashboard", "/", 1),
    Page("tree", "/outsourcings/tree", 4),
    Page("outsourcing", "/outsourcings/{outsourcing}", 3),
    Page("documents", "/outsourcings/{outsourcing}/documents", 2),
    Page("review", "/documents/{document}", 2),
    Page("inspections", "/inspections/", 2),
    Page("ledger", "/ledger/", 1),
    Page("reports", "/reports/", 1),  # periodic reports (issue #8): used once the page exists
]
