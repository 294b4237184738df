"""Inspection reminders: 30, 7 and 1 days before due and when overdue, each once, by e-mail to
a real SMTP server on 127.0.0.1 (aiosmtpd) and in the portal."""

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
