"""Contract review: upload, storage, the analysis job, the review page, flow-down, the API."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlmodel import select

from pdfgen import decompression_bomb_pdf, encrypted_pdf, reportlab_pdf
from portal.api.operations import create_token
from portal.models import Outsourcing
from portal.permissions import Role
from portal.reviews.models import ClauseReview, ContractDocument
from portal_testing import csrf_token
from review_samples import STRONG, WEAKER


@pytest.fixture(scope="module")
def strong_pdf() -> bytes:
    return reportlab_pdf(STRONG)


@pytest.fixture(scope="module")
def weaker_pdf() -> bytes:
    return reportlab_pdf(WEAKER)


def _node(factory, *, department_id: int, vendor_id: int, parent: Outsourcing | None = None):
    node = Outsourcing(
        task_name="住民税の課税資料入力業務" if parent is None else "入力作業の再委託",
        department_id=department_id,
        vendor_id=vendor_id,
        parent_id=parent.id if parent else None,
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        status="active",
    )
    factory.session.add(node)
    factory.session.flush()
    node.root_id = parent.root_id if parent else node.id
    node.path = f"{parent.path if parent else '/'}{node.id}/"
    factory.session.commit()
    return node


def _upload(client, node_id: int, data: bytes, name: str = "委託契約書.pdf", page: str = "/"):
    return client.post(
        f"/outsourcings/{node_id}/documents",
        data={"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client, page)},
        content_type="multipart/form-data",
    )


def run_jobs(app) -> list:
    """Run every queued job in this process, as the worker would."""
    huey = app.extensions["portal.huey"]
    results = []
    while (task := huey.dequeue()) is not None:
        results.append(huey.execute(task))
    return results


def _documents(db_session, node_id: int) -> list[ContractDocument]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(ContractDocument)
            .where(ContractDocument.outsourcing_id == node_id)
            .order_by(ContractDocument.version)
        ).all()
    )


@pytest.fixture
def officer_node(app, client, login, factory):
    app.extensions["portal.huey"].flush()
    officer = login(Role.STAFF)
    return officer, _node(
        factory, department_id=officer.department_id, vendor_id=factory.vendor().id
    )


def test_officer_uploads_and_the_worker_checks_the_eight_clauses(
    app, client, officer_node, db_session, strong_pdf
):
    from clauses import check

    _officer, node = officer_node
    response = _upload(client, node.id, strong_pdf)
    assert response.status_code == 302
    [document] = _documents(db_session, node.id)
    assert document.status == "queued" and document.filename == "委託契約書.pdf"
    assert document.storage_key.startswith("documents/") and "委託" not in document.storage_key
    assert document.size == len(strong_pdf)

    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "解析の順番を待っています" in page and "<script>" not in page
    assert run_jobs(app) == ["done"]
    [document] = _documents(db_session, node.id)
    assert document.status == "done" and document.report["file"] == "委託契約書.pdf"
    expected = {c.id: c.status for c in check(strong_pdf).clauses}
    assert document.statuses == expected
    assert list(expected.values()).count("satisfied") >= 6

    progress = client.get(f"/documents/{document.id}/progress.json").get_json()
    assert progress["status"] == "done" and progress["progress"]["stage"] == "done"
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert page.count('class="card clause-card') == 8 and "第2条" in page


def test_the_same_file_twice_is_recognised(app, client, officer_node, db_session, strong_pdf):
    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    response = _upload(client, node.id, strong_pdf, name="写し.pdf")
    [document] = _documents(db_session, node.id)
    assert response.headers["Location"].endswith(f"/documents/{document.id}")
    assert "第1版として登録済み" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_new_version_is_an_amendment(
    app, client, officer_node, db_session, strong_pdf, weaker_pdf
):
    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    _upload(client, node.id, weaker_pdf, name="変更契約書.pdf")
    run_jobs(app)
    first, second = _documents(db_session, node.id)
    assert (first.version, first.kind, second.version, second.kind) == (
        1,
        "original",
        2,
        "amendment",
    )
    page = client.get(f"/documents/{second.id}").get_data(as_text=True)
    assert "前の版（第1版）との比較" in page and "後退" in page


def test_non_pdf_is_refused_before_storage(client, officer_node, db_session, app, tmp_path):
    _officer, node = officer_node
    response = _upload(client, node.id, b"MZ\x90\x00 not a contract", name="evil.exe")
    assert response.status_code == 302
    assert _documents(db_session, node.id) == []
    assert "PDFファイルではありません" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_too_large_is_413_in_japanese(app, client, officer_node):
    _officer, node = officer_node
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    response = _upload(client, node.id, b"%PDF-1.7\n" + b"0" * 60_000)
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.get_data(as_text=True)


def test_download_is_an_attachment_that_is_never_rendered(
    client, officer_node, db_session, strong_pdf
):
    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    [document] = _documents(db_session, node.id)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == 200 and response.data == strong_pdf
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E5%A7%94%E8%A8%97" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(
    ("make", "code", "fragment"),
    [
        (encrypted_pdf, "encrypted", "パスワードで保護"),
        (lambda: decompression_bomb_pdf(), "limit_exceeded", "制限"),
        (lambda: b"%PDF-1.4\n" + b"garbage " * 200, "broken_pdf", "壊れ"),
    ],
    ids=["encrypted", "bomb", "broken"],
)
def test_bad_input_ends_in_a_japanese_status(
    app, client, officer_node, db_session, make, code, fragment, monkeypatch
):
    from portal.reviews import operations

    _officer, node = officer_node
    # Uploads refuse these files now (test_review_refusals.py); the worker must still end in
    # a clear status for one stored without that check (before it existed, or by a restore).
    monkeypatch.setattr(operations, "check_readable", lambda data, *, max_pages: None)
    _upload(client, node.id, make())
    assert run_jobs(app) == ["failed"]
    [document] = _documents(db_session, node.id)
    assert document.error_code == code, document.error_message
    assert fragment in document.error_message
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "解析できませんでした" in page


def test_too_many_pages_fails_clearly(app, client, officer_node, db_session, strong_pdf):
    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    app.config["ANALYSIS_MAX_PAGES"] = 0  # lowered after the upload (which checks it too)
    assert run_jobs(app) == ["failed"]
    [document] = _documents(db_session, node.id)
    assert document.error_code in {"too_many_pages", "limit_exceeded"}


def test_the_job_is_idempotent(app, client, officer_node, db_session, strong_pdf):
    from portal.reviews.jobs import analyse_document

    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    assert run_jobs(app) == ["done"]
    [document] = _documents(db_session, node.id)
    first = dict(document.report)
    with app.app_context():
        from portal.db import transaction

        with transaction() as session:
            assert analyse_document(document.id, session=session) == "skipped"
    [again] = _documents(db_session, node.id)
    assert again.report == first and again.attempts == 1


def test_officer_overrides_a_status_with_a_reason(
    app, client, officer_node, db_session, strong_pdf
):
    officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    run_jobs(app)
    [document] = _documents(db_session, node.id)
    token = csrf_token(client, f"/documents/{document.id}")
    url = f"/documents/{document.id}/clauses/security"
    client.post(url, data={"status": "weak", "reason": "", "csrf_token": token})
    assert db_session.exec(select(ClauseReview)).all() == []
    client.post(
        url, data={"status": "weak", "reason": "努力義務にとどまるため", "csrf_token": token}
    )
    [review] = db_session.exec(select(ClauseReview)).all()
    assert (review.status, review.reviewed_by_id, review.reason) == (
        "weak",
        officer.id,
        "努力義務にとどまるため",
    )
    [document] = _documents(db_session, node.id)
    assert document.statuses["security"] == "weak"
    tree = client.get(f"/outsourcings/tree?root={node.id}").get_data(as_text=True)
    assert "契約書 不十分" in tree


def test_vendor_uploads_its_subcontract_and_flow_down_is_flagged(
    app, client, factory, db_session, strong_pdf, weaker_pdf
):
    from portal_testing import sign_in

    app.extensions["portal.huey"].flush()
    officer = factory.user(Role.STAFF)
    vendor_user = factory.user(Role.VENDOR)
    root = _node(factory, department_id=officer.department_id, vendor_id=vendor_user.vendor_id)
    child = _node(
        factory,
        department_id=officer.department_id,
        vendor_id=factory.vendor().id,
        parent=root,
    )
    sign_in(client, vendor_user.email)
    # The vendor holds the root: it may not upload the municipality's contract itself ...
    assert _upload(client, root.id, strong_pdf).status_code == 403
    # ... but it uploads the subcontract it signed.
    assert _upload(client, child.id, weaker_pdf).status_code == 302
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, officer.email)
    tree = client.get(f"/outsourcings/tree?root={root.id}").get_data(as_text=True)
    assert "再委託契約書なし" in tree  # not analysed yet
    _upload(client, root.id, strong_pdf)
    run_jobs(app)
    tree = client.get(f"/outsourcings/tree?root={root.id}").get_data(as_text=True)
    assert "再委託元より弱い契約" in tree
    [document] = _documents(db_session, child.id)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "再委託元の契約との比較" in page and "再委託元より弱い" in page


def test_documents_outside_the_scope_are_404(app, client, login, factory, officer_node, strong_pdf):
    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    other = factory.user(Role.STAFF)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    from portal_testing import sign_in

    sign_in(client, other.email)
    doc = factory.session.exec(
        select(ContractDocument).where(ContractDocument.outsourcing_id == node.id)
    ).one()
    assert client.get(f"/documents/{doc.id}").status_code == 404
    assert client.get(f"/documents/{doc.id}/download").status_code == 404
    assert client.get(f"/documents/{doc.id}/progress.json").status_code == 404


def test_api_upload_and_result(app, client, factory, db_session, strong_pdf):
    from clauses import check

    app.extensions["portal.huey"].flush()
    officer = factory.user(Role.STAFF)
    node = _node(factory, department_id=officer.department_id, vendor_id=factory.vendor().id)
    secret = create_token(session=factory.session, user=officer).secret
    factory.session.commit()
    auth = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/outsourcings/{node.id}/documents"
    response = client.post(
        url,
        data={"file": (io.BytesIO(b"hello"), "a.txt")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "PDF" in response.get_json()["error"]
    response = client.post(
        url,
        data={"file": (io.BytesIO(strong_pdf), "契約.pdf")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 202
    document_id = response.get_json()["id"]
    body = client.get(f"/api/v1/documents/{document_id}", headers=auth).get_json()
    assert body["status"] == "queued" and body["clauses"] is None
    run_jobs(app)
    body = client.get(f"/api/v1/documents/{document_id}", headers=auth).get_json()
    assert body["status"] == "done" and body["error"] is None
    assert {c["id"]: c["status"] for c in body["clauses"]} == {
        c.id: c.status for c in check(strong_pdf).clauses
    }
    assert set(body["clauses"][0]) == {"id", "status", "evidence", "notes"}
    again = client.post(
        url,
        data={"file": (io.BytesIO(strong_pdf), "契約.pdf")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert again.status_code == 409 and again.get_json()["id"] == document_id


def test_an_officer_reanalyses_a_failed_document_once(
    app, client, officer_node, db_session, strong_pdf
):
    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    app.config["ANALYSIS_MAX_PAGES"] = 0  # lowered after the upload (which checks it too)
    assert run_jobs(app) == ["failed"]
    [document] = _documents(db_session, node.id)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "再解析する" in page
    app.config["ANALYSIS_MAX_PAGES"] = 200  # e.g. the administrator raised the limit
    url = f"/documents/{document.id}/reanalyse"
    token = csrf_token(client, f"/documents/{document.id}")
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    [document] = _documents(db_session, node.id)
    assert (document.status, document.error_code) == ("queued", "")
    assert "解析中です" in client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert run_jobs(app) == ["done"]  # asked twice, analysed once
    [document] = _documents(db_session, node.id)
    assert document.status == "done" and document.attempts == 2


def test_reanalysis_keeps_the_officers_decisions(app, client, officer_node, db_session, strong_pdf):
    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    run_jobs(app)
    [document] = _documents(db_session, node.id)
    token = csrf_token(client, f"/documents/{document.id}")
    client.post(
        f"/documents/{document.id}/clauses/security",
        data={"status": "missing", "reason": "別紙が添付されていないため", "csrf_token": token},
    )
    client.post(f"/documents/{document.id}/reanalyse", data={"csrf_token": token})
    assert run_jobs(app) == ["done"]
    [document] = _documents(db_session, node.id)
    assert document.statuses["security"] == "missing"
    assert document.report["clauses"][3]["id"] == "security"


def test_reanalysis_is_only_for_the_owning_officers(
    app, client, officer_node, db_session, factory, strong_pdf
):
    from portal_testing import sign_in

    _officer, node = officer_node
    _upload(client, node.id, strong_pdf)
    run_jobs(app)
    [document] = _documents(db_session, node.id)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, factory.user(Role.STAFF).email)  # an officer of another department
    response = client.post(
        f"/documents/{document.id}/reanalyse", data={"csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 404
    [document] = _documents(db_session, node.id)
    assert document.status == "done"


def test_a_scanned_pdf_without_ocr_fails_in_japanese(app, client, officer_node, db_session):
    from pdfgen import scanned_pdf
    from review_samples import STRONG as text

    _officer, node = officer_node
    app.config["ANALYSIS_OCR"] = False  # e.g. Tesseract is not installed on this worker
    _upload(client, node.id, scanned_pdf(text, max_pages=1))
    assert run_jobs(app) == ["failed"]
    [document] = _documents(db_session, node.id)
    assert document.error_code == "ocr_unavailable"
    assert "文字認識（OCR）が利用できない" in document.error_message
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "解析できませんでした" in page and "文字認識" in page
