"""The bulk-download warning (三木市 第21条 / 久喜市 第20条): past the profile's threshold
within its period the user is warned, the managers are told once, the counter is in the DB."""

from __future__ import annotations

import dataclasses
import io
import socket
from datetime import UTC, datetime
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from chain_helpers import make_node
from sqlmodel import select

from portal.audit.models import AccessEvent, DownloadCounter
from portal.audit.operations import window_start
from portal.permissions import Role
from portal_testing import sign_in

THRESHOLD = 3


@pytest.fixture
def low_threshold(app):
    profile = app.extensions["portal.profile"]
    app.extensions["portal.profile"] = dataclasses.replace(
        profile,
        security={
            **profile.security,
            "bulk_download_threshold": THRESHOLD,
            "bulk_download_period_hours": 24,
        },
    )


@pytest.fixture
def setup(factory, client, low_threshold):
    department = factory.department()
    officer = factory.user(Role.STAFF, department_id=department.id)
    manager = factory.user(Role.MANAGER, department_id=department.id)
    other_manager = factory.user(Role.MANAGER)  # another department: not told
    node = make_node(factory, department_id=department.id, vendor=factory.vendor())
    from portal.reviews.models import ContractDocument

    storage = client.application.extensions["portal.storage"]
    stored = storage.put(f"documents/bulk-{node.id}.pdf", io.BytesIO(b"%PDF-1.7 bulk"))
    document = ContractDocument(
        outsourcing_id=node.id,
        filename="契約書.pdf",
        storage_key=f"documents/bulk-{node.id}.pdf",
        sha256=stored.sha256,
        size=stored.size,
        status="done",
    )
    factory.session.add(document)
    factory.session.commit()
    return {
        "officer": officer,
        "manager": manager,
        "other_manager": other_manager,
        "document": document,
        "department": department,
    }


def warnings(db_session) -> list[AccessEvent]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(AccessEvent).where(AccessEvent.action == "bulk_download.warning")
        ).all()
    )


def counter_of(db_session, user) -> DownloadCounter:
    db_session.expire_all()
    return db_session.exec(select(DownloadCounter).where(DownloadCounter.user_id == user.id)).one()


def test_windows_are_aligned_periods():
    moment = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    assert window_start(moment, 24) == datetime(2026, 11, 24, tzinfo=UTC)
    assert window_start(moment, 6) == datetime(2026, 11, 24, 18, tzinfo=UTC)


def test_past_the_threshold_the_user_is_warned_and_managers_told_once(
    app, client, db_session, setup
):
    officer, document = setup["officer"], setup["document"]
    sign_in(client, officer.email)
    url = f"/documents/{document.id}/download"
    for _ in range(THRESHOLD):
        assert client.get(url).status_code == 200
    assert counter_of(db_session, officer).count == THRESHOLD
    assert counter_of(db_session, officer).warned_at is None
    assert "多数の個人情報・文書" not in client.get("/").get_data(as_text=True)

    assert client.get(url).status_code == 200  # one more than allowed
    counter = counter_of(db_session, officer)
    assert counter.count == THRESHOLD + 1 and counter.warned_at is not None
    page = client.get("/").get_data(as_text=True)
    assert "短時間に多数の個人情報・文書をダウンロードしています" in page
    [warning] = warnings(db_session)
    assert warning.actor_id == officer.id and '"count":4' in warning.detail
    huey = app.extensions["portal.huey"]
    assert any(
        t.name == "audit.notify_bulk_download" and t.args == (counter.id,) for t in huey.pending()
    )

    client.get(url)  # still over: warned again, managers not told again
    assert "短時間に多数" in client.get("/").get_data(as_text=True)
    assert len(warnings(db_session)) == 1
    assert counter_of(db_session, officer).count == THRESHOLD + 2


def test_the_manager_sees_the_notice_on_the_dashboard(app, db_session, setup):
    officer, document = setup["officer"], setup["document"]
    user_client = app.test_client()
    sign_in(user_client, officer.email)
    for _ in range(THRESHOLD + 1):
        user_client.get(f"/documents/{document.id}/download")
    manager_client = app.test_client()
    sign_in(manager_client, setup["manager"].email)
    page = manager_client.get("/").get_data(as_text=True)
    assert "大量ダウンロードの警告" in page and officer.email in page
    other_client = app.test_client()
    sign_in(other_client, setup["other_manager"].email)
    assert "大量ダウンロードの警告" not in other_client.get("/").get_data(as_text=True)


def test_a_ledger_export_counts_each_row(client, db_session, factory, setup):
    officer = setup["officer"]
    for _ in range(THRESHOLD):  # with the setup's node: THRESHOLD + 1 rows
        make_node(factory, department_id=setup["department"].id, vendor=factory.vendor())
    sign_in(client, officer.email)
    assert client.get("/ledger/export.csv").status_code == 200
    assert counter_of(db_session, officer).count == THRESHOLD + 1
    assert len(warnings(db_session)) == 1


def test_views_do_not_count_and_users_count_apart(app, client, db_session, setup):
    officer, document = setup["officer"], setup["document"]
    sign_in(client, officer.email)
    for _ in range(THRESHOLD + 2):
        client.get(f"/documents/{document.id}")  # the review page, not the file
    assert db_session.exec(select(DownloadCounter)).all() == []
    colleague = app.test_client()
    sign_in(colleague, setup["manager"].email)
    colleague.get(f"/documents/{document.id}/download")
    client.get(f"/documents/{document.id}/download")
    assert counter_of(db_session, officer).count == 1
    assert counter_of(db_session, setup["manager"]).count == 1


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port}, inbox
    controller.stop()


def test_the_job_mails_the_users_managers(app, client, db_session, setup, smtp_server):
    from portal.audit.jobs import notify_bulk_download

    config, inbox = smtp_server
    officer, document = setup["officer"], setup["document"]
    sign_in(client, officer.email)
    for _ in range(THRESHOLD + 1):
        client.get(f"/documents/{document.id}/download")
    app.config.update(config)
    with app.app_context():
        sent = notify_bulk_download(counter_of(db_session, officer).id, session=db_session)
    assert sent == 1
    [(recipients, message)] = inbox.messages
    assert recipients == [setup["manager"].email]
    assert "大量ダウンロードの警告" in str(make_header(decode_header(message["Subject"])))
    assert f"{THRESHOLD + 1} 件" in message.get_payload(decode=True).decode("utf-8")
