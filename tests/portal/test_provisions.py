"""Provisions to other bodies: registering one with the agreement's items, the safety
measures and the pseudonymisation decision; its agreement file; on-site checks and the
improvement requests they raise (reminders, closing); scope; the API; the ledger sheets; and
the pseudonymisation decision of an outsourcing on its detail page."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from chain_helpers import make_node
from sqlmodel import select

from portal.api.operations import create_token
from portal.audit.models import AccessEvent
from portal.ledger import operations as ledger
from portal.ledger.sheets import ImportRejected
from portal.permissions import Role
from portal.provisions import operations as ops
from portal.provisions.ledger import DECISIONS_SHEET, PROVISIONS_SHEET
from portal.provisions.models import (
    ImprovementReminder,
    ImprovementRequest,
    OutsourcingPseudonymisation,
    Provision,
    ProvisionAttachment,
    ProvisionCheck,
)
from portal.timeutil import local_today
from portal_testing import csrf_token

MEASURES = {
    "leak_prevention": "漏えい、滅失又は毀損の防止その他の安全確保の措置",
    "purpose_limit": "利用目的以外の目的のための利用の禁止",
    "secrecy": "秘密保持",
}


def form(**overrides) -> dict[str, object]:
    """A complete provision form (the agreement's four items, two measures, replaced)."""
    values: dict[str, object] = {
        "recipient_name": "埼玉県統計課",
        "recipient_kind": "administrative",
        "information_name": "住民基本台帳",
        "purpose": "学校基本調査の名簿作成",
        "legal_basis": "統計法第9条",
        "record_scope": "令和8年4月1日現在の児童のいる世帯：氏名、住所、生年月日",
        "usage_form": "電子媒体による一括提供",
        "agreement_date": "2026-03-20",
        "start_date": "2026-04-01",
        "end_date": "",
        "persons": "1200",
        "safety_measures": ["leak_prevention", "purpose_limit"],
        "safety_measures_note": "",
        "pseudonymisation": "replaced",
        "pseudonymisation_reason": "",
    }
    values.update(overrides)
    return values


def data(**overrides) -> ops.ProvisionData:
    values = {
        "recipient_name": "○○大学",
        "recipient_kind": "other",
        "information_name": "健診結果",
        "purpose": "疫学研究",
        "legal_basis": "個人情報の保護に関する法律第69条第2項第4号",
        "record_scope": "受診年度、年齢、検査値",
        "usage_form": "電子媒体",
        "start_date": date(2026, 4, 1),
        "end_date": None,
        "agreement_date": date(2026, 3, 1),
        "persons": 500,
        "safety_measures": ["secrecy"],
        "safety_measures_note": "",
        "pseudonymisation": "removed",
        "pseudonymisation_reason": "",
    }
    values.update(overrides)
    return ops.ProvisionData(**values)


@pytest.fixture
def office(factory):
    """Staff of the providing department, staff of another, the chief, an auditor, a vendor."""
    staff = factory.user(Role.STAFF)
    return {
        "staff": staff,
        "other": factory.user(Role.STAFF),
        "chief": factory.user(Role.CHIEF),
        "auditor": factory.user(Role.AUDITOR),
        "vendor": factory.user(Role.VENDOR),
    }


def provision_of(factory, user, **overrides) -> Provision:
    provision = ops.register_provision(
        session=factory.session,
        actor=user,
        department_id=user.department_id,
        data=data(**overrides),
        measures=MEASURES,
    )
    factory.session.commit()
    return provision


def post(client, path: str, values: dict[str, object], page: str | None = None):
    return client.post(path, data={"csrf_token": csrf_token(client, page or path), **values})


# --- registering ----------------------------------------------------------------------------


def test_staff_register_a_provision_with_the_agreement_items(client, login, db_session):
    me = login("staff")
    response = post(client, "/provisions/new", form())
    assert response.status_code == 302
    provision = db_session.exec(select(Provision)).one()
    assert provision.department_id == me.department_id
    assert provision.legal_basis == "統計法第9条"
    assert provision.safety_measures == ["leak_prevention", "purpose_limit"]
    assert provision.pseudonymisation == "replaced"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    texts = (
        "学校基本調査の名簿作成",
        "統計法第9条",
        "電子媒体による一括提供",
        "利用目的以外の目的のための利用の禁止",
    )
    for text in texts:
        assert text in page
    assert "識別できる記載を別の記号等に置き換える" in page
    assert "第36条" in page  # 三木市's 提供 article (the test profile)
    actions = db_session.exec(select(AccessEvent.action)).all()
    assert "provision.create" in actions and "provision.view" in actions


def test_not_pseudonymising_needs_a_reason(client, login, db_session):
    login("staff")
    response = post(client, "/provisions/new", form(pseudonymisation="not_applied"))
    assert response.status_code == 200
    assert "理由を入力してください" in response.get_data(as_text=True)
    assert db_session.exec(select(Provision)).first() is None
    post(
        client,
        "/provisions/new",
        form(pseudonymisation="not_applied", pseudonymisation_reason="本人への通知に氏名が必要"),
    )
    assert db_session.exec(select(Provision)).one().pseudonymisation_reason


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2026-03-01"}, "終了日が開始日より前"),
        ({"safety_measures": []}, "一つ以上選んでください"),
        ({"safety_measures": ["teleport"]}, "規程にない安全確保の措置"),
        ({"purpose": ""}, "必須です"),
    ],
)
def test_bad_input_is_refused_with_nothing_kept(client, login, db_session, overrides, message):
    login("staff")
    response = post(client, "/provisions/new", form(**overrides))
    assert response.status_code == 200
    assert db_session.exec(select(Provision)).first() is None
    page = response.get_data(as_text=True)
    assert message in page


