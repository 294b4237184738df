"""A page read by OCR with low confidence is named on the review page, and no clause decided
on it is shown without the warning."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import select

from contracts.ocr import DEFAULT_ENGINE, LOW_CONFIDENCE, ocr_available
from contracts.scansim import scan_pdf
from pdfgen import missing_tool, reportlab_pdf
from portal.config import ConfigError, load_config
from portal.models import Outsourcing, User
from portal.permissions import Role
from portal.reviews.models import ContractDocument
from portal.reviews.presenters import ocr_warnings
from portal_testing import csrf_token
from review_samples import STRONG

PAGE_WARNING = "このページは読み取りの信頼度が低いため、原本で確認してください"


@pytest.fixture(scope="module")
def strong_pdf() -> bytes:
    return reportlab_pdf(STRONG)


@pytest.fixture
def upload(app, client, login, factory, db_session):
    """Upload a PDF to an officer's outsourcing and run the worker: the analysed document."""
    huey = app.extensions["portal.huey"]
    huey.flush()
    officer = login(Role.STAFF)
    node = Outsourcing(
        task_name="住民税の課税資料入力業務",
        department_id=officer.department_id,
        vendor_id=factory.vendor().id,
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        status="active",
    )
    factory.session.add(node)
    factory.session.flush()
    node.root_id, node.path = node.id, f"/{node.id}/"
    factory.session.commit()

    def run(pdf: bytes) -> ContractDocument:
        client.post(
            f"/outsourcings/{node.id}/documents",
            data={
                "file": (io.BytesIO(pdf), "委託契約書.pdf"),
                "csrf_token": csrf_token(client, "/"),
            },
            content_type="multipart/form-data",
        )
        while (task := huey.dequeue()) is not None:
            assert huey.execute(task) == "done"
        db_session.expire_all()
        return db_session.exec(
            select(ContractDocument)
            .where(ContractDocument.outsourcing_id == node.id)
            .order_by(ContractDocument.version.desc())
        ).first()

    return run


@pytest.fixture
def analysed(upload, strong_pdf) -> ContractDocument:
    """An officer's contract (a text PDF), uploaded and analysed by the worker."""
    return upload(strong_pdf)


def _as_scanned(db_session, document: ContractDocument, *, confidence: float, low: bool) -> None:
    """Store the report as the analysis of a scan of the same contract would have made it."""
    report = dict(document.report)
    report["ocr"] = True
    report["ocr_pages"] = [{"page": 1, "confidence": confidence, "low": low}]
    for clause in report["clauses"]:
        for evidence in clause["evidence"]:
            evidence["ocr_confidence"] = confidence
    document.report = report
    flag_modified(document, "report")
    db_session.add(document)
    db_session.commit()


def test_a_low_confidence_page_is_named_and_every_clause_on_it_warned(client, analysed, db_session):
    _as_scanned(db_session, analysed, confidence=88.5, low=True)
    satisfied = [c["id"] for c in analysed.report["clauses"] if c["status"] == "satisfied"]
    assert satisfied
    html = client.get(f"/documents/{analysed.id}").get_data(as_text=True)
    assert 'id="ocr-warning"' in html
    assert PAGE_WARNING in html
    for clause_id in satisfied:  # a satisfied status never appears without the warning
        card = html.split(f'id="clause-{clause_id}"', 1)[1].split("</section>", 1)[0]
        assert "読み取りの信頼度が低いページ（1ページ）" in card, card
        assert "原本で確認してください" in card
    page = client.get(f"/documents/{analysed.id}/pages/1").get_data(as_text=True)
    assert PAGE_WARNING in page


def test_no_warning_for_a_confident_scan_or_a_text_pdf(client, analysed, db_session):
    html = client.get(f"/documents/{analysed.id}").get_data(as_text=True)
    assert PAGE_WARNING not in html and "ocr-uncertain" not in html
    _as_scanned(db_session, analysed, confidence=99.6, low=False)
    html = client.get(f"/documents/{analysed.id}").get_data(as_text=True)
    assert PAGE_WARNING not in html and "ocr-uncertain" not in html


def test_the_warning_is_translated(client, analysed, db_session):
    _as_scanned(db_session, analysed, confidence=80.0, low=True)
    officer = db_session.get(User, analysed.uploaded_by_id)
    officer.locale = "en"
    db_session.add(officer)
    db_session.commit()
    html = client.get(f"/documents/{analysed.id}").get_data(as_text=True)
    assert "This page was read with low confidence: check it against the original" in html
    assert "on a page read with low confidence (page 1)" in html


def test_ocr_warnings_presenter() -> None:
    report = {
        "ocr_pages": [
            {"page": 1, "confidence": 99.1, "low": False},
            {"page": 2, "confidence": 71.0, "low": True},
        ],
        "clauses": [
            {"id": "a", "evidence": [{"page": 1}, {"page": 2}]},
            {"id": "b", "evidence": [{"page": 1}]},
            {"id": "c", "evidence": []},
        ],
    }
    assert ocr_warnings(report) == {"pages": [2], "clauses": {"a": [2]}}
    assert ocr_warnings(None) == {"pages": [], "clauses": {}}


@pytest.mark.slow
@pytest.mark.parametrize("ocr_engine", ["ppocr", "tesseract"])
def test_the_worker_reads_a_stamped_scan_with_the_configured_engine(
    app, upload, strong_pdf, ocr_engine
):
    if not ocr_available(ocr_engine):
        missing_tool(f"OCR engine {ocr_engine} is not installed")
    app.config["ANALYSIS_OCR_ENGINE"] = ocr_engine
    document = upload(scan_pdf(strong_pdf, seed=9))
    report = document.report
    assert report["ocr"] is True
    [page] = report["ocr_pages"]
    assert page["page"] == 1 and 0 < page["confidence"] <= 100
    evidence = [e for c in report["clauses"] for e in c["evidence"]]
    assert evidence and all(e["ocr_confidence"] == page["confidence"] for e in evidence)
    assert page["low"] is (page["confidence"] < LOW_CONFIDENCE)


@pytest.mark.parametrize("value", ["", "ppocr", "Tesseract"])
def test_the_ocr_engine_setting(value):
    config = load_config({"PORTAL_ANALYSIS_OCR_ENGINE": value})
    assert config["ANALYSIS_OCR_ENGINE"] == (value.lower() or DEFAULT_ENGINE)


def test_an_unknown_ocr_engine_is_refused_at_start():
    with pytest.raises(ConfigError, match="PORTAL_ANALYSIS_OCR_ENGINE"):
        load_config({"PORTAL_ANALYSIS_OCR_ENGINE": "easyocr"})
