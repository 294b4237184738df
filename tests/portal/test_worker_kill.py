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


def test_sigkill_mid_analysis_then_exactly_one_result(tmp_path):
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE_DIR": str(tmp_path),
        "PORTAL_DATABASE_URL": url,
        "PORTAL_HUEY_PATH": str(tmp_path / "jobs.db"),
        "PORTAL_STORAGE_DIR": str(tmp_path / "storage"),
        "PORTAL_ANALYSIS_LEASE_SECONDS": "2",  # a dead worker's claim expires quickly here
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
                password="長くて安全なパスワードです",
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
