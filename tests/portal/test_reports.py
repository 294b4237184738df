"""Periodic reports: the slots owed, writing and submitting, review and history, unapproved
subcontractors on the tree, reminders, attachments, and who sees what."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from chain_helpers import make_node
from sqlmodel import select
from test_reminders import smtp_server, subject  # noqa: F401 - the SMTP fixture

from pdfgen import reportlab_pdf
from portal.api.operations import create_token
from portal.models import Outsourcing
from portal.outsourcings.badges import badges_for
from portal.permissions import Role
from portal.reports import operations as ops
from portal.reports.models import (
    ComplianceReport,
    ReportAttachment,
    ReportEvent,
    ReportReminder,
    ReportStatus,
    SubcontractViolation,
    ViolationStatus,
)
from portal.reports.reminders import send_due_reminders
from portal.reports.rules import checklist_items
from portal.timeutil import local_today
from portal_testing import csrf_token, sign_in

TODAY = date(2026, 11, 24)
ALL_YES = {key: {"answer": "yes", "comment": ""} for key, _title in checklist_items()}
NEW_NUMBER = "7000012050002"  # a valid 法人番号 nobody has registered in these tests


@pytest.fixture
def chain(factory):
    """An officer, a root held by vendor A, its approved subcontract held by vendor B."""
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor("株式会社A"), factory.vendor("株式会社B")
    root = make_node(factory, department_id=officer.department_id, vendor=vendor_a)
    child = make_node(factory, department_id=0, vendor=vendor_b, parent=root)
    a_user = factory.user(Role.VENDOR, vendor_id=vendor_a.id)
    b_user = factory.user(Role.VENDOR, vendor_id=vendor_b.id)
    return officer, root, child, a_user, b_user


def _reports(session, node) -> list[ComplianceReport]:
    return list(
        session.exec(
            select(ComplianceReport)
            .where(ComplianceReport.outsourcing_id == node.id)
            .order_by(ComplianceReport.period_start)
        ).all()
    )


def _content(**fields) -> ops.ReportContent:
    return ops.ReportContent(
        checklist=fields.pop("checklist", ALL_YES), had_incidents=False, **fields
    )


# --- operations ------------------------------------------------------------------------


def test_sync_owes_one_report_per_begun_period_and_follows_the_frequency(
    app_ctx, chain, db_session
):
    officer, root, child, *_ = chain
    ops.sync_reports(session=db_session, today=TODAY)
    reports = _reports(db_session, root)
    assert [(r.period_start, r.period_end, r.due_date) for r in reports] == [
        (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 14)),
        (date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 14)),
        (date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 14)),
    ]
    assert len(_reports(db_session, child)) == 3
    assert ops.sync_reports(session=db_session, today=TODAY).created == 0

    # A written report stays when the frequency changes; untouched slots follow the new one.
    ops.save_report(
        session=db_session,
        actor=_vendor_user(db_session, root),
        report=reports[1],
        outsourcing=root,
        content=_content(),
        submit=True,
        today=TODAY,
    )
    ops.set_frequency(
        session=db_session, actor=officer, outsourcing=root, frequency="half_yearly", today=TODAY
    )
    after = _reports(db_session, root)
    assert [(r.period_start, r.period_end, r.status) for r in after] == [
        (date(2026, 4, 1), date(2026, 9, 30), "due"),
        (date(2026, 7, 1), date(2026, 9, 30), "submitted"),
        (date(2026, 10, 1), date(2027, 3, 31), "due"),
    ]
    assert after[0].due_date == date(2026, 10, 14)
    with pytest.raises(ops.ReportError, match="頻度"):
        ops.set_frequency(
            session=db_session, actor=officer, outsourcing=root, frequency="weekly", today=TODAY
        )


def _vendor_user(session, node: Outsourcing):
    from portal.models import User

    return session.exec(select(User).where(User.vendor_id == node.vendor_id)).first()


def test_ended_or_not_started_outsourcings_owe_no_new_reports(app_ctx, factory, db_session):
    officer = factory.user(Role.STAFF)
    later = make_node(
        factory,
        department_id=officer.department_id,
        vendor=factory.vendor(),
        start_date=date(2027, 4, 1),
        end_date=date(2028, 3, 31),
    )
    ended = make_node(
        factory, department_id=officer.department_id, vendor=factory.vendor(), status="ended"
    )
    ops.sync_reports(session=db_session, today=TODAY)
    assert _reports(db_session, later) == [] and _reports(db_session, ended) == []


def test_draft_then_submit_checks_every_answer(app_ctx, chain, db_session):
    _officer, root, _child, a_user, b_user = chain
    ops.sync_reports(session=db_session, today=TODAY)
    first, _second, current = _reports(db_session, root)
    partial = {"confidentiality": {"answer": "yes", "comment": ""}}
    ops.save_report(
        session=db_session,
        actor=a_user,
        report=first,
        outsourcing=root,
        content=ops.ReportContent(checklist=partial),
        submit=False,
        today=TODAY,
    )
    assert first.status == ReportStatus.DRAFT
    assert first.checklist["confidentiality"]["answer"] == "yes"
    with pytest.raises(ops.ReportError, match="すべてに"):
        ops.save_report(
            session=db_session,
            actor=a_user,
            report=first,
            outsourcing=root,
            content=ops.ReportContent(checklist=partial, had_incidents=False),
            submit=True,
            today=TODAY,
        )
    with_no = ALL_YES | {"copying": {"answer": "no", "comment": ""}}
    with pytest.raises(ops.ReportError, match="理由と対応"):
        ops.save_report(
            session=db_session,
            actor=a_user,
            report=first,
            outsourcing=root,
            content=_content(checklist=with_no),
            submit=True,
            today=TODAY,
        )
    with pytest.raises(ops.ReportError, match="事案の内容"):
        ops.save_report(
            session=db_session,
            actor=a_user,
            report=first,
            outsourcing=root,
            content=ops.ReportContent(checklist=ALL_YES, had_incidents=True),
            submit=True,
            today=TODAY,
        )
    with pytest.raises(ops.ReportError, match="報告期間"):
        ops.save_report(
            session=db_session,
            actor=a_user,
            report=current,
            outsourcing=root,
            content=_content(),
            submit=True,
            today=TODAY,
        )
    with pytest.raises(ops.ReportError, match="委託を受けている委託先だけ"):
        ops.save_report(
            session=db_session,
            actor=b_user,
            report=first,
            outsourcing=root,
            content=_content(),
            submit=False,
            today=TODAY,
        )
    with pytest.raises(ops.ReportError, match="チェックデジット"):
        ops.save_report(
            session=db_session,
            actor=a_user,
            report=first,
            outsourcing=root,
            content=_content(
                subcontractors=(
                    ops.SubcontractorEntry(name="誤り", corporate_number="1000012050002"),
                )
            ),
            submit=False,
            today=TODAY,
        )
    with_no = ALL_YES | {"copying": {"answer": "no", "comment": "作業用PCに複製していた"}}
    ops.save_report(
        session=db_session,
        actor=a_user,
        report=first,
        outsourcing=root,
        content=_content(checklist=with_no),
        submit=True,
        today=TODAY,
    )
    assert first.status == ReportStatus.SUBMITTED and first.submitted_by_id == a_user.id
    with pytest.raises(ops.ReportError, match="提出済み"):
        ops.save_report(
            session=db_session,
            actor=a_user,
            report=first,
            outsourcing=root,
            content=_content(),
            submit=False,
            today=TODAY,
        )


def test_unapproved_subcontractor_raises_one_violation_shown_on_the_tree(
    app_ctx, chain, db_session
):
    _officer, root, child, a_user, _b_user = chain
    ops.sync_reports(session=db_session, today=TODAY)
    first, second, _current = _reports(db_session, root)
    entries = (
        ops.SubcontractorEntry(vendor_id=child.vendor_id),  # approved
        ops.SubcontractorEntry(name="株式会社無承認", corporate_number="7-0000-1205-0002"),
    )
    raised = ops.save_report(
        session=db_session,
        actor=a_user,
        report=first,
        outsourcing=root,
        content=_content(subcontractors=entries),
        submit=True,
        today=TODAY,
    )
    assert [(v.name, v.corporate_number) for v in raised] == [("株式会社無承認", NEW_NUMBER)]
    assert [s["corporate_number"] for s in first.subcontractors][1] == NEW_NUMBER
    badges = badges_for(db_session, [root, child])
    assert "報告で無承認の再委託" in [b.label for b in badges[root.id]]
    assert (
        "violation" in next(b for b in badges[root.id] if b.label == "報告で無承認の再委託").flags
    )
    assert "報告で無承認の再委託" not in [b.label for b in badges[child.id]]
    # Reported again while still open: the same violation, not a second one.
    again = ops.save_report(
        session=db_session,
        actor=a_user,
        report=second,
        outsourcing=root,
        content=_content(subcontractors=entries[1:]),
        submit=True,
        today=TODAY,
    )
    assert again == []
    assert len(db_session.exec(select(SubcontractViolation)).all()) == 1


def test_overdue_reports_show_on_the_tree(app_ctx, chain, db_session):
    _officer, root, child, *_ = chain
    ops.sync_reports(session=db_session, today=TODAY)
    badges = badges_for(db_session, [root, child])
    assert "定期報告遅延" in [b.label for b in badges[root.id]]  # due 2026-07-14, not written
    for report in _reports(db_session, root):
        report.status = ReportStatus.ACCEPTED
        db_session.add(report)
    db_session.flush()
    assert "定期報告遅延" not in [b.label for b in badges_for(db_session, [root])[root.id]]


def test_officer_returns_vendor_resubmits_officer_accepts_history_kept(
    app_ctx, chain, db_session, factory
):
    officer, root, _child, a_user, _b_user = chain
    ops.sync_reports(session=db_session, today=TODAY)
    report = _reports(db_session, root)[0]

    def submit() -> None:
        ops.save_report(
            session=db_session,
            actor=a_user,
            report=report,
            outsourcing=root,
            content=_content(),
            submit=True,
            today=TODAY,
        )

    submit()
    stranger = factory.user(Role.STAFF)
    with pytest.raises(ops.ReportError, match="所管する課室"):
        ops.review_report(
            session=db_session,
            actor=stranger,
            report=report,
            outsourcing=root,
            accept=True,
            comment="",
        )
    with pytest.raises(ops.ReportError, match="指摘を入力"):
        ops.review_report(
            session=db_session,
            actor=officer,
            report=report,
            outsourcing=root,
            accept=False,
            comment="",
        )
    ops.review_report(
        session=db_session,
        actor=officer,
        report=report,
        outsourcing=root,
        accept=False,
        comment="安全管理措置の内容を具体的に",
    )
    assert report.status == ReportStatus.RETURNED
    submit()
    ops.review_report(
        session=db_session, actor=officer, report=report, outsourcing=root, accept=True, comment=""
    )
    assert report.status == ReportStatus.ACCEPTED
    events = db_session.exec(
        select(ReportEvent).where(ReportEvent.report_id == report.id).order_by(ReportEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("submitted", a_user.id),
        ("returned", officer.id),
        ("submitted", a_user.id),
        ("accepted", officer.id),
    ]
    assert events[1].comment == "安全管理措置の内容を具体的に"
    with pytest.raises(ops.ReportError, match="提出された報告だけ"):
        ops.review_report(
            session=db_session,
            actor=officer,
            report=report,
            outsourcing=root,
            accept=True,
            comment="",
        )


def test_officer_records_the_violation_in_the_chain_or_resolves_it(app_ctx, chain, db_session):
    officer, root, _child, a_user, _b_user = chain
    ops.sync_reports(session=db_session, today=TODAY)
    report = _reports(db_session, root)[0]
    entries = (
        ops.SubcontractorEntry(name="株式会社無承認", corporate_number=NEW_NUMBER),
        ops.SubcontractorEntry(name="株式会社もう一社", corporate_number="8700110005901"),
    )
    first, second = ops.save_report(
        session=db_session,
        actor=a_user,
        report=report,
        outsourcing=root,
        content=_content(subcontractors=entries),
        submit=True,
        today=TODAY,
    )
    node = ops.record_violation_in_chain(
        session=db_session, actor=officer, violation=first, outsourcing=root, report=report
    )
    assert node.parent_id == root.id and node.entered_without_approval and node.status == "active"
    assert first.status == ViolationStatus.RECORDED and first.child_outsourcing_id == node.id
    with pytest.raises(ops.ReportError, match="既に対応済み"):
        ops.resolve_violation(
            session=db_session, actor=officer, violation=first, outsourcing=root, reason="x"
        )
    with pytest.raises(ops.ReportError, match="理由"):
        ops.resolve_violation(
            session=db_session, actor=officer, violation=second, outsourcing=root, reason=" "
        )
    ops.resolve_violation(
        session=db_session,
        actor=officer,
        violation=second,
        outsourcing=root,
        reason="期間中に契約を解除済みで、現在は使用していない",
    )
    assert second.status == ViolationStatus.RESOLVED
    labels = [b.label for b in badges_for(db_session, [root])[root.id]]
    assert "報告で無承認の再委託" not in labels


# --- reminders -------------------------------------------------------------------------


def test_reminders_once_each_to_vendor_and_officers(app, chain, db_session, smtp_server):  # noqa: F811
    config, inbox = smtp_server
    officer, root, _child, a_user, _b_user = chain
    report = ComplianceReport(
        outsourcing_id=root.id,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        due_date=TODAY + timedelta(days=30),
    )
    db_session.add(report)
    db_session.commit()
    with app.app_context():
        days = [
            TODAY,
            TODAY + timedelta(days=1),
            TODAY + timedelta(days=23),
            TODAY + timedelta(days=31),
        ]
        counts = [send_due_reminders(session=db_session, today=day, config=config) for day in days]
        report.status = ReportStatus.SUBMITTED
        db_session.add(report)
        later = send_due_reminders(
            session=db_session, today=TODAY + timedelta(days=40), config=config
        )
        db_session.commit()
    assert counts == [1, 0, 1, 1] and later == 0
    kinds = db_session.exec(
        select(ReportReminder.kind).where(ReportReminder.report_id == report.id)
    ).all()
    assert sorted(kinds) == ["30", "7", "overdue"]
    mine = [m for m in inbox.messages if root.task_name in subject(m)]
    assert len(mine) == 3
    assert "提出期限を過ぎています" in subject(mine[-1])
    assert {a_user.email, officer.email} <= {x.strip() for x in mine[0]["To"].split(",")}


# --- views -----------------------------------------------------------------------------


def _form(token: str, **extra: str) -> dict[str, str]:
    data = {"csrf_token": token, "had_incidents": "no", "action": "submit"}
    for n, (_key, _title) in enumerate(checklist_items()):
        data[f"checks-{n}-answer"] = "yes"
    return data | extra


def test_vendor_submits_through_the_form_and_the_tree_shows_the_violation(
    app, client, chain, db_session
):
    officer, root, _child, a_user, b_user = chain
    sign_in(client, a_user.email)
    assert client.get("/reports/").status_code == 200  # creates the vendor's slots
    report = _reports(db_session, root)[0]
    page = f"/reports/{report.id}/edit"
    token = csrf_token(client, page)
    html = client.post(page, data=_form(token, had_incidents="")).get_data(as_text=True)
    assert "事案の有無を回答してください" in html
    assert 'selected value="yes"' in html  # answers kept
    response = client.post(
        page,
        data=_form(
            token,
            **{
                "subcontractors-0-name": "株式会社無承認",
                "subcontractors-0-corporate_number": NEW_NUMBER,
            },
        ),
    )
    assert response.status_code == 302
    db_session.refresh(report)
    assert report.status == ReportStatus.SUBMITTED
    tree = client.get("/outsourcings/tree").get_data(as_text=True)
    assert "報告で無承認の再委託" in tree
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})

    # The subcontractor below sees neither its contractor's report nor its form.
    sign_in(client, b_user.email)
    assert client.get(f"/reports/{report.id}").status_code == 404
    assert client.get(page).status_code == 404
    assert client.get(f"/reports/outsourcings/{root.id}").status_code == 404
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})

    sign_in(client, officer.email)
    detail = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "株式会社無承認" in detail and "未承認" in detail
    token = csrf_token(client, f"/reports/{report.id}")
    client.post(
        f"/reports/{report.id}/review",
        data={"csrf_token": token, "decision": "return", "comment": "再委託の承認申請を先に"},
    )
    db_session.refresh(report)
    assert report.status == ReportStatus.RETURNED
    node_page = client.get(f"/reports/outsourcings/{root.id}").get_data(as_text=True)
    assert "無承認の再委託として系列に登録する" in node_page

    # The access log holds the submission, the officer's view and the return.
    from portal.audit.models import AccessEvent

    logged = [
        (e.action, e.actor_id, e.outcome)
        for e in db_session.exec(
            select(AccessEvent)
            .where(AccessEvent.object_type == "compliance_report")
            .where(AccessEvent.object_id == str(report.id))
            .order_by(AccessEvent.seq)
        )
    ]
    assert ("report.submit", a_user.id, "ok") in logged
    assert ("report.view", officer.id, "ok") in logged
    assert logged[-1] == ("report.return", officer.id, "ok")


def test_a_vendor_cannot_see_another_vendors_report(app, client, chain, db_session, factory):
    _officer, root, child, a_user, _b_user = chain
    with app.app_context():
        ops.sync_reports(session=db_session, today=TODAY)
    db_session.commit()
    a_report, b_report = _reports(db_session, root)[0], _reports(db_session, child)[0]
    sign_in(client, factory.user(Role.VENDOR).email)
    assert client.get(f"/reports/{a_report.id}").status_code == 404
    assert client.get(f"/reports/{b_report.id}/edit").status_code == 404
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    # The contractor sees the subcontract's node, but the subcontractor's reports are its own.
    sign_in(client, a_user.email)
    assert client.get(f"/reports/{a_report.id}").status_code == 200
    assert client.get(f"/reports/{b_report.id}").status_code == 404
    listing = client.get("/reports/").get_data(as_text=True)
    assert f"/reports/{a_report.id}" in listing and f'/reports/{b_report.id}"' not in listing
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    # An officer of another department sees nothing of it.
    sign_in(client, factory.user(Role.STAFF).email)
    assert client.get(f"/reports/{a_report.id}").status_code == 404


def test_attachments_kept_with_the_report_in_its_scope(app, client, chain, db_session, factory):
    officer, root, _child, a_user, b_user = chain
    with app.app_context():
        ops.sync_reports(session=db_session, today=TODAY)
    db_session.commit()
    report = _reports(db_session, root)[0]
    sign_in(client, a_user.email)
    page = f"/reports/{report.id}/edit"
    pdf = reportlab_pdf("入退室記録の点検表")

    def post(data: bytes, name: str) -> str:
        return client.post(
            f"/reports/{report.id}/attachments",
            data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
            follow_redirects=True,
        ).get_data(as_text=True)

    assert "「点検表.pdf」を添付しました。" in post(pdf, "点検表.pdf")
    assert "添付できるのは写真（JPEG・PNG）とPDF" in post(b"MZ\x90\x00 not a pdf", "tool.exe")
    assert "同じファイルが既に添付されています" in post(pdf, "again.pdf")
    item = db_session.exec(select(ReportAttachment)).one()
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    sign_in(client, officer.email)
    response = client.get(f"/reports/attachments/{item.id}")
    assert response.status_code == 200 and response.get_data() == pdf
    assert response.headers["Content-Disposition"].startswith("attachment;")
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})
    sign_in(client, b_user.email)
    assert client.get(f"/reports/attachments/{item.id}").status_code == 404


def test_officer_sets_the_frequency_on_the_node_page(app, client, chain, db_session):
    officer, root, *_ = chain
    sign_in(client, officer.email)
    page = f"/reports/outsourcings/{root.id}"
    html = client.get(page).get_data(as_text=True)
    assert "四半期ごと" in html and "規程プロファイルの既定値" in html
    client.post(
        f"{page}/frequency", data={"csrf_token": csrf_token(client, page), "frequency": "monthly"}
    )
    assert ops.frequency_of(session=db_session, outsourcing_id=root.id) == "monthly"
    today = local_today()
    begun = (today.year - 2026) * 12 + today.month - 4 + 1  # one a month since 1 April 2026
    assert len(_reports(db_session, root)) == begun


def test_api_lists_reports_in_the_vendors_scope(app, client, chain, db_session):
    _officer, root, _child, a_user, _b_user = chain
    with app.app_context():
        ops.sync_reports(session=db_session, today=TODAY)
    secret = create_token(session=db_session, user=a_user).secret
    db_session.commit()
    body = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert {item["outsourcing_id"] for item in body["items"]} == {root.id}
    assert len(body["items"]) == 3 and body["items"][0]["status"] == "due"


def test_the_daily_job_owes_the_slots_and_chases_each_once(app, chain, db_session):
    from portal.obligations.jobs import obligation_reminders
    from portal.reports.jobs import reports_daily

    _officer, root, child, *_ = chain
    with app.app_context():
        first = reports_daily(session=db_session)
        first_reminded = obligation_reminders(session=db_session)["report"]
        again = reports_daily(session=db_session)
        again_reminded = obligation_reminders(session=db_session)["report"]
    assert first["created"] >= 6 and first_reminded >= 4  # two quarters overdue per node
    assert (again["created"], again_reminded) == (0, 0)
    stamped = db_session.exec(
        select(ReportReminder.kind)
        .join(ComplianceReport, ComplianceReport.id == ReportReminder.report_id)
        .where(ComplianceReport.outsourcing_id.in_([root.id, child.id]))
    ).all()
    assert stamped.count("overdue") >= 4
