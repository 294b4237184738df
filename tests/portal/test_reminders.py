"""Reminders 30, 7 and 1 days before due and when overdue, each once, by e-mail to a real SMTP
server on 127.0.0.1 (aiosmtpd) and in the portal: an inspection's (held by an outsourcing) and a
provision's improvement request (held by the providing department, no vendor)."""

from __future__ import annotations

import socket
from datetime import date, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from chain_helpers import make_node
from sqlmodel import select

from portal.inspections.models import Inspection, InspectionReminder
from portal.inspections.reminders import send_due_reminders
from portal.permissions import Role
from portal_testing import sign_in

TODAY = date(2026, 11, 24)


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield (
        {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_FROM": "portal@city.example.jp"},
        inbox,
    )
    controller.stop()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_each_reminder_once_by_mail_and_in_the_portal(
    app, client, factory, db_session, smtp_server
):
    config, inbox = smtp_server
    officer = factory.user(Role.STAFF)
    node = make_node(
        factory,
        department_id=officer.department_id,
        vendor=factory.vendor("株式会社検査先"),
        task_name="住民税通知書作成",
        end_date=date(2028, 3, 31),
    )
    inspection = Inspection(outsourcing_id=node.id, due_date=TODAY + timedelta(days=30))
    db_session.add(inspection)
    db_session.commit()

    with app.app_context():
        days = [
            TODAY,
            TODAY + timedelta(days=1),
            TODAY + timedelta(days=23),
            TODAY + timedelta(days=29),
            TODAY + timedelta(days=31),
            TODAY + timedelta(days=32),
        ]
        counts = [send_due_reminders(session=db_session, today=day, config=config) for day in days]
        db_session.commit()
    assert counts == [1, 0, 1, 1, 1, 0]  # 30, (nothing new), 7, 1, overdue, (overdue already sent)
    kinds = db_session.exec(select(InspectionReminder.kind).order_by(InspectionReminder.id)).all()
    assert kinds == ["30", "7", "1", "overdue"]
    assert len(inbox.messages) == 4
    first, last = inbox.messages[0], inbox.messages[-1]
    assert officer.email in first["To"]
    assert "期限まで30日" in subject(first) and "住民税通知書作成" in subject(first)
    assert "期限を過ぎています" in subject(last)
    assert "株式会社検査先" in first.get_payload(decode=True).decode("utf-8")

    sign_in(client, officer.email)
    html = client.get("/inspections/").get_data(as_text=True)
    assert "お知らせ" in html and "期限まで30日" in html


def test_without_smtp_the_reminder_is_still_stamped(app, factory, db_session):
    officer = factory.user(Role.STAFF)
    node = make_node(factory, department_id=officer.department_id, vendor=factory.vendor())
    db_session.add(Inspection(outsourcing_id=node.id, due_date=TODAY + timedelta(days=7)))
    db_session.commit()
    with app.app_context():
        assert send_due_reminders(session=db_session, today=TODAY, config={}) == 1
    assert db_session.exec(select(InspectionReminder.kind)).all() == ["7"]


def test_improvement_reminders_reach_the_providing_department_once_each(
    app, factory, db_session, smtp_server
):
    from portal.obligations.reminders import send_due_reminders as one_run
    from portal.provisions.models import (
        ImprovementReminder,
        ImprovementRequest,
        ImprovementStatus,
        Provision,
        ProvisionCheck,
    )

    config, inbox = smtp_server
    staff = factory.user(Role.STAFF)
    manager = factory.user(Role.MANAGER, department_id=staff.department_id)
    elsewhere = factory.user(Role.STAFF)  # an officer of another department
    chief, vendor_user = factory.user(Role.CHIEF), factory.user(Role.VENDOR)
    provision = Provision(
        department_id=staff.department_id,
        recipient_name="○○県統計課",
        information_name="住民基本台帳",
        purpose="統計調査",
        legal_basis="統計法",
        record_scope="氏名",
        usage_form="電子媒体",
        start_date=date(2026, 4, 1),
        safety_measures=["secrecy"],
        pseudonymisation="replaced",
    )
    db_session.add(provision)
    db_session.flush()
    check = ProvisionCheck(
        provision_id=provision.id,
        checked_on=TODAY,
        timing="during",
        method="on_site",
        result="improvement",
        findings="施錠なし",
    )
    db_session.add(check)
    db_session.flush()
    due = TODAY + timedelta(days=30)
    owed = ImprovementRequest(
        provision_id=provision.id, check_id=check.id, request="施錠すること", due_date=due
    )
    closed = ImprovementRequest(
        provision_id=provision.id,
        check_id=check.id,
        request="済んだこと",
        due_date=TODAY + timedelta(days=7),
        status=ImprovementStatus.CLOSED,  # confirmed: never chased
    )
    db_session.add_all([owed, closed])
    db_session.commit()

    with app.app_context():
        days = [TODAY + timedelta(days=n) for n in (0, 1, 23, 29, 31, 32)]
        counts = [
            one_run(session=db_session, today=day, config=config)["improvement"] for day in days
        ]
        db_session.commit()
    assert counts == [1, 0, 1, 1, 1, 0]  # 30, (nothing new), 7, 1, overdue, (already sent)
    stamps = db_session.exec(select(ImprovementReminder).order_by(ImprovementReminder.id)).all()
    assert [(s.improvement_id, s.kind) for s in stamps] == [
        (owed.id, "30"),
        (owed.id, "7"),
        (owed.id, "1"),
        (owed.id, "overdue"),
    ]
    mails = [m for m in inbox.messages if "提供先の改善" in subject(m)]
    assert len(mails) == 4
    for message in mails:
        to = {address.strip() for address in message["To"].split(",")}
        assert to == {staff.email, manager.email}  # not another department, chief or vendor
        assert not to & {elsewhere.email, chief.email, vendor_user.email}
    first, last = mails[0], mails[-1]
    assert subject(first) == "【提供先の改善】確認期限まで30日：○○県統計課"
    assert subject(last) == "【提供先の改善】確認期限を過ぎています：○○県統計課"
    body = first.get_payload(decode=True).decode("utf-8")
    assert f"提供先「○○県統計課」に求めた改善の確認期限は {due.isoformat()} です。" in body
