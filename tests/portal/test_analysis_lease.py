"""The analysis claim is a short lease kept alive by a heartbeat: a slow analysis keeps its
document while a second worker tries to take it, and a worker that stalled past its lease
loses the document to the next one and its late result is dropped (exactly one result)."""

from __future__ import annotations

import io
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session

from pdfgen import reportlab_pdf
from portal import create_app, migrate
from portal.db import make_engine
from portal.outsourcings import operations as chain
from portal.permissions import Role
from portal.reviews import jobs
from portal.reviews.models import ContractDocument
from portal.reviews.operations import upload_document
from portal.storage import get_storage, new_key_entry
from portal.timeutil import utcnow
from review_samples import STRONG

LEASE = 2  # seconds: short, so that the test sees several leases go by


@pytest.fixture
def live(tmp_path):
    """An app on its own SQLite file (not the rolled-back test connection: the heartbeat
    renews the claim from a second thread on its own connection), with one uploaded PDF."""
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app(
        {
            "INSTANCE_DIR": str(tmp_path),
            "DATABASE_URL": url,
            "DATABASE_ENGINE": engine,
            "HUEY_SQLITE_PATH": str(tmp_path / "jobs.db"),
            "STORAGE_DIR": str(tmp_path / "storage"),
            "STORAGE_BACKEND": "local",
            "STORAGE_KEY": new_key_entry(),
            "REDIS_URL": None,
            "ANALYSIS_OCR": False,
            "ANALYSIS_LEASE_SECONDS": LEASE,
            "ANALYSIS_HEARTBEAT_SECONDS": 0.2,
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
    app.extensions["portal.huey"].flush()
    yield app, engine, document_id
    engine.dispose()


class _SlowAnalysis:
    """The real analysis, held at its start until released (as a long scan's OCR would be)."""

    def __init__(self, monkeypatch) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        real = jobs.analyse_pdf

        def slow(*args, **kwargs):
            self.started.set()
            assert self.release.wait(60)
            return real(*args, **kwargs)

        monkeypatch.setattr(jobs, "analyse_pdf", slow)


def _run_job(app, document_id: int, results: list) -> threading.Thread:
    def work() -> None:
        from portal.db import transaction

        with app.app_context(), transaction() as session:
            results.append(jobs.analyse_document(document_id, session=session))

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def _second_worker_claims(app, document_id: int) -> int | None:
    """The attempt number a second worker's claim gets, or None if it gets nothing."""
    from portal.db import transaction

    with app.app_context(), transaction() as session:
        claimed = jobs.claim_document(session=session, document_id=document_id)
        return None if claimed is None else claimed.attempts


def _document(engine, document_id: int) -> ContractDocument:
    with Session(engine) as session:
        return session.get(ContractDocument, document_id)


def test_a_slow_analysis_keeps_its_document_from_a_second_worker(live, monkeypatch):
    app, engine, document_id = live
    slow = _SlowAnalysis(monkeypatch)
    results: list = []
    first = _run_job(app, document_id, results)
    assert slow.started.wait(30)
    deadline = time.monotonic() + 3 * LEASE  # three leases go by while the analysis runs
    while time.monotonic() < deadline:
        assert _second_worker_claims(app, document_id) is None
        with app.app_context():
            from portal.db import transaction

            with transaction() as session:
                assert jobs.requeue_stale(session=session) == 0
        time.sleep(0.25)
    held = _document(engine, document_id)
    assert held.status == "running" and utcnow() - held.heartbeat_at < timedelta(seconds=1)
    slow.release.set()
    first.join(120)
    assert results == ["done"]
    done = _document(engine, document_id)
    assert (done.attempts, done.interruptions) == (1, 0)
    assert set(done.statuses.values()) == {"satisfied"}


def test_a_stalled_worker_loses_its_claim_and_its_late_result_is_dropped(live, monkeypatch):
    app, engine, document_id = live
    slow = _SlowAnalysis(monkeypatch)
    results: list = []
    stalled = _run_job(app, document_id, results)
    assert slow.started.wait(30)
    # The stalled worker's beats stop arriving (a frozen machine, a lost network): its last
    # one is now older than the lease, and a second worker takes the document over.
    with Session(engine) as session:
        session.execute(
            update(ContractDocument)
            .where(ContractDocument.id == document_id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=LEASE + 1))
        )
        session.commit()
    assert _second_worker_claims(app, document_id) == 2
    slow.release.set()
    stalled.join(120)
    assert results == ["superseded"]
    taken_over = _document(engine, document_id)
    assert taken_over.status == "running" and taken_over.report is None
    assert (taken_over.attempts, taken_over.interruptions) == (2, 1)


def test_the_page_says_an_analysis_was_interrupted_and_restarted(app, client, login, factory):
    from datetime import date as day

    from portal.models import Outsourcing

    officer = login(Role.STAFF)
    node = Outsourcing(
        task_name="課税資料入力",
        department_id=officer.department_id,
        vendor_id=factory.vendor().id,
        start_date=day(2026, 4, 1),
        end_date=day(2027, 3, 31),
        status="active",
    )
    factory.session.add(node)
    factory.session.flush()
    node.root_id, node.path = node.id, f"/{node.id}/"
    document = ContractDocument(
        outsourcing_id=node.id,
        filename="契約書.pdf",
        storage_key="documents/interrupted.pdf",
        sha256="0" * 64,
        size=1,
        uploaded_by_id=officer.id,
        status="running",
        stage="extracting",
        attempts=2,
        interruptions=1,
        heartbeat_at=utcnow(),
    )
    factory.session.add(document)
    factory.session.commit()
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "途中で停止したため、解析を最初からやり直しています（中断 1 回）" in page
    progress = client.get(f"/documents/{document.id}/progress.json").get_json()["progress"]
    assert progress["interruptions"] == 1 and "やり直しています" in progress["note"]
    document.status, document.stage = "done", "done"
    factory.session.add(document)
    factory.session.commit()
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "自動的に再開して最後まで行いました" in page