def test_an_unknown_measure_is_refused_by_the_rules(factory, office):
    with pytest.raises(ops.ProvisionError, match="規程にない安全確保の措置"):
        provision_of(factory, office["staff"], safety_measures=["teleport"])


def test_editing_and_ending(client, login, factory, db_session):
    me = login("staff")
    provision = provision_of(factory, me)
    response = post(
        client,
        f"/provisions/{provision.id}/edit",
        form(purpose="変更後の目的"),
        page=f"/provisions/{provision.id}/edit",
    )
    assert response.status_code == 302
    db_session.refresh(provision)
    assert provision.purpose == "変更後の目的"
    post(
        client,
        f"/provisions/{provision.id}/end",
        {"end_date": "2026-03-01"},
        f"/provisions/{provision.id}",
    )
    db_session.refresh(provision)
    assert provision.status == "active"  # before the start: refused
    post(
        client,
        f"/provisions/{provision.id}/end",
        {"end_date": "2026-10-01"},
        f"/provisions/{provision.id}",
    )
    db_session.refresh(provision)
    assert (provision.status, provision.end_date) == ("ended", date(2026, 10, 1))


# --- agreement file -------------------------------------------------------------------------


def test_the_agreement_pdf_is_kept_and_downloaded(client, login, factory, db_session):
    me = login("staff")
    provision = provision_of(factory, me)
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    token = csrf_token(client, f"/provisions/{provision.id}")
    response = client.post(
        f"/provisions/{provision.id}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(pdf), "覚書.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item = db_session.exec(select(ProvisionAttachment)).one()
    assert item.filename == "覚書.pdf" and item.provision_id == provision.id
    download = client.get(f"/provisions/attachments/{item.id}")
    assert download.status_code == 200 and download.data == pdf
    again = client.post(
        f"/provisions/{provision.id}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(pdf), "覚書2.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert len(db_session.exec(select(ProvisionAttachment)).all()) == 1
    assert "flash-error" in again.get_data(as_text=True)


# --- checks and improvements ----------------------------------------------------------------


def test_a_check_with_gaps_raises_an_improvement_that_is_followed_up(
    client, login, factory, db_session
):
    me = login("staff")
    provision = provision_of(factory, me)
    today = local_today()
    response = post(
        client,
        f"/provisions/{provision.id}/checks",
        {
            "checked_on": today.isoformat(),
            "timing": "during",
            "method": "on_site",
            "result": "improvement",
            "findings": "保管庫が施錠されていなかった。",
            "improvement_request": "保管庫を施錠し、鍵の管理簿を作ること。",
            "follow_up_due": "",
        },
        f"/provisions/{provision.id}",
    )
    assert response.status_code == 302
    check = db_session.exec(select(ProvisionCheck)).one()
    improvement = db_session.exec(select(ImprovementRequest)).one()
    assert improvement.check_id == check.id
    assert improvement.due_date == today + timedelta(days=30)  # the profile's follow_up_days
    assert "保管庫を施錠し" in client.get("/provisions/").get_data(as_text=True)
    post(
        client,
        f"/provisions/improvements/{improvement.id}/close",
        {"response": ""},
        f"/provisions/{provision.id}",
    )
    db_session.refresh(improvement)
    assert improvement.status == "open"
    post(
        client,
        f"/provisions/improvements/{improvement.id}/close",
        {"response": "施錠と管理簿の作成を写真で確認した。"},
        f"/provisions/{provision.id}",
    )
    db_session.refresh(improvement)
    assert improvement.status == "closed" and improvement.closed_by_id == me.id


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"checked_on": "2099-01-01"}, "未来の日付"),
        ({"checked_on": "2026-13-45"}, "入力内容を確認してください"),
        ({"result": "improvement", "improvement_request": ""}, "改善要求の内容"),
        (
            {
                "result": "improvement",
                "improvement_request": "直すこと",
                "follow_up_due": "2026-01-01",
            },
            "調査日より後",
        ),
    ],
)
def test_bad_checks_are_refused(client, login, factory, db_session, values, message):
    me = login("staff")
    provision = provision_of(factory, me)
    base = {
        "checked_on": "2026-05-01",
        "timing": "before",
        "method": "documents",
        "result": "adequate",
        "findings": "確認した。",
    }
    response = post(
        client,
        f"/provisions/{provision.id}/checks",
        {**base, **values},
        f"/provisions/{provision.id}",
    )
    assert response.status_code == 200  # the page again, with what was typed
    assert db_session.exec(select(ProvisionCheck)).first() is None
    page = response.get_data(as_text=True)
    assert message in page
    assert "確認した。" in page and {**base, **values}["checked_on"] in page


