"""Incidents: reporting and the immediate notice, the Commission decision and deadlines,
escalation up each profile's chain, measures shared with similar work, the publication
decision, closing, the timeline, scope, reminders, e-mail and the API."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from chain_helpers import make_node
from sqlmodel import select
from test_reminders import smtp_server  # noqa: F401 - the aiosmtpd fixture

from clauses.profile import BUILTIN_DIR
from portal import create_app
from portal.api.operations import create_token
from portal.incidents import operations as ops
from portal.incidents.jobs import incident_notice_mail, send_deadline_reminders
from portal.incidents.models import (
    Incident,
    IncidentEvent,
    IncidentNotice,
    IncidentReminder,
    IncidentShare,
)
from portal.outsourcings.badges import badges_for
from portal.permissions import Role
from portal.timeutil import local_today
from portal_testing import base_config, csrf_token, sign_in

TODAY = date(2026, 11, 24)


@pytest.fixture
def chain(factory):
    """A manager and staff of the owning department, a root held by vendor A, a subcontract
    held by vendor B, the chief, and vendor users of A, B and an unrelated C."""
    manager = factory.user(Role.MANAGER)
    staff = factory.user(Role.STAFF, department_id=manager.department_id)
    vendor_a, vendor_b = factory.vendor("株式会社A"), factory.vendor("株式会社B")
    root = make_node(
        factory,
        department_id=manager.department_id,
        vendor=vendor_a,
        task_name="住民税通知書作成",
        pi_categories="氏名、住所、税額",
    )
    child = make_node(factory, department_id=0, vendor=vendor_b, parent=root)
    return {
        "manager": manager,
        "staff": staff,
        "chief": factory.user(Role.CHIEF),
        "root": root,
        "child": child,
        "vendor_a": vendor_a,
        "a_user": factory.user(Role.VENDOR, vendor_id=vendor_a.id),
        "b_user": factory.user(Role.VENDOR, vendor_id=vendor_b.id),
        "c_user": factory.user(Role.VENDOR),
    }


def _report(**fields) -> ops.IncidentReport:
    values = {"summary": "封入誤りで他人の通知書を送付した。", "discovered_on": TODAY, "persons": 3}
    return ops.IncidentReport(**{**values, **fields})


def _post_report(client, node_id: int, persons: int, **extra) -> object:
    data = {
        "csrf_token": csrf_token(client, "/incidents/new"),
        "outsourcing_id": str(node_id),
        "kind": "leak",
        "summary": "誤送信により名簿ファイルが外部に送られた。",
        "discovered_on": local_today().isoformat(),
        "persons": str(persons),
        "containment": "送信先に削除を依頼し、削除の報告を受けた。",
        **extra,
    }
    return client.post("/incidents/new", data=data)


# -- reporting, the decision and the deadlines -------------------------------------------------


def test_vendor_reports_150_persons_commission_required_manager_notified(client, chain, db_session):
    sign_in(client, chain["a_user"].email)
    response = _post_report(client, chain["root"].id, 150)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    incident = db_session.exec(select(Incident)).one()
    today = local_today()
    assert incident.commission_required and incident.commission_reasons == ["persons"]
    assert incident.aware_on == today  # the municipality learns of it by the vendor's report
    assert incident.first_report_due == today + timedelta(days=5)
    assert incident.final_report_due == today + timedelta(days=30)
    notices = db_session.exec(select(IncidentNotice)).all()
    assert [n.user_id for n in notices] == [chain["manager"].id]  # the manager, not the staff
    kinds = [e.kind for e in db_session.exec(select(IncidentEvent).order_by(IncidentEvent.id))]
    assert kinds == ["reported", "notified"]
    from portal.audit.models import AccessEvent

    assert client.get(f"/incidents/{incident.id}").status_code == 200
    logged = [
        (e.action, e.actor_id)
        for e in db_session.exec(
            select(AccessEvent)
            .where(AccessEvent.object_type == "incident")
            .order_by(AccessEvent.seq)
        )
    ]
    assert logged == [
        ("incident.report", chain["a_user"].id),
        ("incident.view", chain["a_user"].id),
    ]

    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "報告が必要です" in html
    assert (today + timedelta(days=5)).isoformat() in html
    assert (today + timedelta(days=30)).isoformat() in html
    assert "未報告（期限内）" in html


def test_one_hundred_persons_needs_no_commission_report(app_ctx, chain, db_session):
    incident = ops.report_incident(
        session=db_session,
        actor=chain["staff"],
        outsourcing=chain["root"],
        report=_report(persons=100),
        today=TODAY,
    )
    assert not incident.commission_required
    assert incident.final_report_due is None
    with pytest.raises(ops.IncidentError, match="報告を要しません"):
        ops.record_commission_report(
            session=db_session,
            actor=chain["staff"],
            incident=incident,
            which="first",
            filed_on=TODAY,
            today=TODAY,
        )


def test_staff_report_counts_from_the_day_found_and_wrongful_purpose_gives_60_days(
    app_ctx, chain, db_session
):
    found = TODAY - timedelta(days=3)
    incident = ops.report_incident(
        session=db_session,
        actor=chain["staff"],
        outsourcing=chain["root"],
        report=_report(discovered_on=found, wrongful_purpose=True, persons=2),
        today=TODAY,
    )
    assert incident.aware_on == found
    assert incident.commission_reasons == ["wrongful_purpose"]
    assert incident.final_report_due == found + timedelta(days=60)


def test_bad_input_is_refused_with_a_japanese_message(app_ctx, chain, db_session):
    for report, message in [
        (_report(summary="  "), "何が起きたか"),
        (_report(discovered_on=TODAY + timedelta(days=1)), "未来"),
        (_report(persons=-1), "人数"),
        (_report(kind="fire"), "種類"),
    ]:
        with pytest.raises(ops.IncidentError, match=message):
            ops.report_incident(
                session=db_session,
                actor=chain["staff"],
                outsourcing=chain["root"],
                report=report,
                today=TODAY,
            )


def test_bad_form_keeps_what_was_typed(client, chain, db_session):
    sign_in(client, chain["a_user"].email)
    response = _post_report(client, chain["root"].id, 150, summary="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "何が起きたかを入力してください。" in html
    assert "送信先に削除を依頼し" in html  # nothing typed is lost
    assert db_session.exec(select(Incident)).first() is None


def test_correcting_the_persons_changes_the_decision(app_ctx, chain, db_session):
    incident = ops.report_incident(
        session=db_session,
        actor=chain["staff"],
        outsourcing=chain["root"],
        report=_report(persons=40),
        today=TODAY,
    )
    assert not incident.commission_required
    ops.update_facts(
        session=db_session,
        actor=chain["staff"],
        incident=incident,
        report=_report(persons=101),
        today=TODAY,
    )
    assert incident.commission_required
    assert incident.final_report_due == TODAY + timedelta(days=30)
    note = db_session.exec(
        select(IncidentEvent.note).where(IncidentEvent.kind == "facts_updated")
    ).one()
    assert "必要になりました" in note


def test_a_profile_change_changes_the_decision(engine, connection, tmp_path, factory, chain):
    extra = tmp_path / "profiles"
    extra.mkdir()
    text = (BUILTIN_DIR / "miki.toml").read_text(encoding="utf-8")
    text = text.replace('id = "miki"', 'id = "sakura"')
    text = text.replace("persons_threshold = 100", "persons_threshold = 500")
    text = text.replace("final_report_days = 30", "final_report_days = 20")
    (extra / "sakura.toml").write_text(text, encoding="utf-8")
    shutil.copy(BUILTIN_DIR / "kuki.toml", extra / "kuki.toml")
    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_ENGINE": engine,
            "DATABASE_CONNECTION": connection,
            "PROFILE": "sakura",
            "PROFILE_PATH": [str(extra)],
        }
    )
    with app.app_context():
        rule = ops.commission_rule()
        session = factory.session
        many = ops.report_incident(
            session=session,
            actor=chain["staff"],
            outsourcing=chain["root"],
            report=_report(persons=150),
            today=TODAY,
        )
        assert not many.commission_required  # 150 is not more than 500 in this profile
        care = ops.report_incident(
            session=session,
            actor=chain["staff"],
            outsourcing=chain["root"],
            report=_report(persons=1, special_care=True),
            today=TODAY,
        )
        assert care.final_report_due == TODAY + timedelta(days=20)
        assert rule.persons_threshold == 500


# -- escalation ---------------------------------------------------------------------------------


def _escalate(client, incident_id: int, note: str = "経緯と被害状況を報告します。"):
    return client.post(
        f"/incidents/{incident_id}/escalate",
        data={
            "csrf_token": csrf_token(client, f"/incidents/{incident_id}"),
            "escalation_note": note,
        },
    )


def test_miki_escalation_reaches_the_mayor_step_by_step(app, client, chain, db_session):
    with app.app_context():
        incident = ops.report_incident(
            session=db_session,
            actor=chain["a_user"],
            outsourcing=chain["root"],
            report=_report(),
            today=TODAY,
        )
        db_session.commit()
    sign_in(client, chain["chief"].email)
    assert _escalate(client, incident.id).status_code == 403  # not the chief's step yet
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    sign_in(client, chain["manager"].email)
    assert _escalate(client, incident.id, note="").status_code == 302  # sent back: no note
    assert db_session.get(Incident, incident.id).escalation_level == 0
    assert _escalate(client, incident.id).status_code == 302
    assert _escalate(client, incident.id).status_code == 403  # now the chief's step
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    sign_in(client, chain["chief"].email)
    assert _escalate(client, incident.id).status_code == 302
    assert _escalate(client, incident.id, note="市長に報告した。").status_code == 302
    assert _escalate(client, incident.id).status_code == 403  # the top: nothing above
    db_session.expire_all()
    assert db_session.get(Incident, incident.id).escalation_level == 3
    steps = db_session.exec(
        select(IncidentEvent.step, IncidentEvent.actor_id)
        .where(IncidentEvent.incident_id == incident.id, IncidentEvent.kind == "escalated")
        .order_by(IncidentEvent.id)
    ).all()
    assert steps == [
        ("統括情報セキュリティ責任者", chain["manager"].id),
        ("最高情報セキュリティ責任者", chain["chief"].id),
        ("市長", chain["chief"].id),
    ]
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "報告経路の最上位まで報告済みです。" in html
    timeline = client.get(f"/incidents/{incident.id}/timeline").get_data(as_text=True)
    assert timeline.index("報告を受付") < timeline.index("市長に報告した。")


def test_kuki_chain_ends_at_the_mayor_after_the_chief(engine, connection, tmp_path, factory, chain):
    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_ENGINE": engine,
            "DATABASE_CONNECTION": connection,
            "PROFILE": "kuki",
        }
    )
    with app.app_context():
        session = factory.session
        incident = ops.report_incident(
            session=session,
            actor=chain["staff"],
            outsourcing=chain["root"],
            report=_report(),
            today=TODAY,
        )
        assert not ops.can_escalate(chain["staff"], incident, chain["root"])
        ops.escalate_incident(
            session=session,
            actor=chain["manager"],
            incident=incident,
            outsourcing=chain["root"],
            note="総括保護管理者へ",
        )
        ops.escalate_incident(
            session=session,
            actor=chain["chief"],
            incident=incident,
            outsourcing=chain["root"],
            note="市長へ",
        )
        assert incident.escalation_level == 2
        assert not ops.can_escalate(chain["chief"], incident, chain["root"])
        notified = session.exec(
            select(IncidentNotice.user_id).where(IncidentNotice.kind == "escalated")
        ).all()
        assert notified == [chain["chief"].id]


def test_another_departments_manager_cannot_escalate(app_ctx, chain, db_session, factory):
    incident = ops.report_incident(
        session=db_session,
        actor=chain["staff"],
        outsourcing=chain["root"],
        report=_report(),
        today=TODAY,
    )
    stranger = factory.user(Role.MANAGER)
    assert not ops.can_escalate(stranger, incident, chain["root"])
    assert ops.can_escalate(chain["manager"], incident, chain["root"])


# -- Commission reports, measures, publication, close --------------------------------------------


def test_commission_reports_then_close(app_ctx, chain, db_session):
    incident = ops.report_incident(
        session=db_session,
        actor=chain["staff"],
        outsourcing=chain["root"],
        report=_report(persons=250),
        today=TODAY,
    )
    staff = chain["staff"]

    def file(which, day, today=TODAY + timedelta(days=40)):
        return ops.record_commission_report(
            session=db_session,
            actor=staff,
            incident=incident,
            which=which,
            filed_on=day,
            today=today,
        )

    with pytest.raises(ops.IncidentError, match="速報を記録"):
        file("final", TODAY + timedelta(days=10))
    with pytest.raises(ops.IncidentError, match="未来"):
        file("first", TODAY + timedelta(days=2), today=TODAY)
    with pytest.raises(ops.IncidentError, match="知った日より前"):
        file("first", TODAY - timedelta(days=1))
    file("first", TODAY + timedelta(days=2))
    with pytest.raises(ops.IncidentError, match="既に"):
        file("first", TODAY + timedelta(days=3))
    with pytest.raises(ops.IncidentError, match="完了にする前に"):
        ops.close_incident(session=db_session, actor=staff, incident=incident)
    file("final", TODAY + timedelta(days=31))  # a day late: recorded, shown as late
    ops.record_measures(
        session=db_session,
        actor=staff,
        incident=incident,
        outsourcing=chain["root"],
        cause="封入機の設定確認が一人で行われていた。",
        measures="封入前の二人確認と抜取検査を義務付ける。",
    )
    with pytest.raises(ops.IncidentError, match="公表・本人への通知"):
        ops.close_incident(session=db_session, actor=staff, incident=incident)
    ops.decide_publication(
        session=db_session,
        actor=staff,
        incident=incident,
        decision="publish_and_notify",
        reason="影響が大きいため公表し、対象者全員に通知する。",
    )
    ops.close_incident(session=db_session, actor=staff, incident=incident)
    assert incident.status == "closed"
    kinds = [
        e.kind
        for e in db_session.exec(
            select(IncidentEvent)
            .where(IncidentEvent.incident_id == incident.id)
            .order_by(IncidentEvent.id)
        )
    ]
    assert kinds == [
        "reported",
        "notified",
        "first_report",
        "final_report",
        "measures",
        "publication",
        "closed",
    ]


def test_without_a_commission_report_the_publication_decision_is_needed_to_close(
    app_ctx, chain, db_session
):
    staff = chain["staff"]
    incident = ops.report_incident(
        session=db_session, actor=staff, outsourcing=chain["root"], report=_report(), today=TODAY
    )
    ops.record_measures(
        session=db_session,
        actor=staff,
        incident=incident,
        outsourcing=chain["root"],
        cause="原因",
        measures="対策",
    )
    assert ops.close_blockers(incident) == ["公表・本人への通知の判断"]
    with pytest.raises(ops.IncidentError, match="理由"):
        ops.decide_publication(
            session=db_session, actor=staff, incident=incident, decision="none", reason=" "
        )
    ops.decide_publication(
        session=db_session,
        actor=staff,
        incident=incident,
        decision="notify",
        reason="3名に個別に連絡し謝罪する。公表は要しない。",
    )
    assert incident.publication_decided_by_id == staff.id
    ops.close_incident(session=db_session, actor=staff, incident=incident)
    assert incident.closed_by_id == staff.id


def test_measures_are_shared_with_departments_running_similar_work(
    client, app, chain, db_session, factory
):
    same_vendor_dept = factory.department("健康課")
    same_vendor_officer = factory.user(Role.STAFF, department_id=same_vendor_dept.id)
    make_node(
        factory,
        department_id=same_vendor_dept.id,
        vendor=chain["vendor_a"],
        task_name="健診結果通知",
    )
    similar_dept = factory.department("国保課")
    similar_officer = factory.user(Role.MANAGER, department_id=similar_dept.id)
    make_node(
        factory,
        department_id=similar_dept.id,
        vendor=factory.vendor(),
        task_name="保険税通知",
        pi_categories="氏名・住所・保険税額",
    )
    unrelated_dept = factory.department("公園課")
    unrelated_officer = factory.user(Role.STAFF, department_id=unrelated_dept.id)
    make_node(
        factory,
        department_id=unrelated_dept.id,
        vendor=factory.vendor(),
        task_name="公園清掃",
        pi_categories="氏名",
    )
    ended_dept = factory.department("旧課")
    make_node(factory, department_id=ended_dept.id, vendor=chain["vendor_a"], status="ended")
    with app.app_context():
        incident = ops.report_incident(
            session=db_session,
            actor=chain["staff"],
            outsourcing=chain["root"],
            report=_report(),
            today=TODAY,
        )
        ops.record_measures(
            session=db_session,
            actor=chain["staff"],
            incident=incident,
            outsourcing=chain["root"],
            cause="宛名の突合が目視のみだった。",
            measures="宛名と封入物をバーコードで機械照合する。",
        )
        db_session.commit()
    shares = {s.department_id: s.reason for s in db_session.exec(select(IncidentShare)).all()}
    assert shares == {same_vendor_dept.id: "vendor", similar_dept.id: "categories"}
    notified = set(
        db_session.exec(select(IncidentNotice.user_id).where(IncidentNotice.kind == "shared"))
    )
    assert notified == {same_vendor_officer.id, similar_officer.id}

    sign_in(client, similar_officer.email)
    html = client.get("/incidents/measures").get_data(as_text=True)
    assert "バーコードで機械照合" in html and "個人情報の項目が共通" in html
    assert client.get(f"/incidents/{incident.id}").status_code == 404  # not its chain
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    sign_in(client, unrelated_officer.email)
    assert "バーコードで機械照合" not in client.get("/incidents/measures").get_data(as_text=True)


# -- scope -------------------------------------------------------------------------------------


def test_vendors_see_only_their_part_of_the_chain(app, client, chain, db_session):
    with app.app_context():
        at_root = ops.report_incident(
            session=db_session,
            actor=chain["a_user"],
            outsourcing=chain["root"],
            report=_report(summary="親の事案"),
            today=TODAY,
        )
        at_child = ops.report_incident(
            session=db_session,
            actor=chain["b_user"],
            outsourcing=chain["child"],
            report=_report(summary="再委託先の事案"),
            today=TODAY,
        )
        db_session.commit()
    sign_in(client, chain["b_user"].email)
    assert client.get(f"/incidents/{at_child.id}").status_code == 200
    assert client.get(f"/incidents/{at_root.id}").status_code == 404
    assert client.get(f"/incidents/{at_root.id}/timeline").status_code == 404
    listing = client.get("/incidents/").get_data(as_text=True)
    assert f'/incidents/{at_root.id}"' not in listing
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})

    sign_in(client, chain["a_user"].email)  # the contractor sees its subcontractor's incident
    assert client.get(f"/incidents/{at_child.id}").status_code == 200
    token = csrf_token(client, "/auth/password")
    assert (
        client.post(f"/incidents/{at_child.id}/close", data={"csrf_token": token}).status_code
        == 403
    )
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})

    sign_in(client, chain["c_user"].email)  # another vendor
    assert client.get(f"/incidents/{at_root.id}").status_code == 404
    assert client.get(f"/incidents/{at_child.id}/timeline").status_code == 404
    before = len(db_session.exec(select(Incident)).all())
    response = _post_report(client, chain["root"].id, 5)
    assert response.status_code == 200  # not one of its nodes: refused, nothing recorded
    db_session.expire_all()
    assert len(db_session.exec(select(Incident)).all()) == before


def test_open_incident_badge_on_the_node(app_ctx, chain, db_session):
    incident = ops.report_incident(
        session=db_session,
        actor=chain["staff"],
        outsourcing=chain["child"],
        report=_report(),
        today=TODAY,
    )
    badges = badges_for(db_session, [chain["root"], chain["child"]])
    assert any("incident" in b.flags for b in badges[chain["child"].id])
    assert not any("incident" in b.flags for b in badges[chain["root"].id])
    incident.status = "closed"
    db_session.flush()
    badges = badges_for(db_session, [chain["child"]])
    assert not any("incident" in b.flags for b in badges[chain["child"].id])


# -- reminders, e-mail, API ----------------------------------------------------------------------


def test_deadline_reminders_each_once(app_ctx, chain, db_session):
    incident = ops.report_incident(
        session=db_session,
        actor=chain["staff"],
        outsourcing=chain["root"],
        report=_report(persons=300),
        today=TODAY,
    )
    config: dict = {}
    assert send_deadline_reminders(session=db_session, today=TODAY, config=config) == 0
    day5 = TODAY + timedelta(days=5)
    assert send_deadline_reminders(session=db_session, today=day5, config=config) == 1
    assert send_deadline_reminders(session=db_session, today=day5, config=config) == 0
    late = TODAY + timedelta(days=31)
    assert send_deadline_reminders(session=db_session, today=late, config=config) == 1
    kinds = set(
        db_session.exec(
            select(IncidentReminder.kind).where(IncidentReminder.incident_id == incident.id)
        )
    )
    assert kinds == {"first", "final_overdue"}
    notices = db_session.exec(
        select(IncidentNotice.user_id).where(IncidentNotice.kind == "reminder")
    ).all()
    assert set(notices) == {chain["manager"].id, chain["staff"].id}


def test_notices_are_emailed(app, chain, db_session, smtp_server):  # noqa: F811
    config, inbox = smtp_server
    app.config.update(config)
    with app.app_context():
        ops.report_incident(
            session=db_session,
            actor=chain["a_user"],
            outsourcing=chain["root"],
            report=_report(),
            today=TODAY,
        )
        ids = [n.id for n in db_session.exec(select(IncidentNotice))]
        assert incident_notice_mail(ids, session=db_session) == 1
    assert inbox.messages[0]["To"] == chain["manager"].email
    assert "住民税通知書作成" in inbox.messages[0].get_payload(decode=True).decode("utf-8")


def test_api_lists_incidents_in_scope(client, app, chain, db_session):
    with app.app_context():
        mine = ops.report_incident(
            session=db_session,
            actor=chain["b_user"],
            outsourcing=chain["child"],
            report=_report(persons=120),
            today=TODAY,
        )
        ops.report_incident(
            session=db_session,
            actor=chain["a_user"],
            outsourcing=chain["root"],
            report=_report(),
            today=TODAY,
        )
        secret = create_token(session=db_session, user=chain["b_user"]).secret
        db_session.commit()
    body = client.get("/api/v1/incidents", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert [item["id"] for item in body["items"]] == [mine.id]
    assert body["items"][0]["commission_required"] is True
    assert body["items"][0]["final_report_due"] == (TODAY + timedelta(days=30)).isoformat()


def test_demo_comes_with_an_open_and_a_closed_incident(runner, db_session):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    incidents = db_session.exec(select(Incident).order_by(Incident.id)).all()
    assert [i.status for i in incidents] == ["open", "closed"]
    big, small = incidents
    # The open one is inside its 速報 window (issue 13: a demo that looks like a real year).
    assert big.commission_required and big.escalation_level == 1
    assert big.first_reported_on is None and big.first_report_due >= date.today()
    assert small.publication_decision == "notify" and small.measures


def test_profile_page_shows_the_commission_rules(client, login):
    login(Role.CHIEF)
    html = client.get("/admin/profile").get_data(as_text=True)
    assert "30日（不正の目的の場合60日）" in html
    assert "本人の数は100人を超える場合" in html


def test_vendor_timeline_hides_the_internal_escalation_notes(app, client, chain, db_session):
    with app.app_context():
        incident = ops.report_incident(
            session=db_session,
            actor=chain["a_user"],
            outsourcing=chain["root"],
            report=_report(),
            today=TODAY,
        )
        ops.escalate_incident(
            session=db_session,
            actor=chain["manager"],
            incident=incident,
            outsourcing=chain["root"],
            note="内部の検討メモ",
        )
        db_session.commit()
    sign_in(client, chain["a_user"].email)
    html = client.get(f"/incidents/{incident.id}/timeline").get_data(as_text=True)
    assert "上位への報告" in html and "内部の検討メモ" not in html
    assert chain["manager"].email not in html
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    sign_in(client, chain["manager"].email)
    html = client.get(f"/incidents/{incident.id}/timeline").get_data(as_text=True)
    assert "内部の検討メモ" in html
