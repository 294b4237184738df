"""Benchmark: the pages that grow with the tree, rendered on the server.

Target (issue "The subcontract chain"): with 5,000 nodes the tree page renders in ≤ 150 ms on
this machine, cost growing linearly with the nodes shown, with no query per node. Issue #8:
no page gets slower than linear in the size of the tree it shows (the ledger and the
inspections list too).

    .venv/bin/python bench/bench_tree.py [--sizes 500,1000,2000,5000] [--repeat 7]

Prints, for the chief (sees everything) at each size, the median time of each page, µs per
node (flat when linear), the number of SQL statements per request (constant: no query per
node), and the same run's bare Flask page as a baseline ratio.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PORTAL_RATELIMIT_ENABLED", "0")
# The demo accounts have no second factor: the page is measured, not the sign-in.
os.environ.setdefault("PORTAL_TOTP_REQUIRED", "0")

from sqlalchemy import event
from sqlmodel import Session, select

from portal import create_app, demo, migrate
from portal.db import make_engine
from portal.inspections.operations import sync_inspections
from portal.models import Outsourcing, User


def build(nodes: int, directory: Path):
    url = f"sqlite:///{directory / f'bench_{nodes}.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app(
        {
            "DATABASE_URL": url,
            "DATABASE_ENGINE": engine,
            "INSTANCE_DIR": str(directory),
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context(), Session(engine) as session:
        demo.load(session=session)
        existing = len(session.exec(select(Outsourcing.id)).all())
        if nodes > existing:
            demo.load_large(session=session, nodes=nodes - existing)
            sync_inspections(session=session, today=date.today())  # one per active node
        session.commit()
        total = len(session.exec(select(Outsourcing.id)).all())
        chief = session.exec(select(User).where(User.role == "chief")).first()
    return app, engine, total, chief.email


def count_statements(engine, action) -> int:
    """How many SQL statements ``action`` sends (no query per node: a constant)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def timed(client, path: str, repeat: int) -> float:
    client.get(path)  # warm caches (templates, statements)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples) * 1000


PAGES = {"tree": "/outsourcings/tree", "ledger": "/ledger/", "inspections": "/inspections/"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,1000,2000,5000", help="tree sizes (nodes)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    per_node: dict[str, list[float]] = {name: [] for name in PAGES}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            app, engine, total, chief = build(size, Path(tmp))

            @app.route("/bench-bare")
            def bare() -> str:
                return "ok"

            bare.required_permission = None
            # As in production (portal/wsgi.py): long-lived start-up objects leave the
            # collector's generations, so a big page does not pay to re-scan them.
            gc.collect()
            gc.freeze()
            client = app.test_client()
            client.post("/auth/login", data={"email": chief, "password": demo.DEMO_PASSWORD})
            bare_ms = timed(client, "/bench-bare", args.repeat)
            for name, path in PAGES.items():
                count = count_statements(engine, lambda c=client, p=path: c.get(p))
                page_ms = timed(client, path, args.repeat)
                html = client.get(path).get_data(as_text=True)
                per_node[name].append(page_ms / total * 1000)
                print(
                    f"nodes={total:6d}  {name:11} {page_ms:7.1f} ms  "
                    f"per-node={page_ms / total * 1000:5.1f} µs  sql-statements={count:3d}  "
                    f"bare-flask={bare_ms:5.2f} ms  ratio={page_ms / bare_ms:6.0f}x  "
                    f"html={len(html) / 1024:.0f} KiB"
                )
            engine.dispose()
            gc.unfreeze()
    print()
    for name, values in per_node.items():
        # Linear: the cost per node does not grow with the tree (the smallest size also
        # carries the fixed cost of a request, so its per-node figure is the highest).
        growth = values[-1] / values[0]
        verdict = "linear" if growth <= 1.25 else "SLOWER THAN LINEAR"
        print(f"{name:11} µs per node from {sizes[0]} to {sizes[-1]}: ×{growth:.2f}  {verdict}")


if __name__ == "__main__":
    main()