def test_improvement_reminders_are_sent_once_per_kind(factory, office, app_ctx):
    from portal.obligations.jobs import obligation_reminders
    from portal.obligations.reminders import send_due_reminders
    from portal.provisions.obligation import IMPROVEMENT_OBLIGATION

    staff = office["staff"]
    provision = provision_of(factory, staff)
    _check, improvement = ops.record_check(
        session=factory.session,
        provision=provision,
        actor=staff,
        data=ops.CheckData(
            checked_on=date(2026, 5, 1),
            timing="during",
            method="on_site",
            result="improvement",
            findings="施錠なし",
            improvement_request="施錠すること",
            follow_up_due=date(2026, 6, 1),
        ),
        today=date(2026, 5, 1),
        follow_up_days=30,
    )
    factory.session.commit()
    assert improvement is not None and improvement.due_date == date(2026, 6, 1)
    config = {"SMTP_HOST": ""}

    def run(day: date) -> int:
        """The one reminder run of portal.obligations, as the daily job does it."""
        kinds = [IMPROVEMENT_OBLIGATION]
        return send_due_reminders(session=factory.session, today=day, config=config, kinds=kinds)[
            "improvement"
        ]

    # A late first run sends only the nearest reminder (7 days), then the overdue one.
    assert [run(date(2026, 4, 1)), run(date(2026, 5, 26)), run(date(2026, 5, 27))] == [0, 1, 0]
    assert run(date(2026, 6, 2)) == 1
    stamps = factory.session.exec(select(ImprovementReminder)).all()
    assert {s.kind for s in stamps} == {"7", "overdue"}
    assert staff.email in stamps[0].recipients
    # The daily job walks the same kind: nothing is sent twice.
    assert obligation_reminders(session=factory.session)["improvement"] == 0
    # A closed request is no longer chased.
    ops.close_improvement(
        session=factory.session, improvement=improvement, actor=staff, response="施錠した"
    )
    assert run(date(2026, 6, 3)) == 0


