"""The page image of a contract with the evidence sentence highlighted: made by the worker in
the sandbox, kept encrypted, shown in the document's scope with private caching."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlmodel import select

from pdfgen import reportlab_pdf
from portal.models import Outsourcing
from portal.permissions import Role
from portal.reviews.models import ContractDocument, DocumentPage
from portal_testing import csrf_token, sign_in
from review_samples import STRONG

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def strong_pdf() -> bytes:
    return reportlab_pdf(STRONG)


def _run_jobs(app) -> list:
    huey = app.extensions["portal.huey"]
    results = []
    while (task := huey.dequeue()) is not None:
        results.append(huey.execute(task))
    return results


@pytest.fixture
def analysed(app, client, login, factory, db_session, strong_pdf):
    """An officer's outsourcing with its contract uploaded and analysed."""
    app.extensions["portal.huey"].flush()
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
    client.post(
        f"/outsourcings/{node.id}/documents",
        data={
            "file": (io.BytesIO(strong_pdf), "委託契約書.pdf"),
            "csrf_token": csrf_token(client, "/"),
        },
        content_type="multipart/form-data",
    )
    assert _run_jobs(app) == ["done"]
    db_session.expire_all()
    document = db_session.exec(
        select(ContractDocument).where(ContractDocument.outsourcing_id == node.id)
    ).one()
    return document


def _pages(db_session, document_id: int) -> list[DocumentPage]:
    db_session.expire_all()
    return list(
        db_session.exec(select(DocumentPage).where(DocumentPage.document_id == document_id)).all()
    )


def test_the_worker_renders_the_evidence_page_with_every_sentence_located(
    app, analysed, db_session
):
    [page] = _pages(db_session, analysed.id)  # the sample contract has one page
    evidence = [e for c in analysed.report["clauses"] for e in c["evidence"]]
    assert evidence and all(e["page"] == 1 for e in evidence)
    assert set(page.highlights) == {f"{e['start']}-{e['end']}" for e in evidence}
    for boxes in page.highlights.values():
        for left, top, right, bottom in boxes:
            assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1
    # Stored encrypted like the contract itself, as a real PNG of the page's proportions.
    storage = app.extensions["portal.storage"]
    png = storage.read_bytes(page.storage_key)
    assert png.startswith(PNG) and page.size == len(png)
    assert 1.3 < page.height / page.width < 1.5  # A4
    assert page.storage_key.startswith(analysed.storage_key.removesuffix(".pdf") + "/")


def test_each_evidence_links_to_its_page_with_the_sentence_highlighted(client, analysed):
    html = client.get(f"/documents/{analysed.id}").get_data(as_text=True)
    links = re.findall(rf'href="(/documents/{analysed.id}/pages/1\?e=\d+-\d+)"', html)
    clause = next(c for c in analysed.report["clauses"] if c["id"] == "subcontracting")
    [evidence] = clause["evidence"][:1]
    key = f"{evidence['start']}-{evidence['end']}"
    assert f"/documents/{analysed.id}/pages/1?e={key}" in links
    page = client.get(f"/documents/{analysed.id}/pages/1?e={key}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert len(re.findall(r'<rect class="highlight" ', body)) >= 1
    assert f'href="/documents/{analysed.id}/pages/1.png"' in body
    assert evidence["text"] in body and 'aria-current="true"' in body
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline style


def test_the_page_image_is_private_cached_and_revalidated(client, analysed):
    response = client.get(f"/documents/{analysed.id}/pages/1.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(PNG)
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    etag = response.headers["ETag"]
    again = client.get(f"/documents/{analysed.id}/pages/1.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_pages_outside_the_scope_or_not_rendered_are_404(client, factory, analysed):
    assert client.get(f"/documents/{analysed.id}/pages/2").status_code == 404
    assert client.get(f"/documents/{analysed.id}/pages/2.png").status_code == 404
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, factory.user(Role.STAFF).email)  # an officer of another department
    assert client.get(f"/documents/{analysed.id}/pages/1").status_code == 404
    assert client.get(f"/documents/{analysed.id}/pages/1.png").status_code == 404


def test_a_reanalysis_replaces_the_page_images_in_place(app, client, analysed, db_session):
    [page] = _pages(db_session, analysed.id)
    before = (page.id, page.storage_key, page.rendered_at)
    client.post(
        f"/documents/{analysed.id}/reanalyse",
        data={"csrf_token": csrf_token(client, f"/documents/{analysed.id}")},
    )
    assert _run_jobs(app) == ["done"]
    [after] = _pages(db_session, analysed.id)
    assert (after.id, after.storage_key) == before[:2]  # the same row and object, renewed
    assert after.rendered_at > before[2]


def test_a_failed_rendering_leaves_the_analysis_done(app, client, analysed, db_session):
    """A page limit hit while rendering: the clause check stands, the page says so."""
    app.config["ANALYSIS_MAX_PAGE_IMAGES"] = 0
    client.post(
        f"/documents/{analysed.id}/reanalyse",
        data={"csrf_token": csrf_token(client, f"/documents/{analysed.id}")},
    )
    assert _run_jobs(app) == ["done"]
    assert _pages(db_session, analysed.id) == []
    html = client.get(f"/documents/{analysed.id}").get_data(as_text=True)
    assert "ページ画像で見る" not in html and html.count('class="card clause-card') == 8
