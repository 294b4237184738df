"""Benchmark: the start page (each role's work queue) on a large tree.

Target (issue 13): with 5,000 outsourcings the home page renders in ≤ 150 ms, with one
statement per queue whatever the size of the tree.

    .venv/bin/python bench/bench_home.py [--nodes 5000] [--repeat 7]

Prints, for a staff member, a manager, the chief, the auditor and a vendor user of the demo,
the median time of ``/``, its SQL statements and the ratio to the same run's bare Flask page.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tree import build, count_statements, timed
from sqlmodel import Session, select

from portal import demo
from portal.models import User

ROLES = ("staff", "manager", "chief", "auditor", "vendor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, engine, total, _chief = build(args.nodes, Path(tmp))

        @app.route("/bench-bare")
        def bare() -> str:
            return "ok"

        bare.required_permission = None
        with Session(engine) as session:
            emails = {
                role: session.exec(
                    select(User.email).where(User.role == role).order_by(User.id)
                ).first()
                for role in ROLES
            }
        gc.collect()
        gc.freeze()  # as in production (portal/wsgi.py)
        worst = 0.0
        for role, email in emails.items():
            if email is None:
                continue
            client = app.test_client()
            client.post("/auth/login", data={"email": email, "password": demo.DEMO_PASSWORD})
            bare_ms = timed(client, "/bench-bare", args.repeat)
            statements = count_statements(engine, lambda c=client: c.get("/"))
            page_ms = timed(client, "/", args.repeat)
            worst = max(worst, page_ms)
            print(
                f"nodes={total:6d}  home[{role:7}] {page_ms:7.1f} ms  "
                f"sql-statements={statements:3d}  "
                f"bare-flask={bare_ms:5.2f} ms  ratio={page_ms / bare_ms:5.0f}x"
            )
        engine.dispose()
        print(f"slowest home page: {worst:.1f} ms ({'OK' if worst <= 150 else 'OVER'} ≤ 150 ms)")


if __name__ == "__main__":
    main()