# --- scope ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("other", 404), ("chief", 200), ("auditor", 200), ("vendor", 403)],
)
def test_who_sees_a_provision(client, factory, office, who, status):
    from portal_testing import sign_in

    provision = provision_of(factory, office["staff"])
    sign_in(client, office[who].email)
    assert client.get(f"/provisions/{provision.id}").status_code == status


@pytest.mark.parametrize(("who", "status"), [("other", 404), ("chief", 403), ("auditor", 403)])
def test_only_the_providing_department_changes_it(client, factory, office, who, status):
    from portal_testing import sign_in

    provision = provision_of(factory, office["staff"])
    sign_in(client, office[who].email)
    assert client.get(f"/provisions/{provision.id}/edit").status_code == status


# --- API ------------------------------------------------------------------------------------


def test_the_api_lists_the_provisions_in_scope_a_page_at_a_time(client, factory, office):
    for n in range(3):
        provision_of(factory, office["staff"], recipient_name=f"提供先{n}")
    provision_of(factory, office["other"], recipient_name="他課の提供先")

    def get(user, url):
        secret = create_token(session=factory.session, user=user).secret
        factory.session.commit()
        return client.get(url, headers={"Authorization": f"Bearer {secret}"})

    body = get(office["staff"], "/api/v1/provisions?limit=2").get_json()
    assert [i["recipient_name"] for i in body["items"]] == ["提供先0", "提供先1"]
    rest = get(office["staff"], body["next"]).get_json()
    assert [i["recipient_name"] for i in rest["items"]] == ["提供先2"] and rest["next"] is None
    assert rest["items"][0]["pseudonymisation"] == "removed"
    assert len(get(office["chief"], "/api/v1/provisions").get_json()["items"]) == 4
    assert get(office["vendor"], "/api/v1/provisions").status_code == 403


# --- ledger ---------------------------------------------------------------------------------


def test_the_provision_sheet_exports_and_imports_again(app_ctx, factory, office):
    staff = office["staff"]
    provision = provision_of(
        factory, staff, pseudonymisation="not_applied", pseudonymisation_reason="照合に氏名が必要"
    )
    rows = PROVISIONS_SHEET.rows(factory.session, staff)
    assert len(rows) == 1 and "行わない" in rows[0] and "照合に氏名が必要" in rows[0]
    exported = ledger.to_csv(PROVISIONS_SHEET.export_headers, rows)
    outcome = ledger.import_file(
        sheet=PROVISIONS_SHEET,
        session=factory.session,
        actor=staff,
        filename="p.csv",
        data=exported,
    )
    assert outcome.audit_detail() == {"provisions_created": 0, "provisions_updated": 1}
    # Without the ID the same row registers a new provision with the same values.
    text = exported.decode("utf-8-sig").replace(f"\r\n{provision.id},", "\r\n,", 1)
    outcome = ledger.import_file(
        sheet=PROVISIONS_SHEET,
        session=factory.session,
        actor=staff,
        filename="p.csv",
        data=text.encode(),
    )
    assert outcome.audit_detail()["provisions_created"] == 1
    new = factory.session.exec(select(Provision).where(Provision.id != provision.id)).one()
    assert (new.safety_measures, new.pseudonymisation_reason) == (["secrecy"], "照合に氏名が必要")


