"""Load test: 50 users against gunicorn on 127.0.0.1 with the demo data, then the same users
against a bare Flask page on the same gunicorn settings; every request must succeed.

    .venv/bin/python bench/bench_load.py                 # 5 minutes, SQLite, as in the README
    .venv/bin/python bench/bench_load.py --duration 30   # a quick run
    .venv/bin/python bench/bench_load.py --database-url postgresql+psycopg://…/itaku_bench

What it does, all on loopback, in a throwaway folder: migrates a fresh database
(``portal db upgrade``), loads the demo (``portal demo load --nodes N``), adds bench accounts
(officers of every department and role, vendor users with API tokens) and a few contracts,
starts gunicorn with ``infra/gunicorn.conf.py`` and a ``portal worker`` (uploads are
analysed, as in production), and runs ``bench/locustfile.py`` headless: 45 officers browsing
and 5 vendor users uploading. Then the bare page, with the same users and think time.

Prints requests/s, p50/p95/p99 and failures per endpoint, and the ratio to the bare page.
Exits non-zero if any request failed. The login limit per address is raised for the run (all
50 users come from 127.0.0.1); every other limit stays as configured.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(folder: Path, database_url: str | None) -> dict[str, str]:
    from portal.storage import new_key_entry

    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "PORTAL_ENV": "development",
            "PORTAL_INSTANCE_DIR": str(folder / "instance"),
            "PORTAL_DATABASE_URL": database_url or f"sqlite:///{folder / 'portal.db'}",
            "PORTAL_HUEY_PATH": str(folder / "jobs.db"),
            "PORTAL_STORAGE_DIR": str(folder / "storage"),
            "PORTAL_STORAGE_KEY": new_key_entry("bench"),
            "PORTAL_SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "PORTAL_LOGIN_LIMIT_ADDRESS": "10000 per 10 minutes",
            "PORTAL_DEMO": "1",
        }
    )
    return env


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own commands


def prepare(env: dict[str, str], folder: Path, officers: int, vendors: int) -> dict[str, Any]:
    """Bench accounts, tokens and a few contracts; the pages each account may open."""
    import random

    from sqlmodel import select

    os.environ.update(env)
    from pdfgen import reportlab_pdf
    from portal import create_app
    from portal.admin.operations import create_user
    from portal.api.operations import create_token
    from portal.auth import totp
    from portal.auth.operations import complete_totp_enrolment, pending_totp_secret
    from portal.db import transaction
    from portal.models import Department, Outsourcing
    from portal.outsourcings.scope import visible_outsourcings
    from portal.permissions import Role
    from portal.reviews.models import ContractDocument
    from portal.reviews.operations import can_upload, upload_document
    from portal.storage import get_storage
    from review_samples import STRONG

    sys.path.insert(0, str(ROOT / "bench"))
    from load_pages import PAGES

    pdf = reportlab_pdf(STRONG)
    (folder / "contract.pdf").write_bytes(pdf)
    rng = random.Random(8)  # noqa: S311 - benchmark data
    password = "bench-" + os.urandom(8).hex()
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context(), transaction() as session:
        departments = session.exec(select(Department)).all()
        nodes = session.exec(select(Outsourcing)).all()
        by_id = {node.id: node for node in nodes}
        roles = [Role.STAFF, Role.STAFF, Role.MANAGER, Role.CHIEF, Role.AUDITOR]
        officer_users = []
        for n in range(officers):
            role = roles[n % len(roles)]
            officer_users.append(
                create_user(
                    session=session,
                    email=f"bench-officer{n}@bench.example.jp",
                    role=role,
                    password=password,
                    department_id=rng.choice(departments).id
                    if role in {Role.STAFF, Role.MANAGER}
                    else None,
                ).user
            )
        # Officers use a second factor (the profile requires it): each enrols now, with the
        # code its authenticator showed a step ago, and the load users compute theirs.
        keys = totp.KeyRing.from_config(
            totp_keys=app.config["TOTP_KEY"], secret_key=app.config["SECRET_KEY"]
        )
        secrets: dict[str, str] = {}
        for user in officer_users:
            secret = pending_totp_secret(session=session, user=user, keys=keys)
            earlier = totp.code_at(secret, datetime.now(UTC) - timedelta(seconds=30))
            enrolled = complete_totp_enrolment(
                session=session, user=user, keys=keys, code=earlier, current=None
            )
            assert enrolled is not None, f"bench enrolment failed for {user.email}"
            secrets[user.email] = secret
        # Vendors that hold a node with children: they upload those subcontracts.
        held_by: dict[int, list[int]] = {}
        for node in nodes:
            parent = by_id.get(node.parent_id) if node.parent_id else None
            if parent is not None and node.status != "ended":
                held_by.setdefault(parent.vendor_id, []).append(node.id)
        vendor_accounts = []
        for n, (vendor_id, _children) in enumerate(
            sorted(held_by.items(), key=lambda item: -len(item[1]))[:vendors]
        ):
            user = create_user(
                session=session,
                email=f"bench-vendor{n}@bench.example.jp",
                role=Role.VENDOR,
                password=password,
                vendor_id=vendor_id,
            ).user
            targets = [
                child
                for child in held_by[vendor_id]
                if can_upload(user, by_id[child], by_id[by_id[child].parent_id])
            ]
            token = create_token(session=session, user=user, label="bench").secret
            vendor_accounts.append({"email": user.email, "token": token, "targets": targets})
        # Contracts to review: one for a sample of the nodes.
        uploader = next(u for u in officer_users if u.role == Role.STAFF)
        for number, node in enumerate(rng.sample(nodes, min(40, len(nodes)))):
            upload_document(
                session=session,
                storage=get_storage(),
                actor=uploader,
                outsourcing=node,
                stream=io.BytesIO(pdf + f"\n% seed {number}\n".encode()),
                filename="委託契約書.pdf",
            )
        session.flush()
        documents = session.exec(select(ContractDocument)).all()
        officer_accounts: list[dict[str, Any]] = []
        for user in officer_users:
            visible = [node.id for node in session.exec(visible_outsourcings(user)).all()]
            shown = set(visible)
            officer_accounts.append(
                {
                    "email": user.email,
                    "totp_secret": secrets[user.email],
                    "role": user.role,
                    "outsourcings": visible,
                    "documents": [d.id for d in documents if d.outsourcing_id in shown],
                }
            )

    # Which pages each role may open: each is requested once; the rest are left out.
    allowed: dict[str, list[str]] = {}
    for account in officer_accounts:
        if not account["outsourcings"]:
            raise SystemExit(f"{account['email']} sees no outsourcing: widen the demo data")
        key = f"{account['role']}:{bool(account['documents'])}"
        if key not in allowed:
            client = app.test_client()
            form = client.get("/auth/login").get_data(as_text=True)
            csrf = form.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
            signed = client.post(
                "/auth/login",
                data={"email": account["email"], "password": password, "csrf_token": csrf},
            )
            assert signed.status_code == 302, f"bench sign-in failed for {account['email']}"
            if signed.headers["Location"].startswith("/auth/second-factor"):
                page = client.get("/auth/second-factor").get_data(as_text=True)
                csrf = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"')[0]
                code = totp.code_at(account["totp_secret"], datetime.now(UTC))
                proved = client.post("/auth/second-factor", data={"code": code, "csrf_token": csrf})
                assert (
                    proved.status_code == 302 and "second-factor" not in proved.headers["Location"]
                ), f"bench second factor failed for {account['email']}"
            allowed[key] = []
            for page in PAGES:
                path = page.path.format(
                    outsourcing=account["outsourcings"][0],
                    document=(account["documents"] or [0])[0],
                )
                status = client.get(path).status_code
                if status == 200:
                    allowed[key].append(page.name)
                else:
                    print(f"  page {page.name} ({path}) left out for {account['role']}: {status}")
        account["pages"] = allowed[key]
    return {
        "password": password,
        "pdf": str(folder / "contract.pdf"),
        "officers": officer_accounts,
        "vendors": vendor_accounts,
        "nodes": len(nodes),
    }


def empty_database(url: str) -> None:
    """The PostgreSQL database named on the command line, emptied for the run."""
    from sqlalchemy import text

    from portal.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def analyses(url: str) -> dict[str, int]:
    """How many contracts the worker analysed, failed, or still has queued."""
    from sqlalchemy import text

    from portal.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, COUNT(*) FROM contract_documents GROUP BY status"))
        counts = {status: count for status, count in rows}
    engine.dispose()
    return counts


class Server:
    """gunicorn with the production settings, its own port, logs into the run's folder."""

    def __init__(self, app: str, env: dict[str, str], folder: Path, name: str) -> None:
        self.port = free_port()
        self.log = folder / f"{name}.log"
        logs = ["--capture-output", "--access-logfile", str(folder / f"{name}-access.log")]
        logs.append("--error-logfile")
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [str(BIN / "gunicorn"), "-c", "infra/gunicorn.conf.py", app, *logs, str(self.log)],
            cwd=ROOT,
            env={**env, "PORTAL_BIND": f"127.0.0.1:{self.port}"},
            start_new_session=True,
        )
        self.app = app
        self.warm_up()

    def warm_up(self, seconds: float = 180) -> None:
        """Wait until every worker has loaded the app: the master opens the port at once,
        each worker accepts only once booted, so rounds of parallel requests must all be
        answered quickly before the load starts."""
        deadline = time.monotonic() + seconds
        fast_rounds = 0
        with ThreadPoolExecutor(max_workers=10) as pool:
            while fast_rounds < 3:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit(f"gunicorn for {self.app} did not start, see {self.log}")
                times = list(pool.map(self._probe, range(20)))
                fast_rounds = fast_rounds + 1 if max(times) < 1.0 else 0
                time.sleep(0.2)

    def _probe(self, _n: int) -> float:
        started = time.perf_counter()
        try:
            with urlopen(f"{self.url}/", timeout=5) as response:  # noqa: S310 - loopback http
                response.read()
        except HTTPError:
            pass  # answered (the portal's / redirects signed-out visitors to sign in)
        except OSError:
            return float("inf")
        return time.perf_counter() - started

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def locust(
    host: str, classes: list[str], users: int, seconds: int, prefix: Path, env: dict[str, str]
) -> list[dict[str, str]]:
    """Run locust headless; its CSV statistics, one row per endpoint plus "Aggregated".

    Users arrive over the first fifth of the run (at most one a second), as people sign in
    over a morning rather than all in the same second.
    """
    rate = max(users / (seconds * 0.2), 1.0)
    scenario = ["-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", host]
    load = ["-u", str(users), "-r", f"{rate:.2f}", "-t", f"{seconds}s"]
    output = ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    subprocess.run(  # noqa: S603 - our own command
        [str(BIN / "locust"), *scenario, *load, *output, *classes],
        cwd=ROOT,
        env=env,
        check=False,
    )
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def figures(rows: list[dict[str, str]], seconds: int) -> list[tuple]:
    table = []
    for row in rows:
        table.append(
            (
                row["Name"],
                int(row["Request Count"]),
                int(row["Failure Count"]),
                float(row["Requests/s"]),
                float(row["50%"]),
                float(row["95%"]),
                float(row["99%"]),
            )
        )
    return table


