"""A file that cannot be read is refused at upload: no row, no stored file, no version number
used, and a Japanese reason, through the page and through the API. A scan that opens but
yields no text is stored, and its analysis says so instead of listing eight missing clauses."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select
from unreadable_pdfs import blank_page_pdf, no_pages_pdf, truncated_pdf, unreadable_scan_pdf

from pdfgen import decompression_bomb_pdf, encrypted_pdf, reportlab_pdf
from portal.api.operations import create_token
from portal.models import Outsourcing
from portal.permissions import Role
from portal.reviews.models import ContractDocument
from portal_testing import csrf_token
from review_samples import STRONG

# (file, API code, a fragment of the Japanese reason)
UNREADABLE = {
    "truncated": (truncated_pdf, "broken_pdf", "壊れている"),
    "garbage": (lambda: b"%PDF-1.4\n" + b"garbage " * 200, "broken_pdf", "壊れている"),
    "encrypted": (encrypted_pdf, "encrypted", "パスワードで保護"),
    "no pages": (no_pages_pdf, "no_pages", "ページがありません"),
    "blank": (blank_page_pdf, "blank_pdf", "白紙"),
    "bomb": (decompression_bomb_pdf, "limit_exceeded", "時間またはメモリ"),
}


def _node(factory, department_id: int) -> Outsourcing:
    node = Outsourcing(
        task_name="住民税の課税資料入力業務",
        department_id=department_id,
        vendor_id=factory.vendor().id,
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        status="active",
    )
    factory.session.add(node)
    factory.session.flush()
    node.root_id, node.path = node.id, f"/{node.id}/"
    factory.session.commit()
    return node


@pytest.fixture
def officer_node(app, login, factory):
    app.extensions["portal.huey"].flush()
    officer = login(Role.STAFF)
    return officer, _node(factory, officer.department_id)


def _upload(client, node_id: int, data: bytes, name: str = "委託契約書.pdf"):
    return client.post(
        f"/outsourcings/{node_id}/documents",
        data={"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client, "/")},
        content_type="multipart/form-data",
    )


def _documents(db_session, node_id: int) -> list[ContractDocument]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(ContractDocument)
            .where(ContractDocument.outsourcing_id == node_id)
            .order_by(ContractDocument.version)
        ).all()
    )


def _stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _run_jobs(app) -> list:
    huey = app.extensions["portal.huey"]
    results = []
    while (task := huey.dequeue()) is not None:
        results.append(huey.execute(task))
    return results


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_the_page_refuses_an_unreadable_pdf_and_stores_nothing(
    app, client, officer_node, db_session, kind
):
    make, _code, fragment = UNREADABLE[kind]
    _officer, node = officer_node
    response = _upload(client, node.id, make())
    assert response.status_code == 302
    assert _documents(db_session, node.id) == []
    assert _stored_files(app) == []
    assert app.extensions["portal.huey"].pending_count() == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert fragment in page


def test_a_refused_file_uses_no_version_number(app, client, officer_node, db_session):
    _officer, node = officer_node
    assert _upload(client, node.id, reportlab_pdf(STRONG)).status_code == 302
    _upload(client, node.id, truncated_pdf())
    assert [d.version for d in _documents(db_session, node.id)] == [1]
    assert _upload(client, node.id, reportlab_pdf(STRONG, header="改定版")).status_code == 302
    assert [d.version for d in _documents(db_session, node.id)] == [1, 2]
    assert len(_stored_files(app)) == 2


def test_more_pages_than_the_limit_are_refused(app, client, officer_node, db_session):
    _officer, node = officer_node
    app.config["ANALYSIS_MAX_PAGES"] = 1
    long_contract = reportlab_pdf(STRONG + "\n" + STRONG.replace("。", "。\n") * 3)
    page = client.get(_upload(client, node.id, long_contract).headers["Location"])
    assert "ページ数が上限（1ページ）を超えている" in page.get_data(as_text=True)
    assert _documents(db_session, node.id) == [] and _stored_files(app) == []


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_the_api_refuses_an_unreadable_pdf_with_a_japanese_error(
    app, client, factory, db_session, kind
):
    make, code, fragment = UNREADABLE[kind]
    app.extensions["portal.huey"].flush()
    officer = factory.user(Role.STAFF)
    node = _node(factory, officer.department_id)
    secret = create_token(session=factory.session, user=officer).secret
    factory.session.commit()
    response = client.post(
        f"/api/v1/outsourcings/{node.id}/documents",
        data={"file": (io.BytesIO(make()), "contract.pdf")},
        headers={"Authorization": f"Bearer {secret}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == code and fragment in body["error"]
    assert _documents(db_session, node.id) == [] and _stored_files(app) == []


def test_a_scan_without_legible_text_is_stored_and_said_to_be_unreadable(
    app, client, officer_node, db_session
):
    from pdfgen import tesseract_ready

    _officer, node = officer_node
    if not tesseract_ready():
        pytest.skip("tesseract with Japanese data is not installed")
    response = _upload(client, node.id, unreadable_scan_pdf(), name="スキャン.pdf")
    assert response.status_code == 302
    [document] = _documents(db_session, node.id)
    assert document.version == 1 and len(_stored_files(app)) == 1
    assert _run_jobs(app) == ["failed"]
    [document] = _documents(db_session, node.id)
    assert document.error_code == "empty" and document.report is None
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "文字を読み取れませんでした" in page
    assert 'class="card clause-card' not in page and "欠落" not in page
    versions = client.get(f"/outsourcings/{node.id}/documents").get_data(as_text=True)
    assert "文字を読み取れませんでした" in versions


def test_a_scan_with_only_a_few_legible_characters_is_not_eight_missing_clauses(
    app, client, officer_node, db_session
):
    from pdfgen import scanned_pdf, tesseract_ready

    _officer, node = officer_node
    if not tesseract_ready():
        pytest.skip("tesseract with Japanese data is not installed")
    # A cover sheet scanned on its own: it is read, but it is no contract text.
    _upload(client, node.id, scanned_pdf("送付状\n契約書在中", max_pages=1), name="表紙.pdf")
    assert _run_jobs(app) == ["failed"]
    [document] = _documents(db_session, node.id)
    assert document.error_code == "empty" and document.report is None
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "文字を読み取れませんでした" in page and 'class="card clause-card' not in page
