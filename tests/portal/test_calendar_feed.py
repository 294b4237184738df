"""The private iCalendar feed of planned inspections."""

from __future__ import annotations

import re
from datetime import date

from chain_helpers import make_node

from portal.inspections.calendar import _fold
from portal.inspections.models import Inspection, InspectionStatus
from portal.permissions import Role
from portal_testing import csrf_token


def _planned(factory, db_session, department_id: int, name: str) -> Inspection:
    node = make_node(factory, department_id=department_id, vendor=factory.vendor(), task_name=name)
    inspection = Inspection(
        outsourcing_id=node.id,
        due_date=date(2027, 3, 1),
        planned_date=date(2027, 2, 10),
        status=InspectionStatus.PLANNED,
    )
    db_session.add(inspection)
    db_session.commit()
    return inspection


def test_feed_lists_planned_inspections_in_scope_only(client, login, factory, db_session):
    officer = login(Role.STAFF)
    mine = _planned(factory, db_session, officer.department_id, "住民税通知書作成")
    _planned(factory, db_session, factory.department().id, "他課の委託")
    html = client.post(
        "/inspections/calendar", data={"csrf_token": csrf_token(client, "/inspections/calendar")}
    )
    url = re.search(r"<code>(http[^<]+\.ics)</code>", html.get_data(as_text=True)).group(1)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})

    feed = client.get(url)  # no session needed: the token is the credential
    text = feed.get_data(as_text=True)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    assert f"UID:inspection-{mine.id}@" in unfolded and "DTSTART;VALUE=DATE:20270210" in unfolded
    assert "住民税通知書作成" in unfolded and "他課の委託" not in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_new_url_ends_the_old_one(client, login):
    login(Role.STAFF)
    page = "/inspections/calendar"
    first = client.post(page, data={"csrf_token": csrf_token(client, page)}).get_data(as_text=True)
    second = client.post(page, data={"csrf_token": csrf_token(client, page)}).get_data(as_text=True)
    old = re.search(r"<code>http://[^/]+(/[^<]+)</code>", first).group(1)
    new = re.search(r"<code>http://[^/]+(/[^<]+)</code>", second).group(1)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "実地検査" * 40
    parts = list(_fold(line))
    assert "".join(p for p in parts) == line
    assert all(len(p.encode()) <= 75 for p in parts)
