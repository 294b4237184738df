"""Worker dispatch contracts (労働者派遣契約): registration and its Japanese errors, the scope
(a 派遣元 sees only its own), the contract PDF checked against the dispatch catalog on the
review page, the read API, the ledger sheet (export and import) and the access log."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from pdfgen import reportlab_pdf
from portal.api.operations import create_token
from portal.audit.models import AccessEvent
from portal.dispatch.models import DispatchContract
from portal.permissions import Role
from portal.reviews.models import ContractDocument
from portal_testing import csrf_token

SAMPLES = Path(__file__).parents[1] / "corpus" / "catalogs"


@pytest.fixture(scope="module")
def full_pdf() -> bytes:
    return reportlab_pdf((SAMPLES / "dispatch_full_a.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def no_pledge_pdf() -> bytes:
    return reportlab_pdf((SAMPLES / "dispatch_no_pledge.txt").read_text(encoding="utf-8"))


def run_jobs(app) -> list:
    """Run every queued job in this process, as the worker would."""
    huey = app.extensions["portal.huey"]
    results = []
    while (task := huey.dequeue()) is not None:
        results.append(huey.execute(task))
    return results


def _form(client, **fields) -> dict:
    data = {
        "contract_number": "派-2026-001",
        "work": "住民票の窓口交付業務",
        "personal_information": "住民票の氏名・住所",
        "period_start": "2026-04-01",
        "period_end": "2027-03-31",
        "workers": "3",
        "trained_on": "",
        "csrf_token": csrf_token(client, "/dispatch/new"),
    }
    return data | fields


def _contract(factory, *, department_id: int, vendor_id: int, number: str = "派-1"):
    contract = DispatchContract(
        contract_number=number,
        department_id=department_id,
        vendor_id=vendor_id,
        work="窓口受付",
        period_start=date(2026, 4, 1),
        period_end=date(2027, 3, 31),
        workers=2,
    )
    factory.session.add(contract)
    factory.session.commit()
    return contract


def _events(db_session, action: str) -> list[AccessEvent]:
    db_session.expire_all()
    return list(db_session.exec(select(AccessEvent).where(AccessEvent.action == action)).all())


def test_officer_registers_a_contract(client, login, factory, db_session):
    officer = login(Role.STAFF)
    vendor = factory.vendor("派遣元株式会社")
    response = client.post("/dispatch/new", data=_form(client, vendor_id=str(vendor.id)))
    assert response.status_code == 302
    contract = db_session.exec(select(DispatchContract)).one()
    assert contract.department_id == officer.department_id and contract.vendor_id == vendor.id
    assert contract.workers == 3 and contract.period_end == date(2027, 3, 31)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "派-2026-001" in page and "派遣元株式会社" in page
    # No training recorded once the dispatch has begun: 第8条 (miki: 第9条) is cited.
    assert "教育研修の実施日が記録されていません" in page and "第9条" in page
    assert "派遣労働者の秘密保持誓約" in page  # the catalog's matters, before any upload
    assert _events(db_session, "dispatch.create") and _events(db_session, "dispatch.view")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"period_end": "2026-03-31"}, "派遣期間の終了日が開始日より前になっています。"),
        ({"workers": "0"}, "派遣労働者数は1以上の整数で入力してください。"),
        ({"contract_number": ""}, "契約番号を入力してください。"),
        ({"vendor_id": "999999"}, "派遣元を選んでください。"),
        ({"vendor_id": "abc"}, "派遣元を選んでください。"),
    ],
)
def test_bad_input_is_refused_in_japanese_and_nothing_is_lost(
    client, login, factory, db_session, fields, message
):
    login(Role.STAFF)
    vendor = factory.vendor()
    data = _form(client, vendor_id=str(vendor.id)) | fields
    response = client.post("/dispatch/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert "住民票の窓口交付業務" in html  # what was typed is still there
    assert db_session.exec(select(DispatchContract)).first() is None


def test_a_duplicate_contract_number_is_refused(client, login, factory, db_session):
    officer = login(Role.STAFF)
    vendor = factory.vendor()
    _contract(factory, department_id=officer.department_id, vendor_id=vendor.id, number="派-7")
    # Full-width digits are the same number.
    response = client.post(
        "/dispatch/new", data=_form(client, vendor_id=str(vendor.id), contract_number="派-７")
    )
    assert "契約番号「派-7」の労働者派遣契約は既に登録されています。" in response.get_data(
        as_text=True
    )
    assert len(db_session.exec(select(DispatchContract)).all()) == 1


def test_scope_a_vendor_sees_only_its_own_contracts(client, login, factory):
    department = factory.department()
    mine, other = factory.vendor("自社"), factory.vendor("他社")
    own = _contract(factory, department_id=department.id, vendor_id=mine.id, number="A")
    theirs = _contract(factory, department_id=department.id, vendor_id=other.id, number="B")
    login(Role.VENDOR, vendor_id=mine.id)
    listing = client.get("/dispatch/").get_data(as_text=True)
    assert ">A</a>" in listing and ">B</a>" not in listing
    assert client.get(f"/dispatch/{own.id}").status_code == 200
    assert client.get(f"/dispatch/{theirs.id}").status_code == 404
    assert client.get(f"/dispatch/{own.id}/edit").status_code == 403


def test_scope_another_department_gets_404(client, login, factory, db_session):
    contract = _contract(
        factory, department_id=factory.department().id, vendor_id=factory.vendor().id
    )
    login(Role.STAFF)
    assert client.get(f"/dispatch/{contract.id}").status_code == 404
    [denied] = _events(db_session, "scope.denied")
    assert denied.object_type == "dispatch_contract"


def test_the_contract_pdf_is_checked_against_the_dispatch_catalog(
    app, client, login, factory, db_session, no_pledge_pdf
):
    app.extensions["portal.huey"].flush()
    officer = login(Role.STAFF)
    contract = _contract(
        factory, department_id=officer.department_id, vendor_id=factory.vendor().id
    )
    response = client.post(
        f"/dispatch/{contract.id}/documents",
        data={
            "file": (io.BytesIO(no_pledge_pdf), "派遣契約書.pdf"),
            "csrf_token": csrf_token(client, f"/dispatch/{contract.id}"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db_session.exec(select(ContractDocument)).one()
    assert document.owner_kind == "dispatch" and document.owner_id == contract.id
    assert document.outsourcing_id is None and document.catalog == "dispatch"
    assert run_jobs(app) == ["done"]
    db_session.expire_all()
    document = db_session.get(ContractDocument, document.id)
    assert document.report["catalog"] == "dispatch"
    assert document.statuses["worker_pledge"] == "missing"
    assert document.statuses["confidentiality"] == "satisfied"
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert page.count('class="card clause-card') == 7
    assert "派遣労働者の秘密保持誓約" in page and "派遣元の責任（損害賠償）" in page
    assert f"/dispatch/{contract.id}" in page  # the breadcrumb leads back to the contract
    detail = client.get(f"/dispatch/{contract.id}").get_data(as_text=True)
    assert 'data-matter="worker_pledge"' in detail and "欠落" in detail
    # The officer's review works as for an outsourcing's contract.
    response = client.post(
        f"/documents/{document.id}/clauses/worker_pledge",
        data={
            "status": "weak",
            "reason": "誓約書の様式が別紙にある",
            "csrf_token": csrf_token(client, f"/documents/{document.id}"),
        },
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(ContractDocument, document.id).statuses["worker_pledge"] == "weak"


def _upload(client, contract_id: int, data: bytes, name: str = "派遣契約書.pdf"):
    return client.post(
        f"/dispatch/{contract_id}/documents",
        data={
            "file": (io.BytesIO(data), name),
            "csrf_token": csrf_token(client, f"/dispatch/{contract_id}"),
        },
        content_type="multipart/form-data",
    )


def test_the_vendor_uploads_its_own_contract_checked_as_a_staff_upload(
    app, client, login, factory, db_session, full_pdf, no_pledge_pdf
):
    app.extensions["portal.huey"].flush()
    vendor = factory.vendor()
    contract = _contract(factory, department_id=factory.department().id, vendor_id=vendor.id)
    user = login(Role.VENDOR, vendor_id=vendor.id)
    assert "契約書を登録する" in client.get(f"/dispatch/{contract.id}").get_data(as_text=True)
    response = _upload(client, contract.id, no_pledge_pdf)
    assert response.status_code == 302
    document = db_session.exec(select(ContractDocument)).one()
    assert response.headers["Location"].endswith(f"/documents/{document.id}")
    assert (document.owner_kind, document.owner_id, document.catalog) == (
        "dispatch",
        contract.id,
        "dispatch",
    )
    assert document.uploaded_by_id == user.id and document.version == 1
    assert run_jobs(app) == ["done"]
    db_session.expire_all()
    document = db_session.get(ContractDocument, document.id)
    assert document.statuses["worker_pledge"] == "missing"  # the engine, as for an officer
    assert document.statuses["confidentiality"] == "satisfied"
    [event] = _events(db_session, "document.upload")
    assert event.actor_id == user.id
    detail = json.loads(event.detail)
    assert detail["owner"] == "dispatch" and detail["owner_id"] == contract.id
    # The same file again: refused, and the user is sent to the version that holds it.
    again = _upload(client, contract.id, no_pledge_pdf, "同じ契約書.pdf")
    assert again.headers["Location"].endswith(f"/documents/{document.id}")
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "同じファイルが第1版として登録済みです（派遣契約書.pdf）。" in page
    # What is not a PDF is refused with the review's message; nothing is stored.
    refused = _upload(client, contract.id, b"not a pdf", "契約書.pdf")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "PDFファイルではありません。" in page
    # Another file is the next version.
    assert _upload(client, contract.id, full_pdf).status_code == 302
    versions = db_session.exec(
        select(ContractDocument.version).order_by(ContractDocument.version)
    ).all()
    assert versions == [1, 2]
    # The vendor stores its contract but does not judge it: the officers review.
    response = client.post(
        f"/documents/{document.id}/clauses/worker_pledge",
        data={
            "status": "satisfied",
            "reason": "誓約書あり",
            "csrf_token": csrf_token(client, f"/documents/{document.id}"),
        },
    )
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(ContractDocument, document.id).statuses["worker_pledge"] == "missing"


def test_a_vendor_cannot_upload_another_vendors_contract(
    client, login, factory, db_session, full_pdf
):
    department = factory.department()
    theirs = _contract(factory, department_id=department.id, vendor_id=factory.vendor().id)
    login(Role.VENDOR, vendor_id=factory.vendor().id)
    assert _upload(client, theirs.id, full_pdf).status_code == 404
    assert db_session.exec(select(ContractDocument)).first() is None


def test_a_document_of_a_contract_outside_the_scope_is_404(client, login, factory, db_session):
    contract = _contract(
        factory, department_id=factory.department().id, vendor_id=factory.vendor().id
    )
    document = ContractDocument(
        owner_kind="dispatch",
        owner_id=contract.id,
        catalog="dispatch",
        filename="x.pdf",
        storage_key="documents/scope-test.pdf",
        sha256="0" * 64,
        size=1,
    )
    db_session.add(document)
    db_session.commit()
    login(Role.VENDOR, vendor_id=factory.vendor().id)
    assert client.get(f"/documents/{document.id}").status_code == 404


def test_api_lists_the_visible_contracts_a_page_at_a_time(client, factory, db_session):
    department = factory.department()
    vendor = factory.vendor()
    for n in range(3):
        _contract(factory, department_id=department.id, vendor_id=vendor.id, number=f"P{n}")
    _contract(factory, department_id=factory.department().id, vendor_id=vendor.id, number="X")
    user = factory.user(Role.STAFF, department_id=department.id)
    secret = create_token(session=db_session, user=user).secret
    db_session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    first = client.get("/api/v1/dispatch-contracts?limit=2", headers=headers).get_json()
    assert [i["contract_number"] for i in first["items"]] == ["P0", "P1"]
    second = client.get(first["next"], headers=headers).get_json()
    assert [i["contract_number"] for i in second["items"]] == ["P2"] and second["next"] is None
    assert first["items"][0]["matters"] is None and first["items"][0]["catalog"] == "dispatch"


def test_api_document_of_a_dispatch_contract_follows_its_scope(client, factory, db_session):
    vendor = factory.vendor()
    contract = _contract(factory, department_id=factory.department().id, vendor_id=vendor.id)
    document = ContractDocument(
        owner_kind="dispatch",
        owner_id=contract.id,
        catalog="dispatch",
        filename="x.pdf",
        storage_key="documents/api-scope.pdf",
        sha256="1" * 64,
        size=1,
    )
    db_session.add(document)
    own = factory.user(Role.VENDOR, vendor_id=vendor.id)
    other = factory.user(Role.VENDOR, vendor_id=factory.vendor().id)
    tokens = {u.id: create_token(session=db_session, user=u).secret for u in (own, other)}
    db_session.commit()
    url = f"/api/v1/documents/{document.id}"
    seen = client.get(url, headers={"Authorization": f"Bearer {tokens[own.id]}"})
    assert seen.status_code == 200
    assert seen.get_json()["owner"] == "dispatch" and seen.get_json()["catalog"] == "dispatch"
    hidden = client.get(url, headers={"Authorization": f"Bearer {tokens[other.id]}"})
    assert hidden.status_code == 404


def _csv(rows: list[dict[str, str]]) -> bytes:
    from portal.dispatch.ledger import IMPORT_COLUMNS

    out = io.StringIO()
    headers = [c.header for c in IMPORT_COLUMNS]
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    for row in rows:
        writer.writerow({h: row.get(h, "") for h in headers})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _import(client, data: bytes):
    token = csrf_token(client, "/ledger/import?sheet=dispatch_contracts")
    return client.post(
        "/ledger/import?sheet=dispatch_contracts",
        data={"csrf_token": token, "file": (io.BytesIO(data), "dispatch.csv")},
        content_type="multipart/form-data",
    )


def test_ledger_import_and_export(client, login, factory, db_session):
    officer = login(Role.STAFF)
    vendor = factory.vendor("派遣元A")
    good = {
        "契約番号": "L-1",
        "派遣元法人番号": vendor.corporate_number,
        "派遣業務の内容": "入力業務",
        "派遣期間開始日": "2026/4/1",
        "派遣期間終了日": "2027-03-31",
        "派遣労働者数": "４",
    }
    bad = good | {"契約番号": "L-1", "派遣期間終了日": "2026-01-01", "派遣元法人番号": "1"}
    response = _import(client, _csv([good, bad]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "既に登録されています" in html and "終了日が開始日より前" in html
    assert "派遣元が登録されていません" in html
    assert db_session.exec(select(DispatchContract)).first() is None  # nothing written
    response = _import(client, _csv([good]))
    assert response.status_code == 302
    contract = db_session.exec(select(DispatchContract)).one()
    assert contract.workers == 4 and contract.department_id == officer.department_id
    exported = client.get("/ledger/export.csv?sheet=dispatch_contracts").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][:2] == ["ID", "契約番号"] and rows[1][1] == "L-1"
    assert rows[1][-1] == "未確認"
    # The exported file names a contract that is registered: importing it again is refused.
    assert _import(client, exported.encode("utf-8")).status_code == 422


def test_demo_dispatch_contracts_are_loaded_and_checked(app, runner, db_session):
    app.config["TOTP_REQUIRED"] = False
    assert runner.invoke(args=["demo", "load", "--no-contracts"]).exit_code == 0
    contracts = db_session.exec(select(DispatchContract)).all()
    assert {c.contract_number for c in contracts} == {"派-2026-001", "派-2026-014"}
    result = runner.invoke(args=["demo", "dispatch-contracts"])
    assert result.exit_code == 0, result.output
    assert "stored 2 demo dispatch contract PDFs" in result.output
    db_session.expire_all()
    documents = db_session.exec(select(ContractDocument).order_by(ContractDocument.id)).all()
    assert [d.status for d in documents] == ["done", "done"]
    full, partial = documents
    assert set(full.statuses.values()) == {"satisfied"}
    assert partial.statuses["worker_pledge"] == "missing"
    assert partial.statuses["dispatcher_liability"] == "missing"
    assert partial.statuses["confidentiality"] == "satisfied"