def test_a_bad_provision_file_is_refused_whole(app_ctx, factory, office):
    staff = office["staff"]
    headers = [c.header for c in PROVISIONS_SHEET.import_columns]
    good = {h: "" for h in headers} | {
        "提供先": "A", "提供先の区分": "市の機関等以外の者", "提供する保有個人情報": "X",
        "利用目的": "目的", "根拠法令": "法", "記録範囲及び記録項目": "氏名", "利用形態": "紙",
        "提供開始日": "2026-04-01", "安全確保の措置": "秘密保持", "削除・置換": "削除",
    }  # fmt: skip
    bad = good | {
        "削除・置換": "行わない",
        "安全確保の措置": "瞬間移動",
        "提供終了日": "2026-01-01",
    }
    csv = ledger.to_csv(headers, [[good[h] for h in headers], [bad[h] for h in headers]])
    with pytest.raises(ImportRejected) as refused:
        ledger.import_file(
            sheet=PROVISIONS_SHEET, session=factory.session, actor=staff, filename="p.csv", data=csv
        )
    messages = " ".join(i.message for i in refused.value.issues)
    assert "終了日が開始日より前" in messages
    assert all(i.row == 3 for i in refused.value.issues)
    assert factory.session.exec(select(Provision)).first() is None


def test_the_decision_sheet_records_outsourcing_decisions(app_ctx, factory, office):
    staff = office["staff"]
    node = make_node(factory, department_id=staff.department_id, vendor=factory.vendor())
    rows = DECISIONS_SHEET.rows(factory.session, staff)
    assert rows == [[node.id, node.task_name, rows[0][2], "", ""]]
    headers = list(DECISIONS_SHEET.import_headers)
    missing_reason = ledger.to_csv(headers, [[node.id, "行わない", ""]])
    with pytest.raises(ImportRejected, match="理由"):
        ledger.import_file(
            sheet=DECISIONS_SHEET,
            session=factory.session,
            actor=staff,
            filename="d.csv",
            data=missing_reason,
        )
    good = ledger.to_csv(headers, [[node.id, "削除", ""]])
    ledger.import_file(
        sheet=DECISIONS_SHEET, session=factory.session, actor=staff, filename="d.csv", data=good
    )
    decision = factory.session.exec(select(OutsourcingPseudonymisation)).one()
    assert (decision.outsourcing_id, decision.pseudonymisation) == (node.id, "removed")
    foreign = ledger.to_csv(headers, [[node.id, "削除", ""]])
    with pytest.raises(ImportRejected, match="所属課室の委託にありません"):
        ledger.import_file(
            sheet=DECISIONS_SHEET,
            session=factory.session,
            actor=office["other"],
            filename="d.csv",
            data=foreign,
        )


# --- an outsourcing's pseudonymisation ------------------------------------------------------


def test_an_outsourcing_records_its_pseudonymisation_and_shows_it(
    client, login, factory, db_session
):
    me = login("staff")
    node = make_node(factory, department_id=me.department_id, vendor=factory.vendor())
    detail = client.get(f"/outsourcings/{node.id}").get_data(as_text=True)
    assert "まだ記録されていません" in detail
    path = f"/provisions/outsourcings/{node.id}/pseudonymisation"
    response = post(client, path, {"pseudonymisation": "not_applied", "reason": ""})
    assert response.status_code == 200 and "理由を入力してください" in response.get_data(
        as_text=True
    )
    response = post(
        client, path, {"pseudonymisation": "not_applied", "reason": "宛名印字に氏名・住所が必要"}
    )
    assert response.status_code == 302
    detail = client.get(f"/outsourcings/{node.id}").get_data(as_text=True)
    assert "宛名印字に氏名・住所が必要" in detail and "削除・置換を行わない" in detail
    assert "outsourcing.pseudonymisation" in db_session.exec(select(AccessEvent.action)).all()