def print_table(title: str, table: list[tuple]) -> None:
    print(f"\n{title}")
    head = f"{'requests':>8} {'failed':>6} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7}"
    print(f"  {'endpoint':26} {head}")
    for name, count, failed, rate, p50, p95, p99 in table:
        print(
            f"  {name:26} {count:8d} {failed:6d} {rate:7.1f} {p50:5.0f}ms {p95:5.0f}ms {p99:5.0f}ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=300, help="seconds of load (default 300)")
    parser.add_argument(
        "--bare-duration", type=int, default=None, help="default: min(duration, 60)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--nodes", type=int, default=0, help="also generate N outsourcings")
    parser.add_argument(
        "--database-url", help="PostgreSQL instead of SQLite (the database is emptied first)"
    )
    parser.add_argument("--no-worker", action="store_true", help="leave uploads unanalysed")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs)")
    args = parser.parse_args()
    bare_seconds = args.bare_duration or min(args.duration, 60)

    folder = Path(tempfile.mkdtemp(prefix="itaku-load-"))
    env = portal_env(folder, args.database_url)
    processes: list[Any] = []
    try:
        if args.database_url:
            empty_database(args.database_url)
        run([str(BIN / "portal"), "db", "upgrade"], env)
        run([str(BIN / "portal"), "demo", "load", "--nodes", str(args.nodes)], env)
        plan = prepare(env, folder, officers=args.users - args.users // 10, vendors=5)
        (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        locust_env = {**env, "BENCH_LOAD_PLAN": str(folder / "plan.json")}
        print(
            f"instance: {plan['nodes']} outsourcings, {len(plan['officers'])} officers, "
            f"{len(plan['vendors'])} vendors; gunicorn with infra/gunicorn.conf.py"
        )

        portal = Server("portal.wsgi:app", env, folder, "portal")
        processes.append(portal)
        if not args.no_worker:
            worker = subprocess.Popen(  # noqa: S603 - our own command
                [str(BIN / "portal"), "worker", "--workers", "1"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=(folder / "worker.log").open("w"),
                stderr=subprocess.STDOUT,
            )
            processes.append(worker)
        portal_rows = locust(
            portal.url,
            ["OfficerUser", "VendorUser"],
            args.users,
            args.duration,
            folder / "portal",
            locust_env,
        )
        portal.stop()
        analysed = analyses(env["PORTAL_DATABASE_URL"])

        bare = Server("bench.bare_app:app", env, folder, "bare")
        processes.append(bare)
        bare_rows = locust(
            bare.url, ["BareUser"], args.users, bare_seconds, folder / "bare", locust_env
        )
        bare.stop()
    finally:
        for process in reversed(processes):
            process.stop() if isinstance(process, Server) else stop(process)

    portal_table = figures(portal_rows, args.duration)
    bare_table = figures(bare_rows, bare_seconds)
    print_table(f"portal, {args.users} users, {args.duration} s", portal_table)
    print_table(f"bare Flask page, {args.users} users, {bare_seconds} s", bare_table)
    total = next(row for row in portal_table if row[0] == "Aggregated")
    base = next(row for row in bare_table if row[0] == "Aggregated")
    print(
        f"\nportal: {total[3]:.1f} req/s, p95 {total[5]:.0f} ms; bare Flask: {base[3]:.1f} req/s, "
        f"p95 {base[5]:.0f} ms; ratio: throughput {total[3] / base[3]:.2f}×, "
        f"p95 {total[5] / max(base[5], 1):.1f}×"
    )
    print(
        "contracts (40 loaded before the run, the rest uploaded during it): "
        + ", ".join(f"{status} {count}" for status, count in sorted(analysed.items()))
    )
    failed = total[2] + base[2]
    if not args.no_worker and analysed.get("failed"):
        print(f"FAILED: {analysed['failed']} analyses failed, see {folder / 'worker.log'}")
        failed += analysed["failed"]
    if args.keep or failed:
        print(f"logs: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    if failed:
        for prefix in ("portal", "bare"):
            failures = folder / f"{prefix}_failures.csv"
            if failures.exists():
                print(failures.read_text(encoding="utf-8"))
        print(f"FAILED: {failed} request(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
