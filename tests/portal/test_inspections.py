"""Inspections: what is due, scheduling, recording, the vendor's answer, and who sees what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chain_helpers import make_node
from sqlmodel import select

from portal.inspections import operations as ops
from portal.inspections.models import (
    ActionStatus,
    CorrectiveAction,
    Inspection,
    InspectionStatus,
)
from portal.inspections.rules import CHECKLIST_ITEMS
from portal.permissions import Role
from portal.timeutil import local_today
from portal_testing import csrf_token, sign_in

TODAY = date(2026, 11, 24)
ALL_OK = {key: {"result": "ok", "note": ""} for key in CHECKLIST_ITEMS}


@pytest.fixture
def chain(factory):
    """An officer, a root held by vendor A, a subcontract held by vendor B, their users."""
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor("株式会社A"), factory.vendor("株式会社B")
    root = make_node(factory, department_id=officer.department_id, vendor=vendor_a, persons=10)
    child = make_node(factory, department_id=0, vendor=vendor_b, parent=root, special_care=True)
    a_user = factory.user(Role.VENDOR, vendor_id=vendor_a.id)
    b_user = factory.user(Role.VENDOR, vendor_id=vendor_b.id)
    return officer, root, child, a_user, b_user


def _open(session, node) -> Inspection:
    return session.exec(
        select(Inspection).where(
            Inspection.outsourcing_id == node.id, Inspection.status.in_(["due", "planned"])
        )
    ).one()


def test_sync_creates_one_inspection_per_active_node(app_ctx, chain, db_session):
    _officer, root, child, *_ = chain
    result = ops.sync_inspections(session=db_session, today=TODAY)
    assert result.created >= 2
    # 12 months for the root; 6 for the subcontract with 要配慮個人情報 (miki profile).
    assert _open(db_session, root).due_date == date(2027, 3, 31)
    assert _open(db_session, root).performed_by == "municipality"
    assert _open(db_session, child).due_date == date(2026, 9, 30)
    assert _open(db_session, child).performed_by == "contractor"
    again = ops.sync_inspections(session=db_session, today=TODAY)
    assert (again.created, again.cancelled) == (0, 0)


def test_ended_outsourcing_keeps_history_but_gets_no_new_inspection(app_ctx, chain, db_session):
    officer, _root, child, *_ = chain
    ops.sync_inspections(session=db_session, today=TODAY)
    inspection = _open(db_session, child)
    ops.record_inspection(
        session=db_session,
        actor=officer,
        inspection=inspection,
        outsourcing=child,
        record=ops.InspectionRecord(
            completed_on=date(2026, 9, 1),
            method="on_site",
            performed_by="contractor",
            checklist=ALL_OK,
        ),
        today=TODAY,
    )
    child.status = "ended"
    db_session.add(child)
    ops.sync_inspections(session=db_session, today=TODAY)
    rows = db_session.exec(select(Inspection).where(Inspection.outsourcing_id == child.id)).all()
    assert sorted(r.status for r in rows) == ["cancelled", "completed"]


def test_contract_change_moves_the_due_date_and_drops_a_plan_outside_it(app_ctx, chain, db_session):
    _officer, root, *_ = chain
    ops.sync_inspections(session=db_session, today=TODAY)
    inspection = _open(db_session, root)
    inspection.planned_date, inspection.status = date(2027, 3, 10), "planned"
    root.end_date = date(2027, 1, 31)
    db_session.add_all([inspection, root])
    ops.sync_inspections(session=db_session, today=TODAY)
    assert inspection.due_date == date(2027, 1, 31)
    assert (inspection.planned_date, inspection.status) == (None, "due")


def test_remote_needs_a_reason_and_dates_stay_in_the_contract(app_ctx, chain, db_session):
    _officer, root, *_ = chain
    ops.sync_inspections(session=db_session, today=TODAY)
    inspection = _open(db_session, root)
    kwargs = {"session": db_session, "inspection": inspection, "outsourcing": root}
    with pytest.raises(ops.InspectionError, match="理由"):
        ops.schedule_inspection(
            **kwargs,
            planned_date=None,
            inspector_id=None,
            method="remote",
            performed_by="municipality",
        )
    with pytest.raises(ops.InspectionError, match="契約期間"):
        ops.schedule_inspection(
            **kwargs,
            planned_date=date(2027, 4, 5),
            inspector_id=None,
            method="on_site",
            performed_by="municipality",
        )


def test_recording_creates_findings_actions_and_the_next_inspection(app_ctx, chain, db_session):
    officer, root, *_ = chain
    ops.sync_inspections(session=db_session, today=TODAY)
    inspection = _open(db_session, root)
    ops.record_inspection(
        session=db_session,
        actor=officer,
        inspection=inspection,
        outsourcing=root,
        record=ops.InspectionRecord(
            completed_on=date(2026, 5, 20),
            method="on_site",
            performed_by="municipality",
            checklist=ALL_OK | {"security": {"result": "ng", "note": "施錠なし"}},
            findings=(
                ops.FindingInput(
                    description="書庫が施錠されていない",
                    severity="major",
                    item="security",
                    action="書庫の施錠管理を行う",
                    action_due=date(2026, 6, 30),
                ),
            ),
        ),
        today=TODAY,
    )
    assert inspection.status == InspectionStatus.COMPLETED
    action = db_session.exec(select(CorrectiveAction)).one()
    assert (action.outsourcing_id, action.status) == (root.id, ActionStatus.OPEN)
    # The contract ends 2027-03-31, before another inspection 12 months on is due.
    assert (
        db_session.exec(
            select(Inspection).where(
                Inspection.outsourcing_id == root.id, Inspection.status.in_(["due", "planned"])
            )
        ).first()
        is None
    )


def test_record_refuses_future_dates_and_actions_without_a_due_date(app_ctx, chain, db_session):
    officer, root, *_ = chain
    ops.sync_inspections(session=db_session, today=TODAY)
    inspection = _open(db_session, root)
    base = {"method": "on_site", "performed_by": "municipality", "checklist": ALL_OK}
    for record, message in [
        (ops.InspectionRecord(completed_on=TODAY + timedelta(days=1), **base), "未来"),
        (
            ops.InspectionRecord(
                completed_on=TODAY, **base, findings=(ops.FindingInput("x", action="直す"),)
            ),
            "是正措置の期限",
        ),
        (
            ops.InspectionRecord(completed_on=TODAY, method="on_site", performed_by="municipality"),
            "確認項目",
        ),
    ]:
        with pytest.raises(ops.InspectionError, match=message):
            ops.record_inspection(
                session=db_session,
                actor=officer,
                inspection=inspection,
                outsourcing=root,
                record=record,
                today=TODAY,
            )


# --- views -----------------------------------------------------------------------------


def _record_form(token: str, completed_on: date) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "completed_on": completed_on.isoformat(),
        "method": "on_site",
        "performed_by": "municipality",
        "summary": "おおむね適切",
        "findings-0-description": "持出し記録が不十分",
        "findings-0-severity": "minor",
        "findings-0-action": "持出し記録簿を整備する",
        "findings-0-action_due": (completed_on + timedelta(days=30)).isoformat(),
    }
    for n, _key in enumerate(CHECKLIST_ITEMS):
        data[f"checks-{n}-result"] = "ok"
    return data


def test_officer_records_and_vendor_answers(client, chain, db_session):
    officer, root, _child, a_user, b_user = chain
    sign_in(client, officer.email)
    assert client.get("/inspections/").status_code == 200  # syncs the department
    inspection = _open(db_session, root)
    token = csrf_token(client, f"/inspections/{inspection.id}/record")
    remote = _record_form(token, local_today()) | {"method": "remote"}
    html = client.post(f"/inspections/{inspection.id}/record", data=remote).get_data(as_text=True)
    assert "その理由を記録してください" in html
    response = client.post(
        f"/inspections/{inspection.id}/record", data=_record_form(token, local_today())
    )
    assert response.status_code == 302
    action = db_session.exec(select(CorrectiveAction)).one()
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})

    # The subcontractor below does not see its contractor's inspection.
    sign_in(client, b_user.email)
    assert client.get(f"/inspections/{inspection.id}").status_code == 404
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})

    sign_in(client, a_user.email)
    html = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "持出し記録簿を整備する" in html
    token = csrf_token(client, f"/inspections/{inspection.id}")
    response = client.post(
        f"/inspections/actions/{action.id}/answer",
        data={"csrf_token": token, "answer": "記録簿を作成し運用を開始した"},
    )
    assert response.status_code == 302
    db_session.refresh(action)
    assert action.status == ActionStatus.ANSWERED
    sheet = client.get(f"/inspections/{inspection.id}/sheet").get_data(as_text=True)
    assert "実地検査票" in sheet and "持出し記録が不十分" in sheet


def test_other_department_cannot_see_or_manage(app, client, chain, db_session, factory):
    _officer, root, *_ = chain
    with app.app_context():
        ops.sync_inspections(session=db_session, today=TODAY)
        db_session.commit()
    inspection = _open(db_session, root)
    stranger = factory.user(Role.STAFF)
    sign_in(client, stranger.email)
    assert client.get(f"/inspections/{inspection.id}").status_code == 404
    token = csrf_token(client, "/auth/password")
    assert (
        client.post(
            f"/inspections/{inspection.id}/schedule", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert "権限確認" not in client.get("/inspections/").get_data(as_text=True)


# --- chasing ---------------------------------------------------------------------------


def test_tree_badges_overdue_filter_and_green(app, client, factory, db_session):
    officer = factory.user(Role.STAFF)
    vendor = factory.vendor("株式会社期限切れ")
    today = local_today()
    late = make_node(
        factory,
        department_id=officer.department_id,
        vendor=vendor,
        task_name="期限切れの委託",
        start_date=today - timedelta(days=400),
        end_date=today + timedelta(days=400),
    )
    fresh = make_node(
        factory,
        department_id=officer.department_id,
        vendor=factory.vendor("株式会社検査済"),
        task_name="検査済の委託",
        start_date=today - timedelta(days=100),
        end_date=today + timedelta(days=200),
    )
    with app.app_context():
        ops.sync_inspections(session=db_session, today=today)
        ops.record_inspection(
            session=db_session,
            actor=officer,
            inspection=_open(db_session, fresh),
            outsourcing=fresh,
            record=ops.InspectionRecord(
                completed_on=today, method="on_site", performed_by="municipality", checklist=ALL_OK
            ),
            today=today,
        )
        db_session.commit()
    assert _open(db_session, late).due_date < today
    sign_in(client, officer.email)
    html = client.get("/outsourcings/tree").get_data(as_text=True)
    assert "検査期限超過" in html and "検査済" in html
    html = client.get("/outsourcings/tree?overdue=y").get_data(as_text=True)
    assert "期限切れの委託" in html and "検査済の委託" not in html
    html = client.get("/inspections/").get_data(as_text=True)
    assert "期限超過（1件）" in html and "期限切れの委託" in html


def test_due_list_is_per_department(app, client, factory, db_session):
    officer, other = factory.user(Role.STAFF), factory.user(Role.STAFF)
    today = local_today()
    for user, name in [(officer, "自課の委託"), (other, "他課の委託")]:
        make_node(
            factory,
            department_id=user.department_id,
            vendor=factory.vendor(),
            task_name=name,
            start_date=today - timedelta(days=360),
            end_date=today + timedelta(days=300),
        )
    with app.app_context():
        ops.sync_inspections(session=db_session, today=today)
        db_session.commit()
    sign_in(client, officer.email)
    html = client.get("/inspections/").get_data(as_text=True)
    assert "自課の委託" in html and "他課の委託" not in html


def test_daily_job_is_scheduled_and_recomputes(app, factory, db_session):
    from datetime import UTC, datetime

    from portal.inspections.jobs import inspections_daily

    huey = app.extensions["portal.huey"]
    names = {t.name for t in huey.read_periodic(datetime(2026, 1, 1, 5, 30, tzinfo=UTC))}
    assert "inspections_daily" in names
    officer = factory.user(Role.STAFF)
    node = make_node(factory, department_id=officer.department_id, vendor=factory.vendor())
    with app.app_context():
        assert inspections_daily(session=db_session)["created"] >= 1
        assert inspections_daily(session=db_session)["created"] == 0
    assert _open(db_session, node).due_date == date(2027, 3, 31)


# --- API -------------------------------------------------------------------------------


def test_api_lists_inspections_in_scope_with_exact_fields(app, client, chain, db_session, factory):
    from portal.api.operations import create_token

    officer, root, child, _a_user, b_user = chain
    stranger = factory.user(Role.STAFF)
    with app.app_context():
        ops.sync_inspections(session=db_session, today=TODAY)
        secrets = {
            user.email: create_token(session=db_session, user=user).secret
            for user in (officer, b_user, stranger)
        }
        db_session.commit()

    def get(user, **params):
        headers = {"Authorization": f"Bearer {secrets[user.email]}"}
        return client.get("/api/v1/inspections", headers=headers, query_string=params).get_json()

    body = get(officer)
    mine = {item["outsourcing_id"]: item for item in body["items"]}
    assert set(mine) == {root.id, child.id} and body["next"] is None
    assert mine[root.id] == {
        "id": mine[root.id]["id"],
        "outsourcing_id": root.id,
        "due_date": "2027-03-31",
        "planned_date": None,
        "method": "on_site",
        "performed_by": "municipality",
        "status": "due",
        "completed_on": None,
    }
    assert {i["outsourcing_id"] for i in get(b_user)["items"]} == {child.id}
    assert get(stranger)["items"] == []
    first = get(officer, limit=1)
    assert len(first["items"]) == 1 and "after=" in first["next"]