def test_a_vendor_sees_the_decision_but_cannot_record_it(client, login, factory, db_session):
    vendor = factory.vendor()
    staff = factory.user(Role.STAFF)
    node = make_node(factory, department_id=staff.department_id, vendor=vendor)
    ops.record_outsourcing_pseudonymisation(
        session=factory.session, outsourcing=node, actor=staff, method="replaced", reason=""
    )
    factory.session.commit()
    login("vendor", vendor_id=vendor.id)
    detail = client.get(f"/outsourcings/{node.id}").get_data(as_text=True)
    assert "別の記号等に置き換える" in detail and "検討結果を記録する" not in detail
    assert client.get(f"/provisions/outsourcings/{node.id}/pseudonymisation").status_code == 403


def test_the_ledger_pages_offer_both_sheets(client, login, factory):
    me = login("staff")
    provision_of(factory, me, recipient_name="台帳確認用の提供先")
    page = client.get("/ledger/?sheet=provisions").get_data(as_text=True)
    assert "提供台帳" in page and "仮名化等の検討（委託）" in page
    exported = client.get("/ledger/export.csv?sheet=provisions")
    assert exported.status_code == 200
    text = exported.data.decode("utf-8-sig")
    assert text.startswith("提供ID,所管課室,状態,提供先") and "台帳確認用の提供先" in text
    template = client.get("/ledger/import/template.csv?sheet=pseudonymisation")
    assert template.data.decode("utf-8-sig").startswith("委託ID,削除・置換,行わない理由")


def test_the_register_reads_in_english(client, login, factory):
    me = login("staff")
    provision = provision_of(factory, me)
    post(client, "/locale", {"language": "en"}, "/provisions/")
    page = client.get(f"/provisions/{provision.id}").get_data(as_text=True)
    assert "Purpose of use by the recipient" in page and "On-site checks" in page
    assert "Remove identifying entries in whole or in part" in page


# --- the agreement checked against the provision catalog -------------------------------------


def test_the_agreement_pdf_is_checked_against_the_provision_catalog(
    app, client, login, factory, db_session
):
    from pathlib import Path

    from pdfgen import reportlab_pdf
    from portal.reviews.models import ContractDocument

    samples = Path(__file__).parents[1] / "corpus" / "catalogs"
    pdf = reportlab_pdf((samples / "provision_items_only.txt").read_text(encoding="utf-8"))
    huey = app.extensions["portal.huey"]
    huey.flush()
    me = login("staff")
    provision = provision_of(factory, me)
    assert "利用する記録範囲及び記録項目" in client.get(f"/provisions/{provision.id}").get_data(
        as_text=True
    )  # the catalog's matters, before any upload
    response = client.post(
        f"/provisions/{provision.id}/documents",
        data={
            "file": (io.BytesIO(pdf), "提供に関する覚書.pdf"),
            "csrf_token": csrf_token(client, f"/provisions/{provision.id}"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db_session.exec(select(ContractDocument)).one()
    assert (document.owner_kind, document.owner_id, document.catalog) == (
        "provision",
        provision.id,
        "provision",
    )
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    db_session.expire_all()
    document = db_session.get(ContractDocument, document.id)
    assert document.status == "done" and document.report["catalog"] == "provision"
    assert document.statuses["purpose"] == "satisfied"
    assert document.statuses["onsite_check"] == "missing"
    detail = client.get(f"/provisions/{provision.id}").get_data(as_text=True)
    assert 'data-matter="onsite_check"' in detail and "欠落" in detail
    review = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f"/provisions/{provision.id}" in review  # the breadcrumb leads back


def test_another_department_cannot_read_the_agreement_check(client, login, factory, db_session):
    from portal.reviews.models import ContractDocument

    owner = factory.user(Role.STAFF)
    provision = provision_of(factory, owner)
    document = ContractDocument(
        owner_kind="provision",
        owner_id=provision.id,
        catalog="provision",
        filename="覚書.pdf",
        storage_key="documents/provision-scope.pdf",
        sha256="0" * 64,
        size=10,
        status="done",
    )
    factory.session.add(document)
    factory.session.commit()
    login("staff")
    assert client.get(f"/documents/{document.id}").status_code == 404
