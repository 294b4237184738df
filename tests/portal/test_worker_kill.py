"""A real `portal worker` is killed with SIGKILL in the middle of an analysis; after a restart
the analysis runs again and exactly one result exists."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from pdfgen import reportlab_pdf
from portal import create_app, migrate
from portal.db import make_engine
from portal.outsourcings import operations as chain
from portal.permissions import Role
from portal.reviews.models import ContractDocument
from portal.reviews.operations import upload_document
from portal.storage import get_storage, new_key_entry
from review_samples import STRONG

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "長くて安全なパスワードです"
pytestmark = pytest.mark.slow


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        # The default worker type, as `make worker` and the service run it.
        [sys.executable, "-m", "portal.cli", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _document(engine, document_id: int) -> ContractDocument:
    with Session(engine) as session:
        return session.get(ContractDocument, document_id)


def _wait(engine, document_id: int, statuses: set[str], seconds: float) -> ContractDocument:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        document = _document(engine, document_id)
        if document.status in statuses:
            return document
        time.sleep(0.05)
    pytest.fail(f"document {document_id} never reached {statuses} (is {document.status})")


def _portal_with_one_upload(tmp_path: Path, *, lease: int) -> tuple[dict[str, str], Any, Any, int]:
    """A portal on its own SQLite file with one uploaded contract: (worker env, engine, app,
    document id)."""
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE_DIR": str(tmp_path),
        "PORTAL_DATABASE_URL": url,
        "PORTAL_HUEY_PATH": str(tmp_path / "jobs.db"),
        "PORTAL_STORAGE_DIR": str(tmp_path / "storage"),
        "PORTAL_ANALYSIS_LEASE_SECONDS": str(lease),
        "PORTAL_ANALYSIS_OCR": "0",
        "PORTAL_STORAGE_KEY": new_key_entry(),  # the same key for this process and the worker
    }
    env.pop("PORTAL_REDIS_URL", None)
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app(
        {
            "INSTANCE_DIR": str(tmp_path),
            "DATABASE_URL": url,
            "DATABASE_ENGINE": engine,
            "HUEY_SQLITE_PATH": env["PORTAL_HUEY_PATH"],
            "STORAGE_DIR": env["PORTAL_STORAGE_DIR"],
            "REDIS_URL": None,
            "STORAGE_BACKEND": "local",
            "STORAGE_KEY": env["PORTAL_STORAGE_KEY"],
            "TOTP_REQUIRED": False,  # the review page is read by a password-only sign-in
        }
    )
    with app.app_context():
        from portal.admin.operations import create_department, create_division, create_user
        from portal.db import db, transaction

        with transaction() as session:
            division = create_division(session=session, name="総務部")
            department = create_department(session=session, division_id=division.id, name="総務課")
            officer = create_user(
                session=session,
                email="o@city.example.jp",
                role=Role.STAFF,
                password=PASSWORD,
                department_id=department.id,
            ).user
            vendor = chain.create_vendor(
                session=session, name="株式会社A", corporate_number="7000012050002"
            )
            node = chain.create_root(
                session=session,
                actor=officer,
                task_name="業務",
                department_id=department.id,
                vendor_id=vendor.id,
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                data=chain.EntrustedData(categories="氏名", persons=10, scope_note="最小限"),
            )
            document = upload_document(
                session=session,
                storage=get_storage(),
                actor=officer,
                outsourcing=node,
                stream=io.BytesIO(reportlab_pdf(STRONG)),
                filename="契約書.pdf",
            )
        document_id = document.id
        db.session.close()

    return env, engine, app, document_id


def test_sigkill_mid_analysis_then_exactly_one_result(tmp_path):
    # A dead worker's claim expires quickly here.
    env, engine, _app, document_id = _portal_with_one_upload(tmp_path, lease=2)

    worker = _worker(env)
    try:
        running = _wait(engine, document_id, {"running", "done"}, 60)
        assert running.status == "running", "the analysis finished before it could be interrupted"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    interrupted = _document(engine, document_id)
    assert interrupted.status == "running" and interrupted.report is None
    time.sleep(2.5)  # the claim's lease runs out

    worker = _worker(env)
    try:
        done = _wait(engine, document_id, {"done", "failed"}, 180)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    assert done.status == "done", done.error_message
    assert done.attempts == 2  # claimed by the killed worker, then by the restarted one
    assert done.statuses and set(done.statuses.values()) == {"satisfied"}
    with Session(engine) as session:
        assert len(session.exec(select(ContractDocument)).all()) == 1


def _kill_mid_analysis(env: dict[str, str], engine, document_id: int) -> None:
    worker = _worker(env)
    try:
        running = _wait(engine, document_id, {"running", "done"}, 60)
        assert running.status == "running", "the analysis finished before it could be interrupted"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)


def test_a_killed_analysis_resumes_within_two_minutes_of_a_new_worker(tmp_path):
    # The production lease is a minute; 20 s keeps the test short while the new worker still
    # starts well inside the dead worker's lease (so no sleep hides the wait).
    lease = 20
    env, engine, app, document_id = _portal_with_one_upload(tmp_path, lease=lease)
    env["PORTAL_ANALYSIS_HEARTBEAT_SECONDS"] = "1"
    _kill_mid_analysis(env, engine, document_id)
    interrupted = _document(engine, document_id)
    assert interrupted.status == "running" and interrupted.report is None

    started = time.monotonic()  # at once: the dead worker's lease still runs
    worker = _worker(env)
    try:
        done = _wait(engine, document_id, {"done", "failed"}, 120)
        took = time.monotonic() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    print(f"killed analysis done {took:.1f} s after the new worker started (lease {lease} s)")
    assert done.status == "done", done.error_message
    assert took < 120 and took > lease - 5, took  # resumed when the lease ran out, not later
    assert (done.attempts, done.interruptions) == (2, 1)
    assert set(done.statuses.values()) == {"satisfied"}
    with Session(engine) as session:
        assert len(session.exec(select(ContractDocument)).all()) == 1

    from portal_testing import sign_in

    client = app.test_client()
    sign_in(client, "o@city.example.jp", PASSWORD)
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "途中で中断されましたが、自動的に再開" in page
    progress = client.get(f"/documents/{document_id}/progress.json").get_json()
    assert progress["progress"]["interruptions"] == 1
