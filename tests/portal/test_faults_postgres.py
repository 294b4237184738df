"""PostgreSQL stops in the middle of a request (a throwaway cluster this test starts and stops
with ``pg_ctl stop -m immediate``, the closest thing to pulling the plug).

The request answers 503 with a Japanese message and its request id, nothing it began is
written (no row, no stored file, no queued job), and once the cluster is back the same app
serves again, without a restart.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sized_pdfs import pdf_with_payload
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from portal import create_app, migrate
from portal.db import make_engine
from portal.permissions import Role
from portal.reviews.models import ContractDocument
from portal.storage import new_key_entry
from portal_testing import TEST_PASSWORD, base_config, need_service, sign_in

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
INITDB = ("--auth=trust", "-E", "UTF8", "--no-sync")


def _postgres_bin() -> Path | None:
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:``port``."""

    bin: Path
    data: Path
    port: int
    as_user: list[str]  # runuser prefix when the tests run as root (initdb refuses root)

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, f"{args[:2]} failed: {done.stdout}{done.stderr}"

    def start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "start",
            "-w",
            "-D",
            str(self.data),
            "-l",
            str(self.data.parent / "postgres.log"),
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data.parent}",
        )

    def stop(self) -> None:
        """Stop at once: backends are killed, nothing uncommitted survives."""
        self._run(str(self.bin / "pg_ctl"), "stop", "-w", "-m", "immediate", "-D", str(self.data))

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bin_dir = _postgres_bin()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        need_service("PostgreSQL binaries", "initdb/pg_ctl not found (apt install postgresql)")
    # Not under pytest's basetemp: that folder is private (0700) to the user running pytest.
    root = Path(tempfile.mkdtemp(prefix="itaku-pgcluster-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as postgres
        runuser = shutil.which("runuser")
        if runuser is None:
            need_service("runuser", "needed to run PostgreSQL as a non-root user")
        as_user = [runuser, "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    cluster = Cluster(bin=bin_dir, data=root / "data", port=_free_port(), as_user=as_user)
    subprocess.run(
        [*as_user, str(bin_dir / "initdb"), "-D", str(cluster.data), "-U", "postgres", *INITDB],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster.start()
    try:
        yield cluster
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "stop", "-m", "immediate", "-D", str(cluster.data)],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class World:
    app: object
    engine: Engine
    storage_dir: Path
    node_id: int
    officer_email: str
    token: str


@pytest.fixture(scope="module")
def world(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("pgapp")
    engine = make_engine(cluster.url)
    migrate.upgrade(engine)
    app = create_app(
        {
            **base_config(tmp),
            "DATABASE_URL": cluster.url,
            "DATABASE_ENGINE": engine,
            "STORAGE_BACKEND": "local",
            "STORAGE_KEY": new_key_entry(),
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        from portal.admin.operations import create_department, create_division, create_user
        from portal.api.operations import create_token
        from portal.db import db, transaction
        from portal.outsourcings import operations as chain

        with transaction() as session:
            division = create_division(session=session, name="総務部")
            department = create_department(session=session, division_id=division.id, name="総務課")
            officer = create_user(
                session=session,
                email="officer@city.example.jp",
                role=Role.STAFF,
                password=TEST_PASSWORD,
                department_id=department.id,
            ).user
            officer.must_change_password = False
            vendor = chain.create_vendor(
                session=session, name="株式会社停電", corporate_number="7000012050002"
            )
            node = chain.create_root(
                session=session,
                actor=officer,
                task_name="窓口業務",
                department_id=department.id,
                vendor_id=vendor.id,
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                data=chain.EntrustedData(categories="氏名", persons=10, scope_note="最小限"),
            )
            token = create_token(session=session, user=officer).secret
        node_id = node.id
        db.session.close()
    app.extensions["portal.huey"].flush()
    yield World(
        app=app,
        engine=engine,
        storage_dir=Path(app.config["STORAGE_DIR"]),
        node_id=node_id,
        officer_email="officer@city.example.jp",
        token=token,
    )
    engine.dispose()


def _stop_when(engine: Engine, cluster: Cluster, when: str, statement_start: str) -> Callable:
    """Stop the cluster just ``before`` or ``after`` the first statement starting so."""
    fired: list[str] = []

    def hook(_conn, _cursor, statement: str, *_rest) -> None:
        if not fired and statement.lstrip().upper().startswith(statement_start):
            fired.append(statement)
            cluster.stop()

    event.listen(engine, f"{when}_cursor_execute", hook)

    def remove() -> list[str]:
        event.remove(engine, f"{when}_cursor_execute", hook)
        return fired

    return remove


def _pdf(tag: str) -> io.BytesIO:
    # A readable PDF (uploads open it before storing), unique by its random payload.
    return io.BytesIO(pdf_with_payload(payload=tag.encode() + os.urandom(4096)))


def _stored_files(world: World) -> list[Path]:
    return [p for p in world.storage_dir.rglob("*") if p.is_file()]


def _documents(world: World) -> list[ContractDocument]:
    with Session(world.engine) as session:
        return list(session.exec(select(ContractDocument)).all())


def _wait_until_up(world: World, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with world.engine.connect():
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_postgres_stops_mid_request(cluster: Cluster, world: World) -> None:
    app = world.app
    api = app.test_client()
    auth = {"Authorization": f"Bearer {world.token}"}
    web = app.test_client()
    assert sign_in(web, world.officer_email).status_code == 302
    from portal_testing import csrf_token

    form_token = csrf_token(web, "/")

    # 1. The API upload: the file is stored, then the database dies before the INSERT.
    remove = _stop_when(world.engine, cluster, "before", "INSERT INTO CONTRACT_DOCUMENTS")
    try:
        response = api.post(
            f"/api/v1/outsourcings/{world.node_id}/documents",
            data={"file": (_pdf("api"), "契約.pdf")},
            headers=auth,
            content_type="multipart/form-data",
        )
    finally:
        assert remove(), "the request never reached the INSERT"
    assert response.status_code == 503
    body = response.get_json()
    assert "一時的に利用できません" in body["error"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert _stored_files(world) == []  # the stored file went with the rolled-back row
    cluster.start()
    _wait_until_up(world)
    assert _documents(world) == []

    # 2. The form upload: the INSERT has run when the database dies; the commit fails.
    remove = _stop_when(world.engine, cluster, "after", "INSERT INTO CONTRACT_DOCUMENTS")
    try:
        response = web.post(
            f"/outsourcings/{world.node_id}/documents",
            data={"file": (_pdf("web"), "契約書.pdf"), "csrf_token": form_token},
            content_type="multipart/form-data",
        )
    finally:
        assert remove(), "the request never reached the INSERT"
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "ただいま利用できません" in html and response.headers["X-Request-ID"] in html
    assert _stored_files(world) == []
    assert app.extensions["portal.huey"].pending_count() == 0  # no analysis queued

    # 3. Back up: the same app (same engine, same pool) serves again, nothing half-written.
    cluster.start()
    assert _documents(world) == []
    assert api.get("/api/v1/me", headers=auth).status_code == 200
    response = api.post(
        f"/api/v1/outsourcings/{world.node_id}/documents",
        data={"file": (_pdf("after"), "復旧後.pdf")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.get_data(as_text=True)
    assert [d.filename for d in _documents(world)] == ["復旧後.pdf"]
    assert len(_stored_files(world)) == 1
    assert web.get(f"/outsourcings/{world.node_id}/documents").status_code == 200
