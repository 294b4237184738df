"""Each kind of access the regulations care about leaves an event in the access log, with
the actor, role, object, outcome, address and request id; denials survive their rollback."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from chain_helpers import make_node
from sqlmodel import select

from portal.api.operations import create_token
from portal.audit.models import AccessEvent
from portal.models import Outsourcing, UserSession
from portal.permissions import Role
from portal.timeutil import utcnow
from portal_testing import TEST_PASSWORD, csrf_token, sign_in


def events(db_session, action: str | None = None) -> list[AccessEvent]:
    db_session.expire_all()
    query = select(AccessEvent).order_by(AccessEvent.seq)
    if action:
        query = query.where(AccessEvent.action == action)
    return list(db_session.exec(query).all())


def last(db_session, action: str) -> AccessEvent:
    found = events(db_session, action)
    assert found, f"no {action} event; recorded: {[e.action for e in events(db_session)]}"
    return found[-1]


def make_document(client, factory, node: Outsourcing) -> int:
    from portal.reviews.models import ContractDocument

    storage = client.application.extensions["portal.storage"]
    stored = storage.put(f"documents/audit-{node.id}.pdf", io.BytesIO(b"%PDF-1.7 audit"))
    document = ContractDocument(
        outsourcing_id=node.id,
        filename="契約書.pdf",
        storage_key=f"documents/audit-{node.id}.pdf",
        sha256=stored.sha256,
        size=stored.size,
        status="done",
        report={"clauses": [{"id": "security", "status": "weak", "evidence": [], "notes": []}]},
        statuses={"security": "weak"},
    )
    factory.session.add(document)
    factory.session.commit()
    return document.id


@pytest.fixture
def officer(factory):
    return factory.user(Role.STAFF)


@pytest.fixture
def node(factory, officer):
    return make_node(
        factory,
        department_id=officer.department_id,
        vendor=factory.vendor(),
        pi_categories="氏名、住所",
        persons=300,
    )


def test_sign_in_and_sign_out_are_recorded(client, db_session, officer):
    assert sign_in(client, officer.email).status_code == 302
    event = last(db_session, "auth.sign_in")
    assert (event.actor_id, event.actor_label, event.role) == (
        officer.id,
        officer.email,
        "staff",
    )
    assert event.outcome == "ok" and event.address == "127.0.0.1" and len(event.request_id) >= 8
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    assert last(db_session, "auth.sign_out").actor_id == officer.id


def test_a_failed_sign_in_is_recorded_against_the_account(client, db_session, officer):
    response = sign_in(client, officer.email, password="違うパスワードです")
    assert response.status_code == 200
    event = last(db_session, "auth.sign_in_failed")
    assert event.outcome == "denied" and event.actor_id == officer.id
    sign_in(client, "nobody@example.jp", password=TEST_PASSWORD)
    unknown = last(db_session, "auth.sign_in_failed")
    assert unknown.actor_id is None and json.loads(unknown.detail)["email"] == "nobody@example.jp"


def test_an_expired_session_is_recorded(client, db_session, login):
    user = login(Role.STAFF)
    row = db_session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    row.last_seen_at = utcnow() - timedelta(hours=3)
    db_session.add(row)
    db_session.commit()
    assert client.get("/").status_code == 302  # back to the sign-in page
    event = last(db_session, "auth.session_expired")
    assert event.actor_id == user.id and json.loads(event.detail) == {"reason": "idle_timeout"}


def test_a_403_is_recorded_although_the_request_rolls_back(client, db_session, login):
    user = login(Role.STAFF)
    assert client.get("/admin/users").status_code == 403
    event = last(db_session, "access.denied")
    assert (event.actor_id, event.outcome, event.object_id) == (user.id, "denied", "admin.users")
    assert json.loads(event.detail)["status"] == 403


def test_api_401_and_403_are_recorded(client, db_session, factory):
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert last(db_session, "access.denied").actor_id is None


def test_an_object_outside_ones_scope_is_recorded(client, db_session, login, factory):
    user = login(Role.STAFF)
    elsewhere = make_node(factory, department_id=factory.department().id, vendor=factory.vendor())
    assert client.get(f"/outsourcings/{elsewhere.id}").status_code == 404
    event = last(db_session, "scope.denied")
    assert (event.actor_id, event.object_type, event.object_id, event.outcome) == (
        user.id,
        "outsourcing",
        str(elsewhere.id),
        "denied",
    )
    # A missing id is not an attempt on somebody's data.
    before = len(events(db_session, "scope.denied"))
    assert client.get("/outsourcings/999999").status_code == 404
    assert len(events(db_session, "scope.denied")) == before


def test_viewing_personal_information_fields_is_recorded(client, db_session, officer, node):
    sign_in(client, officer.email)
    assert client.get(f"/outsourcings/{node.id}").status_code == 200
    event = last(db_session, "outsourcing.view_pi")
    assert event.object_id == str(node.id) and json.loads(event.detail)["persons"] == 300


def test_document_view_download_and_override_are_recorded(
    client, db_session, factory, officer, node
):
    document_id = make_document(client, factory, node)
    sign_in(client, officer.email)
    assert client.get(f"/documents/{document_id}").status_code == 200
    assert last(db_session, "document.view").object_id == str(document_id)
    assert client.get(f"/documents/{document_id}/download").status_code == 200
    download = last(db_session, "document.download")
    assert download.object_type == "contract_document"
    assert json.loads(download.detail)["records"] == 1
    page = f"/documents/{document_id}"
    response = client.post(
        f"{page}/clauses/security",
        data={
            "csrf_token": csrf_token(client, page),
            "status": "satisfied",
            "reason": "別紙で確認",
        },
    )
    assert response.status_code == 302
    override = last(db_session, "document.override")
    assert json.loads(override.detail) == {
        "clause": "security",
        "reason": "別紙で確認",
        "status_from": "weak",
        "status_to": "satisfied",
    }


def test_inspection_attachment_download_is_recorded(client, db_session, factory, officer, node):
    from portal.inspections.models import Inspection, InspectionAttachment

    inspection = Inspection(outsourcing_id=node.id, due_date=date(2027, 3, 1))
    db_session.add(inspection)
    db_session.commit()
    storage = client.application.extensions["portal.storage"]
    stored = storage.put(f"inspections/audit-{inspection.id}.png", io.BytesIO(b"\x89PNG audit"))
    item = InspectionAttachment(
        inspection_id=inspection.id,
        storage_key=f"inspections/audit-{inspection.id}.png",
        filename="写真.png",
        content_type="image/png",
        size=stored.size,
        sha256=stored.sha256,
    )
    db_session.add(item)
    db_session.commit()
    sign_in(client, officer.email)
    assert client.get(f"/inspections/attachments/{item.id}").status_code == 200
    assert last(db_session, "inspection.attachment_download").object_id == str(item.id)


def test_ledger_export_is_recorded_with_its_row_count(client, db_session, officer, node):
    sign_in(client, officer.email)
    assert client.get("/ledger/export.csv").status_code == 200
    event = last(db_session, "ledger.export")
    assert json.loads(event.detail) == {"format": "csv", "records": 1}


def test_approval_and_activation_are_recorded(client, db_session, factory, officer, node):
    requested = make_node(
        factory,
        department_id=officer.department_id,
        vendor=factory.vendor(),
        parent=node,
        status="requested",
    )
    sign_in(client, officer.email)
    page = f"/outsourcings/{requested.id}"
    token = csrf_token(client, page)
    client.post(f"{page}/decide", data={"csrf_token": token, "decision": "approve"})
    decided = last(db_session, "outsourcing.decide")
    assert decided.object_id == str(requested.id)
    assert json.loads(decided.detail)["status"] == "approved"
    client.post(f"{page}/activate", data={"csrf_token": token})
    assert last(db_session, "outsourcing.activate").object_id == str(requested.id)


def test_accepting_the_inspection_plan_is_recorded(client, db_session, officer):
    sign_in(client, officer.email)
    token = csrf_token(client, "/inspections/")
    assert client.post("/inspections/plan/accept", data={"csrf_token": token}).status_code == 302
    assert last(db_session, "inspection.plan_accept").actor_id == officer.id


def test_account_creation_and_role_change_are_recorded(client, db_session, login, factory):
    admin = login(Role.ADMIN)
    department = factory.department()
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "email": "new.officer@example.jp",
            "name": "新 職員",
            "role": "staff",
            "department_id": str(department.id),
            "vendor_id": "",
            "active": "y",
        },
    )
    assert response.status_code == 200
    created = last(db_session, "user.create")
    assert created.actor_id == admin.id and json.loads(created.detail)["role"] == "staff"
    client.post(
        f"/admin/users/{created.object_id}",
        data={
            "csrf_token": token,
            "email": "new.officer@example.jp",
            "name": "新 職員",
            "role": "manager",
            "department_id": str(department.id),
            "vendor_id": "",
            "active": "y",
        },
    )
    changed = last(db_session, "user.update")
    assert json.loads(changed.detail) == {"role_from": "staff", "role_to": "manager"}


def test_api_reads_are_recorded_as_api_calls(client, db_session, factory, officer, node):
    secret = create_token(session=factory.session, user=officer).secret
    factory.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/outsourcings/{node.id}", headers=headers).status_code == 200
    event = last(db_session, "outsourcing.view_pi")
    assert event.actor_id == officer.id and json.loads(event.detail) == {"via": "api"}


def test_events_follow_their_request_transaction(app, db_session):
    """A state change's event commits or rolls back with it; a denial is kept regardless;
    a read whose response failed is kept as failed."""
    from portal.audit import record
    from portal.audit.operations import write_pending
    from portal.db import db

    with app.test_request_context("/x", method="POST"):
        record("test.change", object_type="thing", object_id=1)
        db.session.rollback()  # what the app does for a response >= 400
        write_pending(500)
    assert events(db_session, "test.change") == []

    with app.test_request_context("/x", method="POST"):
        record("test.change", object_type="thing", object_id=2, outcome="denied")
        db.session.rollback()
        write_pending(403)
    assert [e.outcome for e in events(db_session, "test.change")] == ["denied"]

    with app.test_request_context("/x", method="GET"):
        record("test.read", object_type="thing", object_id=3)
        db.session.rollback()
        write_pending(500)
    assert [e.outcome for e in events(db_session, "test.read")] == ["failed"]
