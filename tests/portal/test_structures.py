"""Management structures: the version each active outsourcing owes, the vendor's submission
and its bad inputs, the officer's confirmation or return, versions after a change, the tree
badge, the inspection record, the API, the ledger, reminders and who sees what."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from chain_helpers import make_node
from sqlmodel import select

from pdfgen import reportlab_pdf
from portal.api.operations import create_token
from portal.ledger import operations as ledger
from portal.ledger.sheets import ImportRejected
from portal.outsourcings.badges import badges_for
from portal.permissions import Role
from portal.structures import ledger as sheet
from portal.structures import operations as ops
from portal.structures.models import (
    ManagementStructure,
    StructureAttachment,
    StructureEvent,
    StructureReminder,
    StructureStatus,
)
from portal.structures.queries import structure_at
from portal.structures.rules import StaffMember
from portal.timeutil import local_today
from portal_testing import csrf_token, sign_in

TODAY = date(2026, 11, 24)


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


def _versions(session, node) -> list[ManagementStructure]:
    return list(
        session.exec(
            select(ManagementStructure)
            .where(ManagementStructure.outsourcing_id == node.id)
            .order_by(ManagementStructure.version)
        ).all()
    )


def _content(**fields) -> ops.StructureContent:
    base = {
        "responsible_name": "山田 太郎",
        "responsible_title": "個人情報管理責任者",
        "staff": (
            StaffMember("佐藤 花子", 1, date(2026, 4, 1), date(2026, 4, 1)),
            StaffMember("入力オペレーター", 4, date(2026, 4, 2), date(2026, 4, 2), True),
        ),
        "places": ("本社（東京都千代田区）",),
        "systems": ("データ入力システム",),
    }
    return ops.StructureContent(**(base | fields))


def _submitted(session, node, vendor_user, **fields) -> ManagementStructure:
    ops.sync_structures(session=session, today=TODAY)
    structure = _versions(session, node)[-1]
    ops.save_structure(
        session=session,
        actor=vendor_user,
        structure=structure,
        outsourcing=node,
        content=_content(**fields),
        submit=True,
        today=TODAY,
    )
    return structure


# --- operations ------------------------------------------------------------------------


def test_every_active_outsourcing_at_every_tier_owes_one_first_version(db_session, chain, factory):
    officer, root, child, *_ = chain
    ended = make_node(
        factory, department_id=officer.department_id, vendor=factory.vendor(), status="ended"
    )
    first = ops.sync_structures(session=db_session, today=TODAY)
    again = ops.sync_structures(session=db_session, today=TODAY)
    assert {root.id, child.id} <= set(first.outsourcing_ids) and again.created == 0
    assert _versions(db_session, ended) == []
    owed = _versions(db_session, root)
    assert [(s.version, s.status, s.due_date) for s in owed] == [(1, "due", date(2026, 12, 8))]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"responsible_name": " "}, "責任者の氏名を入力してください"),
        ({"staff": ()}, "業務従事者を1行以上入力してください"),
        (
            {"staff": (StaffMember("派遣 一郎", 1, None, date(2026, 4, 1), True),)},
            "1行目：研修日を入力してください（派遣労働者を含め",
        ),
        (
            {"staff": (StaffMember("佐藤", 1, date(2026, 4, 1), None),)},
            "1行目：誓約書の日付を入力してください",
        ),
        (
            {"staff": (StaffMember("佐藤", 1, date(2027, 1, 1), date(2026, 4, 1)),)},
            "1行目：研修日に未来の日付は入力できません",
        ),
        ({"staff": (StaffMember("佐藤", 0, date(2026, 4, 1), date(2026, 4, 1)),)}, "人数は1以上"),
        ({"places": ("", " ")}, "取り扱う場所を1件以上入力してください"),
        ({"systems": ()}, "紙媒体のみ"),
    ],
)
def test_a_submission_missing_what_the_regulation_asks_is_refused_in_japanese(
    db_session, chain, fields, message
):
    _officer, root, _child, a_user, _b = chain
    ops.sync_structures(session=db_session, today=TODAY)
    structure = _versions(db_session, root)[0]
    with pytest.raises(ops.StructureError, match=message):
        ops.save_structure(
            session=db_session,
            actor=a_user,
            structure=structure,
            outsourcing=root,
            content=_content(**fields),
            submit=True,
            today=TODAY,
        )
    assert structure.status == StructureStatus.DUE


def test_a_draft_may_be_incomplete_but_not_wrong(db_session, chain):
    _officer, root, _child, a_user, _b = chain
    ops.sync_structures(session=db_session, today=TODAY)
    structure = _versions(db_session, root)[0]
    partial = ops.StructureContent(staff=(StaffMember("佐藤", 1, None, None),))
    ops.save_structure(
        session=db_session,
        actor=a_user,
        structure=structure,
        outsourcing=root,
        content=partial,
        submit=False,
        today=TODAY,
    )
    assert structure.status == StructureStatus.DRAFT and structure.staff[0]["name"] == "佐藤"
    with pytest.raises(ops.StructureError, match="未来の日付"):
        ops.save_structure(
            session=db_session,
            actor=a_user,
            structure=structure,
            outsourcing=root,
            content=ops.StructureContent(
                staff=(StaffMember("佐藤", 1, None, TODAY + timedelta(days=1)),)
            ),
            submit=False,
            today=TODAY,
        )


def test_only_the_holder_submits_and_only_the_owning_department_confirms(
    db_session, chain, factory
):
    officer, _root, child, a_user, b_user = chain
    ops.sync_structures(session=db_session, today=TODAY)
    with pytest.raises(ops.StructureError, match="委託を受けている委託先だけ"):
        ops.save_structure(
            session=db_session,
            actor=a_user,
            structure=_versions(db_session, child)[0],
            outsourcing=child,
            content=_content(),
            submit=True,
            today=TODAY,
        )
    structure = _submitted(db_session, child, b_user)
    other = factory.user(Role.STAFF)
    with pytest.raises(ops.StructureError, match="所管する課室の職員だけ"):
        ops.review_structure(
            session=db_session,
            actor=other,
            structure=structure,
            outsourcing=child,
            accept=True,
            comment="",
        )
    with pytest.raises(ops.StructureError, match="差し戻す場合は"):
        ops.review_structure(
            session=db_session,
            actor=officer,
            structure=structure,
            outsourcing=child,
            accept=False,
            comment=" ",
        )
    ops.review_structure(
        session=db_session,
        actor=officer,
        structure=structure,
        outsourcing=child,
        accept=True,
        comment="",
    )
    assert structure.status == StructureStatus.CONFIRMED


def test_a_change_after_confirmation_is_a_new_version_confirmed_again(db_session, chain):
    officer, root, _child, a_user, _b = chain
    first = _submitted(db_session, root, a_user)
    review = {"session": db_session, "actor": officer, "outsourcing": root, "comment": ""}
    ops.review_structure(structure=first, accept=True, **review)
    with pytest.raises(ops.StructureError, match="確認済みの管理体制は変更できません"):
        ops.save_structure(
            session=db_session,
            actor=a_user,
            structure=first,
            outsourcing=root,
            content=_content(),
            submit=False,
            today=TODAY,
        )
    second = ops.start_revision(session=db_session, actor=a_user, outsourcing=root, today=TODAY)
    assert (second.version, second.status) == (2, StructureStatus.DRAFT)
    assert second.staff == first.staff and second.responsible_name == "山田 太郎"  # a copy
    with pytest.raises(ops.StructureError, match="第2版"):
        ops.start_revision(session=db_session, actor=a_user, outsourcing=root, today=TODAY)
    # Until the new version is confirmed, the first stays in force.
    assert structure_at(session=db_session, outsourcing_id=root.id, when=local_today()) == first
    ops.save_structure(
        session=db_session,
        actor=a_user,
        structure=second,
        outsourcing=root,
        content=_content(responsible_name="鈴木 次郎"),
        submit=True,
        today=TODAY,
    )
    ops.review_structure(structure=second, accept=True, **review)
    db_session.refresh(first)
    assert first.status == StructureStatus.SUPERSEDED
    assert structure_at(session=db_session, outsourcing_id=root.id, when=local_today()) == second
    assert structure_at(session=db_session, outsourcing_id=root.id, when=date(2020, 1, 1)) is None
    actions = [
        e.action
        for e in db_session.exec(
            select(StructureEvent).where(StructureEvent.structure_id == second.id)
        )
    ]
    assert actions == ["revised", "submitted", "confirmed"]


def test_the_tree_flags_an_active_outsourcing_without_a_confirmed_structure(
    app_ctx, db_session, chain
):
    officer, root, child, a_user, _b = chain
    ops.sync_structures(session=db_session, today=TODAY)
    labels = {n: [b.label for b in bs] for n, bs in badges_for(db_session, [root, child]).items()}
    assert "管理体制未確認" in labels[root.id] and "管理体制未確認" in labels[child.id]
    structure = _submitted(db_session, root, a_user)
    ops.review_structure(
        session=db_session,
        actor=officer,
        structure=structure,
        outsourcing=root,
        accept=True,
        comment="",
    )
    labels = {n: [b.label for b in bs] for n, bs in badges_for(db_session, [root, child]).items()}
    assert "管理体制未確認" not in labels.get(root.id, [])
    assert "管理体制未確認" in labels[child.id]


def test_reminders_chase_an_owed_structure_once_per_kind(app, db_session, chain):
    from portal.obligations.jobs import obligation_reminders
    from portal.structures.jobs import structures_daily

    _officer, root, *_ = chain
    ops.sync_structures(session=db_session, today=date(2026, 1, 1))  # due long ago
    with app.app_context():
        structures_daily(session=db_session)  # the feature's run owes, the one run chases
        first = obligation_reminders(session=db_session)
        again = obligation_reminders(session=db_session)
    assert first["structure"] >= 2 and again["structure"] == 0
    stamps = db_session.exec(
        select(StructureReminder)
        .join(ManagementStructure)
        .where(ManagementStructure.outsourcing_id == root.id)
    ).all()
    assert [s.kind for s in stamps] == ["overdue"]


# --- views -----------------------------------------------------------------------------


def _form(token: str, action: str = "submit", **extra: str) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "action": action,
        "responsible_name": "山田 太郎",
        "responsible_title": "個人情報管理責任者",
        "staff-0-name": "佐藤 花子",
        "staff-0-count": "1",
        "staff-0-training_date": "2026-04-01",
        "staff-0-pledge_date": "2026-04-01",
        "staff-1-name": "入力オペレーター（派遣）",
        "staff-1-count": "3",
        "staff-1-training_date": "2026-04-02",
        "staff-1-pledge_date": "2026-04-02",
        "staff-1-dispatched": "y",
        "places": "本社（東京都千代田区）\n第二センター（さいたま市）",
        "systems": "データ入力システム",
    }
    return data | extra


def _logout(client) -> None:
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/password")})


def test_vendor_submits_and_the_officer_confirms_through_the_pages(app, client, chain, db_session):
    officer, root, _child, a_user, b_user = chain
    sign_in(client, a_user.email)
    assert client.get("/structures/").status_code == 200  # owes the vendor's first version
    structure = _versions(db_session, root)[0]
    page = f"/structures/{structure.id}/edit"
    token = csrf_token(client, page)
    html = client.post(page, data=_form(token, **{"staff-1-training_date": ""})).get_data(
        as_text=True
    )
    assert "2行目：研修日を入力してください" in html
    assert "入力オペレーター（派遣）" in html  # nothing typed is lost
    bad = {"staff-0-count": "abc", "staff-1-training_date": "2026-13-01"}
    html = client.post(page, data=_form(token, **bad)).get_data(as_text=True)
    assert "1行目：人数は数字で入力してください。" in html
    assert "1行目：人数は1以上" not in html  # one message per cell
    assert "2行目：日付を正しく入力してください" in html
    response = client.post(page, data=_form(token))
    assert response.status_code == 302
    db_session.refresh(structure)
    assert structure.status == StructureStatus.SUBMITTED
    assert [m["dispatched"] for m in structure.staff] == [False, True]
    assert structure.places == ["本社（東京都千代田区）", "第二センター（さいたま市）"]
    _logout(client)

    # The subcontractor below sees neither its contractor's structure nor its form.
    sign_in(client, b_user.email)
    assert client.get(f"/structures/{structure.id}").status_code == 404
    assert client.get(page).status_code == 404
    _logout(client)

    sign_in(client, officer.email)
    detail = client.get(f"/structures/{structure.id}").get_data(as_text=True)
    assert "佐藤 花子" in detail and "うち派遣労働者 3人" in detail
    token = csrf_token(client, f"/structures/{structure.id}")
    client.post(
        f"/structures/{structure.id}/review", data={"csrf_token": token, "decision": "return"}
    )
    db_session.refresh(structure)
    assert structure.status == StructureStatus.SUBMITTED  # a return needs the reason
    client.post(
        f"/structures/{structure.id}/review",
        data={"csrf_token": token, "decision": "accept", "comment": ""},
    )
    db_session.refresh(structure)
    assert structure.status == StructureStatus.CONFIRMED
    _logout(client)

    # The vendor reports a change: a second version, edited and submitted again.
    sign_in(client, a_user.email)
    node_page = f"/structures/outsourcings/{root.id}"
    assert "変更を届け出る" in client.get(node_page).get_data(as_text=True)
    response = client.post(
        f"/structures/outsourcings/{root.id}/revise",
        data={"csrf_token": csrf_token(client, node_page)},
    )
    assert response.status_code == 302
    second = _versions(db_session, root)[-1]
    assert second.version == 2 and response.headers["Location"].endswith(
        f"/structures/{second.id}/edit"
    )
    form = client.get(f"/structures/{second.id}/edit").get_data(as_text=True)
    assert "佐藤 花子" in form  # the confirmed version's content to change

    from portal.audit.models import AccessEvent

    logged = [
        (e.action, e.actor_id)
        for e in db_session.exec(
            select(AccessEvent)
            .where(AccessEvent.object_type == "management_structure")
            .order_by(AccessEvent.seq)
        )
    ]
    assert ("structure.submit", a_user.id) in logged
    assert ("structure.view", officer.id) in logged
    assert ("structure.confirm", officer.id) in logged
    assert ("structure.revise", a_user.id) in logged


def test_the_contractor_sees_its_subcontractors_structure_but_cannot_edit_it(
    client, chain, db_session
):
    _officer, _root, child, a_user, b_user = chain
    structure = _submitted(db_session, child, b_user)
    db_session.commit()
    sign_in(client, a_user.email)
    assert client.get(f"/structures/{structure.id}").status_code == 200
    assert client.get(f"/structures/{structure.id}/edit").status_code == 403


def test_the_inspection_shows_the_structure_in_force_and_the_checklist_links_it(
    client, chain, db_session
):
    from portal.inspections.models import Inspection

    officer, root, _child, a_user, _b = chain
    structure = _submitted(db_session, root, a_user)
    ops.review_structure(
        session=db_session,
        actor=officer,
        structure=structure,
        outsourcing=root,
        accept=True,
        comment="",
    )
    before = Inspection(
        outsourcing_id=root.id, due_date=date(2026, 3, 31), planned_date=date(2020, 1, 1)
    )
    now = Inspection(outsourcing_id=root.id, due_date=local_today() + timedelta(days=30))
    db_session.add_all([before, now])
    db_session.commit()
    sign_in(client, officer.email)
    html = client.get(f"/inspections/{now.id}").get_data(as_text=True)
    assert "検査時点の管理体制" in html and "山田 太郎" in html
    assert f"/structures/{structure.id}" in html
    old = client.get(f"/inspections/{before.id}").get_data(as_text=True)
    assert "この日に確認済みの管理体制はありません" in old
    record = client.get(f"/inspections/{now.id}/record").get_data(as_text=True)
    assert "確認済みの管理体制（第1版）を見る" in record
    now.status, now.completed_on = "completed", local_today()
    db_session.add(now)
    db_session.commit()
    printed = client.get(f"/inspections/{now.id}/sheet").get_data(as_text=True)
    assert "第1版" in printed and "責任者: 山田 太郎" in printed


def test_the_api_lists_the_versions_in_the_callers_scope(client, chain, db_session):
    _officer, _root, child, _a_user, b_user = chain
    _submitted(db_session, child, b_user)
    secret = create_token(session=db_session, user=b_user).secret
    db_session.commit()
    body = client.get(
        "/api/v1/structures", headers={"Authorization": f"Bearer {secret}"}
    ).get_json()
    assert [item["outsourcing_id"] for item in body["items"]] == [child.id]
    item = body["items"][0]
    assert item["status"] == "submitted" and item["staff_total"] == 5
    assert item["dispatched_total"] == 4 and item["responsible"]["name"] == "山田 太郎"


def test_the_vendor_keeps_the_signed_pledges_with_its_version(client, chain, db_session):
    _officer, root, _child, a_user, _b = chain
    ops.sync_structures(session=db_session, today=TODAY)
    db_session.commit()
    structure = _versions(db_session, root)[0]
    sign_in(client, a_user.email)
    page = f"/structures/{structure.id}/edit"
    response = client.post(
        f"/structures/{structure.id}/attachments",
        data={
            "csrf_token": csrf_token(client, page),
            "file": (io.BytesIO(reportlab_pdf("誓約書")), "誓約書.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    stored = db_session.exec(
        select(StructureAttachment).where(StructureAttachment.structure_id == structure.id)
    ).one()
    assert client.get(f"/structures/attachments/{stored.id}").status_code == 200


# --- ledger ----------------------------------------------------------------------------


def _csv(*rows: dict[str, str]) -> bytes:
    return ledger.to_csv(list(rows[0].keys()), [list(r.values()) for r in rows])


def _row(node_id: int, **fields: str) -> dict[str, str]:
    return {
        "委託ID": str(node_id),
        "責任者氏名": "山田 太郎",
        "取扱場所": "本社；倉庫",
        "取扱システム": "入力システム",
        "従事者氏名": "佐藤 花子",
        "人数": "1",
        "研修日": "2026-04-01",
        "誓約書の日付": "2026/4/1",
        "派遣労働者": "なし",
    } | fields


def test_the_ledger_exports_and_imports_structures_confirmed_in_writing(db_session, chain):
    officer, root, _child, _a, _b = chain
    ops.sync_structures(session=db_session, today=TODAY)
    data = _csv(
        _row(root.id), _row(root.id, 従事者氏名="派遣 一郎", 派遣労働者="あり", 責任者氏名="")
    )
    result = ledger.import_file(
        sheet=sheet.SHEET, session=db_session, actor=officer, filename="s.csv", data=data
    )
    assert result.confirmed == 1
    (structure,) = _versions(db_session, root)  # the owed version, now confirmed
    assert structure.status == StructureStatus.CONFIRMED and structure.places == ["本社", "倉庫"]
    assert [m["dispatched"] for m in structure.staff] == [False, True]
    exported = sheet.ledger_rows(session=db_session, user=officer)
    assert [r[11] for r in exported if r[0] == root.id] == ["佐藤 花子", "派遣 一郎"]
    # The exported sheet imports again without adding a version.
    again = ledger.to_csv(sheet.EXPORT_HEADERS, [r for r in exported if r[0] == root.id])
    result = ledger.import_file(
        sheet=sheet.SHEET, session=db_session, actor=officer, filename="s.csv", data=again
    )
    assert (result.confirmed, result.unchanged) == (0, 1)


def test_a_bad_ledger_file_is_refused_whole_with_every_issue(db_session, chain, factory):
    officer, root, _child, _a, _b = chain
    stranger = make_node(factory, department_id=factory.department().id, vendor=factory.vendor())
    data = _csv(
        _row(root.id, 研修日="2099-01-01", 派遣労働者="たぶん", 人数="x"),
        _row(stranger.id),
        _row(999999),
    )
    with pytest.raises(ImportRejected) as rejected:
        ledger.import_file(
            sheet=sheet.SHEET, session=db_session, actor=officer, filename="s.csv", data=data
        )
    messages = [i.message for i in rejected.value.issues]
    assert any("未来の日付" in m for m in messages)
    assert any("派遣労働者は「あり」か「なし」" in m for m in messages)
    assert any("人数は1以上" in m for m in messages)
    assert any("見つかりません" in m for m in messages)  # another department's: not visible
    assert _versions(db_session, root) == []  # nothing written


def test_the_ledger_never_overwrites_a_version_the_vendor_is_writing(db_session, chain):
    officer, root, _child, a_user, _b = chain
    _submitted(db_session, root, a_user)  # awaits the officer's confirmation
    with pytest.raises(ImportRejected) as rejected:
        ledger.import_file(
            sheet=sheet.SHEET,
            session=db_session,
            actor=officer,
            filename="s.csv",
            data=_csv(_row(root.id)),
        )
    assert "確認待ちの版（第1版）" in rejected.value.issues[0].message
    # Rows of an exported version that is not confirmed are skipped, not imported.
    with pytest.raises(ImportRejected, match="取り込む行がありません"):
        ledger.import_file(
            sheet=sheet.SHEET,
            session=db_session,
            actor=officer,
            filename="s.csv",
            data=_csv(_row(root.id, 状態="確認待ち")),
        )


def test_the_ledger_page_offers_the_structures_sheet_and_its_export(client, chain, db_session):
    officer, root, _child, a_user, _b = chain
    _submitted(db_session, root, a_user)
    db_session.commit()
    sign_in(client, officer.email)
    page = client.get("/ledger/?sheet=structures").get_data(as_text=True)
    assert "管理体制（責任者及び業務従事者）" in page
    body = client.get("/ledger/export.csv?sheet=structures").data.decode("utf-8-sig")
    header, *rows = body.splitlines()
    assert header.startswith("委託ID,委託業務名,委託先,版,状態")
    mine = [r for r in rows if r.startswith(f"{root.id},")]
    assert len(mine) == 2 and "確認待ち" in mine[0] and "入力オペレーター" in mine[1]
    # The subcontract below owes its own, not yet written: one row without staff.
    assert [r.split(",")[4] for r in rows if not r.startswith(f"{root.id},")] == ["未提出"]


def test_the_tree_flags_a_structure_owed_past_its_due_date(app_ctx, db_session, chain):
    _officer, root, _child, *_ = chain
    ops.sync_structures(session=db_session, today=date(2026, 1, 1))  # due 2026-04-15
    labels = [b.label for b in badges_for(db_session, [root])[root.id]]
    assert "管理体制未確認" in labels and "管理体制提出遅延" in labels
