"""The auditor's viewer (filters, pages, CSV) and the analysis report."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from email.header import decode_header, make_header

import pytest
from sqlmodel import select
from test_bulk_download import smtp_server  # noqa: F401 - the real SMTP server fixture

from portal.audit.models import AccessEvent
from portal.audit.operations import _event_fields, append_event
from portal.audit.report import is_off_hours, unusual_days
from portal.db import db
from portal.permissions import Role


def add(app, action: str, *, at: datetime, actor=None, outcome: str = "ok", **fields) -> None:
    with app.app_context():
        values = _event_fields(
            action,
            object_type=fields.get("object_type"),
            object_id=fields.get("object_id"),
            outcome=outcome,
            detail=fields.get("detail"),
            actor=actor,
        )
        values["occurred_at"] = at
        append_event(session=db.session, **values)
        db.session.commit()


# --- the analysis, pure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc", "off"),
    [
        (datetime(2026, 11, 25, 1, 0, tzinfo=UTC), False),  # Wed 10:00 JST
        (datetime(2026, 11, 24, 23, 0, tzinfo=UTC), False),  # Wed 08:00 JST: the first minute
        (datetime(2026, 11, 24, 22, 59, tzinfo=UTC), True),  # Wed 07:59 JST
        (datetime(2026, 11, 25, 10, 59, tzinfo=UTC), False),  # Wed 19:59 JST
        (datetime(2026, 11, 25, 11, 0, tzinfo=UTC), True),  # Wed 20:00 JST
        (datetime(2026, 11, 25, 12, 0, tzinfo=UTC), True),  # Wed 21:00 JST
        (datetime(2026, 11, 28, 1, 0, tzinfo=UTC), True),  # Saturday
        (datetime(2026, 11, 23, 1, 0, tzinfo=UTC), True),  # 勤労感謝の日 (Monday)
    ],
)
def test_off_hours_are_nights_weekends_and_holidays(utc, off):
    assert is_off_hours(utc) is off


def test_unusual_days_are_far_above_the_median_or_over_the_threshold():
    per_day = {date(2026, 11, d): 10 for d in range(1, 8)}
    per_day[date(2026, 11, 8)] = 45
    assert [d for d, _c, _m in unusual_days(per_day, threshold=500)] == [date(2026, 11, 8)]
    assert unusual_days({date(2026, 11, 1): 600}, threshold=500)[0][1] == 600
    assert unusual_days({date(2026, 11, 1): 5, date(2026, 11, 2): 19}, threshold=500) == []


# --- the viewer ------------------------------------------------------------------------------


@pytest.fixture
def auditor(login):
    return login(Role.AUDITOR)


def test_the_viewer_filters_by_actor_outcome_action_and_date(app, client, factory, auditor):
    staff = factory.user(Role.STAFF, email="suzuki@city.example.jp")
    at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    add(app, "document.view", at=at, actor=staff, object_type="contract_document", object_id=5)
    add(app, "access.denied", at=at, actor=staff, outcome="denied", object_id="admin.users")
    add(app, "document.view", at=datetime(2026, 10, 1, tzinfo=UTC), actor=staff)

    html = client.get("/audit/?actor=suzuki&outcome=denied").get_data(as_text=True)
    assert "admin.users" in html and "contract_document 5" not in html
    html = client.get(
        "/audit/?action=document.view&date_from=2026-11-01&date_to=2026-11-30"
    ).get_data(as_text=True)
    assert "contract_document 5" in html and "1件" in html
    html = client.get("/audit/?object_type=contract_document&object_id=5").get_data(as_text=True)
    assert "suzuki@city.example.jp" in html


def test_a_reversed_date_range_is_refused_in_japanese(client, auditor):
    html = client.get("/audit/?date_from=2026-11-30&date_to=2026-11-01").get_data(as_text=True)
    assert "終了日は開始日以降の日付にしてください。" in html


def test_the_viewer_pages_and_its_use_is_recorded(app, client, db_session, factory, auditor):
    staff = factory.user(Role.STAFF)
    for i in range(55):
        add(app, "test.page", at=datetime(2026, 11, 20, 2, i, tzinfo=UTC), actor=staff)
    first = client.get("/audit/?action=test.page").get_data(as_text=True)
    assert "1 / 2 ページ" in first and "page=2" in first
    second = client.get("/audit/?action=test.page&page=2").get_data(as_text=True)
    assert "2 / 2 ページ" in second
    db_session.expire_all()
    viewed = db_session.exec(select(AccessEvent).where(AccessEvent.action == "audit.view")).all()
    assert len(viewed) == 2 and viewed[0].actor_id == auditor.id


def test_the_csv_export_holds_the_filtered_events_and_is_recorded(
    app, client, db_session, factory, auditor
):
    staff = factory.user(Role.STAFF, email="tanaka@city.example.jp")
    add(app, "ledger.export", at=datetime(2026, 11, 20, 2, tzinfo=UTC), actor=staff)
    response = client.get("/audit/export.csv?actor=tanaka")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0][:6] == ["seq", "occurred_at_utc", "actor_id", "actor", "role", "action"]
    assert [row[5] for row in table[1:]] == ["ledger.export"]
    db_session.expire_all()
    exported = db_session.exec(
        select(AccessEvent).where(AccessEvent.action == "audit.export")
    ).one()
    assert exported.actor_id == auditor.id and "tanaka" in exported.detail


def test_only_the_auditor_sees_the_menu_entry(app, client, auditor, factory):
    assert "アクセス記録" in client.get("/").get_data(as_text=True)
    from portal_testing import sign_in

    admin_client = app.test_client()
    sign_in(admin_client, factory.user(Role.ADMIN).email)
    assert "/audit/" not in admin_client.get("/").get_data(as_text=True)


# --- the report ------------------------------------------------------------------------------


def test_the_report_lists_off_hours_denials_volumes_and_bulk_warnings(
    app, client, factory, auditor
):
    night_owl = factory.user(Role.STAFF, email="yoru@city.example.jp")
    prober = factory.user(Role.VENDOR, email="nozoki@vendor.example.jp")
    busy = factory.user(Role.STAFF, email="tairyou@city.example.jp")
    saturday = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)  # Saturday 12:00 JST
    add(app, "document.view", at=saturday, actor=night_owl)
    for i in range(3):
        add(
            app,
            "scope.denied",
            at=datetime(2026, 11, 19, 2, i, tzinfo=UTC),
            actor=prober,
            outcome="denied",
            object_type="outsourcing",
            object_id=40 + i,
        )
    for day in range(16, 20):  # a usual day: 2 events
        for i in range(2):
            add(app, "document.view", at=datetime(2026, 11, day, 2, i, tzinfo=UTC), actor=busy)
    for i in range(30):  # an unusual one
        add(app, "document.download", at=datetime(2026, 11, 20, 2, i, tzinfo=UTC), actor=busy)
    add(
        app,
        "bulk_download.warning",
        at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
        actor=busy,
        detail={"count": 101},
    )

    html = client.get("/audit/report?date_from=2026-11-16&date_to=2026-11-22").get_data(
        as_text=True
    )
    off_hours, rest = html.split("拒否・範囲外へのアクセス試行", 1)
    denials, rest = rest.split("通常より多いアクセス", 1)
    volumes, bulk = rest.split("大量ダウンロードの警告", 1)
    assert "yoru@city.example.jp" in off_hours and "tairyou" not in off_hours
    assert "nozoki@vendor.example.jp" in denials and "<td>3</td>" in denials
    assert "tairyou@city.example.jp" in volumes and "2026-11-20" in volumes
    assert "<td>31</td>" in volumes  # 30 downloads and the warning itself
    assert "tairyou@city.example.jp" in bulk and "101" in bulk


def test_the_weekly_summary_text_lists_the_findings(app, db_session, factory, auditor):
    from portal.audit.report import analyse, summary_text

    add(app, "document.view", at=datetime(2026, 11, 21, 3, 0, tzinfo=UTC), actor=auditor)
    with app.app_context():
        report = analyse(
            session=db_session,
            since=datetime(2026, 11, 16, tzinfo=UTC),
            until=datetime(2026, 11, 23, tzinfo=UTC),
        )
        text = summary_text(report)
    assert "■ 時間外のアクセス" in text and auditor.email in text


def test_the_weekly_job_mails_the_auditors(app, db_session, factory, auditor, smtp_server):  # noqa: F811
    from portal.audit.jobs import weekly_summary

    config, inbox = smtp_server
    app.config.update(config)
    with app.app_context():
        sent = weekly_summary(session=db_session)
    assert sent >= 1
    recipients = [to for tos, _message in inbox.messages for to in tos]
    assert auditor.email in recipients
    _tos, message = inbox.messages[0]
    assert "週次分析" in str(make_header(decode_header(message["Subject"])))
