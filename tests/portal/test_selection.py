"""Selection: certifications with their evidence, the Japanese refusals of bad input, the
badges of a missing or expired required certification and of items beyond the parent's,
the approval that needs a reason, reminders before expiry, the ledger, the API, the scope."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from chain_helpers import CHECKLIST_IDS, make_node, selection_fields
from sqlmodel import select
from test_reminders import smtp_server, subject  # noqa: F401 - the SMTP fixture

from pdfgen import reportlab_pdf
from portal.api.operations import create_token
from portal.audit.models import AccessEvent
from portal.ledger import operations as ledger
from portal.models import Outsourcing, Vendor
from portal.outsourcings.badges import badges_for
from portal.permissions import Role
from portal.selection.ledger import CERTIFICATIONS_SHEET, SCOPE_SHEET
from portal.selection.models import (
    Certification,
    CertificationAttachment,
    CertificationReminder,
    SelectionRecord,
)
from portal.selection.operations import current_rule
from portal.selection.reminders import send_certification_reminders
from portal.selection.rules import HeldCertification
from portal.timeutil import local_today, utcnow
from portal_testing import csrf_token, sign_in


@pytest.fixture
def chain(factory):
    """An officer; a root with 要配慮個人情報 held by vendor A; a requested subcontract to B."""
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor("株式会社A"), factory.vendor("株式会社B")
    root = make_node(
        factory, department_id=officer.department_id, vendor=vendor_a, special_care=True
    )
    child = make_node(factory, department_id=0, vendor=vendor_b, parent=root, status="requested")
    a_user = factory.user(Role.VENDOR, vendor_id=vendor_a.id)
    b_user = factory.user(Role.VENDOR, vendor_id=vendor_b.id)
    return officer, root, child, a_user, b_user


def _add(client, vendor_id: int, **fields):
    data = {
        "cert_type": "pmark",
        "number": "10820001(01)",
        "issued_on": "2025-04-01",
        "expires_on": (local_today() + timedelta(days=400)).isoformat(),
        "note": "",
        **fields,
    }
    token = csrf_token(client, f"/selection/vendors/{vendor_id}")
    return client.post(
        f"/selection/vendors/{vendor_id}/certifications",
        data={"csrf_token": token, **data},
        content_type="multipart/form-data",
    )


def switch(client, user) -> None:
    """Sign out whoever is signed in, then sign ``user`` in."""
    page = client.get("/auth/password", follow_redirects=True).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token and "/auth/logout" in page:
        client.post("/auth/logout", data={"csrf_token": token.group(1)})
    assert sign_in(client, user.email).status_code == 302


def _labels(app, session, nodes) -> dict[int, list[str]]:
    with app.test_request_context():
        return {k: [b.label for b in v] for k, v in badges_for(session, nodes).items()}


def test_vendor_records_its_certification_with_the_evidence(client, chain, db_session):
    _officer, _root, _child, a_user, _b = chain
    switch(client, a_user)
    pdf = reportlab_pdf("プライバシーマーク付与認定証")
    response = _add(client, a_user.vendor_id, file=(io.BytesIO(pdf), "認定証.pdf"))
    assert response.status_code == 302
    certification = db_session.exec(
        select(Certification).where(Certification.vendor_id == a_user.vendor_id)
    ).one()
    files = db_session.exec(select(CertificationAttachment)).all()
    assert [f.filename for f in files] == ["認定証.pdf"]
    page = client.get(f"/selection/vendors/{a_user.vendor_id}").get_data(as_text=True)
    assert "10820001(01)" in page and "認定証.pdf" in page and "有効" in page
    download = client.get(f"/selection/attachments/{files[0].id}")
    assert download.status_code == 200 and download.data == pdf
    actions = db_session.exec(select(AccessEvent.action)).all()
    assert "certification.create" in actions and "certification.attachment_download" in actions
    assert certification.cert_type == "pmark"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"issued_on": "2026-04-01", "expires_on": "2026-03-31"}, "有効期限（2026-03-31）が取得日"),
        ({"cert_type": "iso9001"}, "認証の種類「iso9001」はありません"),
        ({"number": ""}, "認証番号を入力してください"),
        ({"expires_on": "来年"}, "有効期限を日付で入力してください"),
    ],
)
def test_bad_certifications_are_refused_in_japanese(client, login, factory, fields, message):
    login(Role.STAFF)
    vendor = factory.vendor()
    response = _add(client, vendor.id, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert factory.session.exec(select(Certification)).all() == []


def test_a_duplicate_number_is_refused_and_a_bad_file_keeps_nothing(client, login, factory):
    login(Role.STAFF)
    first, second = factory.vendor("一社"), factory.vendor("二社")
    assert _add(client, first.id).status_code == 302
    page = _add(client, second.id).get_data(as_text=True)
    assert "認証番号 10820001(01) は既に「一社」の認証として登録されています" in page
    # An evidence file that is not a PDF or photo takes the certification back with it.
    page = _add(
        client, second.id, number="X-1", file=(io.BytesIO(b"plain text"), "a.txt")
    ).get_data(as_text=True)
    assert "添付できるのは写真（JPEG・PNG）とPDFだけです" in page
    numbers = factory.session.exec(select(Certification.number)).all()
    assert numbers == ["10820001(01)"]


def test_a_vendor_sees_and_changes_only_its_own_certifications(client, chain, factory):
    _officer, _root, _child, a_user, b_user = chain
    switch(client, a_user)
    assert client.get(f"/selection/vendors/{b_user.vendor_id}").status_code == 403
    assert _add(client, b_user.vendor_id).status_code == 403
    auditor = factory.user(Role.AUDITOR)
    switch(client, auditor)
    page = client.get(f"/selection/vendors/{a_user.vendor_id}").get_data(as_text=True)
    assert "認証を登録する" not in page  # read only
    assert _add(client, a_user.vendor_id).status_code == 403


def test_missing_then_expired_then_valid_certification_on_the_tree(app, chain, db_session):
    _officer, root, child, a_user, _b = chain
    labels = _labels(app, db_session, [root, child])
    assert "必要な認証なし" in labels[root.id]  # 要配慮個人情報 needs Pマーク or ISMS
    assert "必要な認証なし" not in labels[child.id]  # nothing sensitive, few persons
    today = local_today()
    old = Certification(
        vendor_id=a_user.vendor_id,
        cert_type="isms",
        number="IS 1",
        issued_on=today - timedelta(days=800),
        expires_on=today - timedelta(days=1),
    )
    db_session.add(old)
    db_session.commit()
    assert "認証期限切れ" in _labels(app, db_session, [root])[root.id]
    db_session.add(
        Certification(
            vendor_id=a_user.vendor_id,
            cert_type="pmark",
            number="P 1",
            issued_on=today,
            expires_on=today + timedelta(days=700),
        )
    )
    db_session.commit()
    labels = _labels(app, db_session, [root])[root.id]
    assert "認証期限切れ" not in labels and "必要な認証なし" not in labels


def test_cloud_handling_needs_ismap(app, client, chain, db_session):
    officer, root, _child, a_user, _b = chain
    today = local_today()
    db_session.add(
        Certification(
            vendor_id=a_user.vendor_id,
            cert_type="pmark",
            number="P 2",
            issued_on=today,
            expires_on=today + timedelta(days=700),
        )
    )
    db_session.add(SelectionRecord(outsourcing_id=root.id, items=["name"], uses_cloud=True))
    db_session.commit()
    assert "必要な認証なし" in _labels(app, db_session, [root])[root.id]
    switch(client, officer)
    page = client.get(f"/selection/outsourcings/{root.id}").get_data(as_text=True)
    # The test profile (三木市) also accepts ISO/IEC 27017 for a cloud service.
    assert (
        "必要な認証（ISMAP（クラウドサービス）又はISMSクラウドセキュリティ認証（ISO/IEC 27017））"
        "が登録されていません。"
    ) in page


def _save(client, node_id: int, items: list[str], answers: str = "yes", **extra):
    token = csrf_token(client, f"/selection/outsourcings/{node_id}")
    rule_ids = ["capability", "certification", "security_measures", "incident_history", "location"]
    data = {"csrf_token": token, "items": items, **{f"q_{q}": answers for q in rule_ids}, **extra}
    return client.post(f"/selection/outsourcings/{node_id}", data=data)


def test_items_beyond_the_parent_flag_and_need_a_reason_to_approve(app, client, chain, db_session):
    officer, root, child, a_user, _b = chain
    switch(client, officer)
    assert _save(client, root.id, ["name", "address"]).status_code == 302
    switch(client, a_user)  # the vendor that asks to subcontract
    response = _save(client, child.id, ["name", "my_number"], excess_reason="番号の照合に必要")
    assert response.status_code == 302
    labels = _labels(app, db_session, [child])[child.id]
    assert "項目が元の委託を超過" in labels and "選定チェック未回答" not in labels
    switch(client, officer)
    detail = client.get(f"/outsourcings/{child.id}").get_data(as_text=True)
    assert "項目が元の委託を超過" in detail  # the approver's view
    requests = client.get("/outsourcings/requests").get_data(as_text=True)
    assert "項目が元の委託を超過" in requests  # and the list of requests waiting
    page = client.get(f"/selection/outsourcings/{child.id}").get_data(as_text=True)
    assert "元の委託にない個人情報の項目を取り扱います：個人番号" in page
    token = csrf_token(client, f"/outsourcings/{child.id}")
    refused = client.post(
        f"/outsourcings/{child.id}/decide",
        data={"csrf_token": token, "decision": "approve", "comment": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "承認する場合は、その理由をコメントに入力してください" in refused
    db_session.refresh(child)
    assert child.status == "requested"
    client.post(
        f"/outsourcings/{child.id}/decide",
        data={"csrf_token": token, "decision": "approve", "comment": "照合のため個人番号が必要"},
    )
    db_session.refresh(child)
    assert child.status == "approved"
    event = db_session.exec(
        select(AccessEvent).where(AccessEvent.action == "outsourcing.decide")
    ).one()
    detail = json.loads(event.detail)
    assert detail["excess_items"] == ["個人番号"]
    assert detail["excess_reason"] == "照合のため個人番号が必要"


def test_selection_bad_input_and_who_may_answer(client, chain, db_session, factory):
    officer, root, child, a_user, b_user = chain
    switch(client, officer)
    page = _save(client, root.id, []).get_data(as_text=True)
    assert "委託する個人情報の項目を1つ以上選んでください" in page
    page = _save(client, root.id, ["趣味"]).get_data(as_text=True)
    assert "個人情報の項目「趣味」は一覧にありません" in page
    assert db_session.exec(select(SelectionRecord)).all() == []
    switch(client, b_user)  # the subcontractor itself does not answer its selection
    assert _save(client, child.id, ["name"]).status_code == 403
    switch(client, a_user)  # nor does the holder answer for the municipality's root
    assert _save(client, root.id, ["name"]).status_code == 403


def test_reminders_60_30_and_expired_once_each_latest_only(
    app,
    client,
    chain,
    db_session,
    smtp_server,  # noqa: F811
):
    config, inbox = smtp_server
    officer, _root, _child, a_user, _b = chain
    today = date(2026, 12, 6)
    cert = Certification(
        vendor_id=a_user.vendor_id,
        cert_type="pmark",
        number="P 3",
        issued_on=date(2024, 1, 1),
        expires_on=today + timedelta(days=60),
    )
    db_session.add(cert)
    db_session.commit()
    with app.app_context():
        rule = current_rule()
        sent = [
            send_certification_reminders(session=db_session, rule=rule, today=day, config=config)
            for day in (today, today, today + timedelta(days=30), today + timedelta(days=61))
        ]
    assert sent == [1, 0, 1, 1]
    kinds = db_session.exec(select(CertificationReminder.kind)).all()
    assert sorted(kinds) == ["30", "60", "overdue"]
    assert "【認証】有効期限まで60日：プライバシーマーク（株式会社A）" in [
        subject(m) for m in inbox.messages
    ]
    assert {a_user.email, officer.email} <= set(inbox.messages[0]["To"].split(", "))
    switch(client, a_user)  # the stamps are listed on the vendor's page
    page = client.get(f"/selection/vendors/{a_user.vendor_id}").get_data(as_text=True)
    assert page.count("通知済み") == 3
    # A renewed certification supersedes the old one: nothing more about the old.
    db_session.add(
        Certification(
            vendor_id=a_user.vendor_id,
            cert_type="pmark",
            number="P 4",
            issued_on=today,
            expires_on=today + timedelta(days=800),
        )
    )
    db_session.commit()
    with app.app_context():
        assert (
            send_certification_reminders(
                session=db_session, rule=rule, today=today + timedelta(days=90), config=config
            )
            == 0
        )


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=["法人番号", "認証の種類", "認証番号", "取得日", "有効期限"]
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_ledger_exports_and_imports_certifications(app, chain, db_session):
    officer, _root, _child, a_user, b_user = chain
    a, b = db_session.get(Vendor, a_user.vendor_id), db_session.get(Vendor, b_user.vendor_id)
    good = {
        "法人番号": a.corporate_number,
        "認証の種類": "プライバシーマーク",
        "認証番号": "L-1",
        "取得日": "2025/4/1",
        "有効期限": "2027年3月31日",
    }
    bad = [
        good,
        {**good, "法人番号": b.corporate_number},  # the same number again
        {**good, "認証番号": "L-2", "認証の種類": "ISO 9001"},
        {**good, "認証番号": "L-3", "有効期限": "2025-03-31"},
        {**good, "認証番号": "L-4", "法人番号": "7000012050002"},
    ]
    with app.test_request_context():
        with pytest.raises(ledger.ImportRejected) as refused:
            ledger.import_file(
                sheet=CERTIFICATIONS_SHEET,
                session=db_session,
                actor=officer,
                filename="c.csv",
                data=_csv(bad),
            )
        messages = " ".join(i.message for i in refused.value.issues)
        assert "2行目と同じ認証番号です" in messages
        assert "認証の種類「ISO 9001」はありません" in messages
        assert "有効期限（2025-03-31）が取得日（2025-04-01）より前です" in messages
        assert "この法人番号の委託先は登録されていません" in messages
        assert db_session.exec(select(Certification)).all() == []
        outcome = ledger.import_file(
            sheet=CERTIFICATIONS_SHEET,
            session=db_session,
            actor=officer,
            filename="c.csv",
            data=_csv([good]),
        )
        assert outcome.audit_detail() == {"certifications": 1}
        rows = CERTIFICATIONS_SHEET.rows(db_session, officer)
    assert rows == [
        [
            "株式会社A",
            a.corporate_number,
            "プライバシーマーク",
            "L-1",
            date(2025, 4, 1),
            date(2027, 3, 31),
            "",
            "有効",
            "なし",
        ]
    ]


def test_api_lists_certifications_and_selections_in_scope(client, chain, db_session):
    officer, root, child, a_user, b_user = chain
    today = local_today()
    for vendor_id, number in ((a_user.vendor_id, "A-1"), (b_user.vendor_id, "B-1")):
        db_session.add(
            Certification(
                vendor_id=vendor_id,
                cert_type="isms",
                number=number,
                issued_on=today,
                expires_on=today + timedelta(days=365),
            )
        )
    db_session.add(SelectionRecord(outsourcing_id=root.id, items=["name"]))
    db_session.add(SelectionRecord(outsourcing_id=child.id, items=["name", "my_number"]))
    db_session.commit()
    secret = create_token(session=db_session, user=a_user).secret
    db_session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    mine = client.get("/api/v1/certifications", headers=headers).get_json()
    assert [c["number"] for c in mine["items"]] == ["A-1"]
    officer_secret = create_token(session=db_session, user=officer).secret
    db_session.commit()
    page = client.get(
        "/api/v1/certifications?limit=1", headers={"Authorization": f"Bearer {officer_secret}"}
    ).get_json()
    assert len(page["items"]) == 1 and page["next"]
    selections = client.get(
        "/api/v1/selections", headers={"Authorization": f"Bearer {officer_secret}"}
    ).get_json()["items"]
    by_node = {s["outsourcing_id"]: s for s in selections}
    assert by_node[child.id]["excess_items"] == ["個人番号"]
    assert by_node[root.id]["items"] == ["氏名"]


def test_demo_comes_with_certifications_and_a_request_beyond_its_parent(runner, db_session):
    result = runner.invoke(args=["demo", "load", "--no-contracts"])
    assert result.exit_code == 0, result.output
    certifications = db_session.exec(select(Certification)).all()
    today = local_today()
    assert any(c.expires_on < today for c in certifications)  # one expired
    assert any(today <= c.expires_on <= today + timedelta(days=60) for c in certifications)
    records = db_session.exec(select(SelectionRecord)).all()
    assert len(records) == len(db_session.exec(select(Outsourcing)).all())
    assert [r for r in records if r.excess_reason]  # a request with items beyond its parent


REGISTRATION = {
    "task_name": "住民税の通知書印刷",
    "vendor_name": "株式会社印刷",
    "corporate_number": "9000012050990",
    "start_date": "2026-04-01",
    "end_date": "2027-03-31",
    "pi_categories": "氏名、住所、税額",
    "persons": "10",
    "scope_note": "宛名と税額のみ",
}


def _register(client, department_id: int, **fields):
    return client.post(
        "/outsourcings/new",
        data={
            "csrf_token": csrf_token(client, "/outsourcings/new"),
            "department_id": department_id,
            **REGISTRATION,
            **fields,
        },
    )


def test_the_checklist_is_answered_in_the_registration_form(client, factory, db_session):
    officer = factory.user(Role.STAFF)
    switch(client, officer)
    form = client.get("/outsourcings/new").get_data(as_text=True)
    rule_questions = re.findall(r'name="q_(\w+)" value="yes"', form)
    assert rule_questions == list(CHECKLIST_IDS)  # from the profile, as on the node's page
    response = _register(
        client,
        officer.department_id,
        **selection_fields("name", "address", "tax", checklist_comment="体制表で確認"),
        uses_cloud="y",
    )
    node = db_session.exec(select(Outsourcing)).one()
    assert response.headers["Location"].endswith(f"/outsourcings/{node.id}")
    record = db_session.exec(select(SelectionRecord)).one()
    assert record.outsourcing_id == node.id and record.items == ["name", "address", "tax"]
    assert record.answers == dict.fromkeys(CHECKLIST_IDS, "yes") and record.uses_cloud
    assert record.checklist_comment == "体制表で確認"
    event = db_session.exec(select(AccessEvent).where(AccessEvent.action == "selection.save"))
    assert json.loads(event.one().detail)["with"] == "registration"
    # The separate page stays for later edits, with the answers given at registration.
    page = client.get(f"/selection/outsourcings/{node.id}").get_data(as_text=True)
    assert re.findall(r'name="items" value="(\w+)" checked', page) == ["name", "address", "tax"]


def test_an_incomplete_checklist_is_refused_and_nothing_typed_is_lost(client, factory, db_session):
    officer = factory.user(Role.STAFF)
    switch(client, officer)
    answered = selection_fields("name", "my_number", checklist_comment="一部確認中")
    del answered["q_location"], answered["q_capability"]
    response = _register(
        client, officer.department_id, corporate_number="1234567890123", **answered
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "選定チェックリストの次の確認事項に「はい」か「いいえ」で回答してください："
        "個人情報の適切な管理を行う能力（体制・実績）を確認した、"
        "個人情報を取り扱う場所（国外を含む）を確認した"
    ) in page
    assert "チェックデジット" in page  # the chain's own refusal shows at the same time
    assert 'value="住民税の通知書印刷"' in page and "一部確認中" in page
    assert re.findall(r'name="items" value="(\w+)" checked', page) == ["name", "my_number"]
    assert re.findall(r'name="q_(\w+)" value="yes" [^>]*checked', page) == [
        "certification",
        "security_measures",
        "incident_history",
    ]
    page = _register(client, officer.department_id, **selection_fields()).get_data(as_text=True)
    assert "委託する個人情報の項目を1つ以上選んでください" in page
    assert db_session.exec(select(Outsourcing)).all() == []
    assert db_session.exec(select(Vendor)).all() == []
    assert db_session.exec(select(SelectionRecord)).all() == []


def test_the_vendor_answers_the_checklist_when_requesting_a_subcontract(
    app, client, chain, db_session
):
    _officer, root, _child, a_user, _b = chain
    db_session.add(SelectionRecord(outsourcing_id=root.id, items=["name", "address"]))
    db_session.commit()
    switch(client, a_user)
    url = f"/outsourcings/{root.id}/subcontract"
    form = client.get(url).get_data(as_text=True)
    assert "元の委託の項目：氏名、住所" in form
    request = {
        "csrf_token": csrf_token(client, url),
        "task_name": "封入封緘作業",
        "vendor_name": "株式会社封入センター",
        "corporate_number": "9000012050990",
        "start_date": "2026-05-01",
        "end_date": "2027-03-01",
        "pi_categories": "氏名、住所、生年月日",
        "persons": "1200",
        "scope_note": "宛名のみ",
        "reason": "繁忙期",
        "responsible_persons": "責任者 1名",
        "protection_measures": "施錠",
        "oversight_method": "月次報告",
    }
    refused = client.post(url, data={**request, **selection_fields("name", "birth_date")})
    assert refused.status_code == 200
    assert (
        "元の委託にない個人情報の項目（生年月日）があります。その項目を取り扱う理由を入力してください。"
    ) in refused.get_data(as_text=True)
    assert db_session.exec(select(Outsourcing).where(Outsourcing.parent_id == root.id)).all() == [
        _child
    ]
    response = client.post(
        url,
        data={**request, **selection_fields("name", "birth_date", excess_reason="年齢の確認")},
    )
    assert response.status_code == 302
    node = db_session.exec(select(Outsourcing).where(Outsourcing.task_name == "封入封緘作業")).one()
    record = db_session.exec(
        select(SelectionRecord).where(SelectionRecord.outsourcing_id == node.id)
    ).one()
    assert record.items == ["name", "birth_date"] and record.excess_reason == "年齢の確認"
    # The approver sees the excess at once: no separate step was needed.
    assert "項目が元の委託を超過" in _labels(app, db_session, [node])[node.id]


def test_ledger_exports_the_items_and_the_excess(app, chain, db_session):
    officer, root, child, _a, _b = chain
    db_session.add(SelectionRecord(outsourcing_id=root.id, items=["name"], answers={}))
    db_session.add(
        SelectionRecord(
            outsourcing_id=child.id, items=["name", "birth_date"], excess_reason="年齢確認"
        )
    )
    db_session.commit()
    with app.test_request_context():
        rows = SCOPE_SHEET.rows(db_session, officer)
    by_id = {row[0]: row for row in rows}
    assert by_id[root.id][4:6] == ["氏名", ""]
    assert by_id[child.id][4:7] == ["氏名、生年月日", "生年月日", "年齢確認"]
    assert "個人情報の適切な管理を行う能力" in by_id[root.id][8]  # unanswered checks listed


def test_a_mistaken_certification_is_withdrawn_with_a_reason_and_kept(
    app, client, login, factory, db_session
):
    login(Role.STAFF)
    right, wrong = factory.vendor("正しい社"), factory.vendor("誤った社")
    assert _add(client, wrong.id).status_code == 302
    certification = db_session.exec(select(Certification)).one()
    page = f"/selection/vendors/{wrong.id}"
    token = csrf_token(client, page)
    url = f"/selection/certifications/{certification.id}/withdraw"
    refused = client.post(url, data={"csrf_token": token, "reason": " "}, follow_redirects=True)
    assert "取り消す理由を入力してください" in refused.get_data(as_text=True)
    client.post(url, data={"csrf_token": token, "reason": "別の委託先の番号を誤って登録"})
    db_session.refresh(certification)
    assert certification.withdrawn_at is not None
    assert "別の委託先の番号を誤って登録" in client.get(page).get_data(as_text=True)
    # The number is free again for the vendor that holds it; the withdrawn one counts for nothing.
    assert _add(client, right.id).status_code == 302
    assert len(db_session.exec(select(Certification)).all()) == 2
    with app.test_request_context():
        rows = CERTIFICATIONS_SHEET.rows(db_session, factory.user(Role.STAFF))
    assert [row[0] for row in rows] == ["正しい社"]
    actions = db_session.exec(select(AccessEvent.action)).all()
    assert "certification.withdraw" in actions


# --- the items per tier, imported from the ledger -----------------------------------------


def _scope_csv(rows: list[dict[str, str]], headers: list[str] | None = None) -> bytes:
    headers = headers or ["委託ID", "委託する個人情報の項目", "超える理由", "クラウドサービス"]
    return ledger.to_csv(headers, [[r.get(h, "") for h in headers] for r in rows])


def _import_scope(db_session, actor, data: bytes):
    return ledger.import_file(
        sheet=SCOPE_SHEET, session=db_session, actor=actor, filename="s.csv", data=data
    )


def test_the_items_sheet_round_trips_through_an_import(app, client, chain, db_session):
    officer, root, child, _a, _b = chain
    answers = {"capability": "yes", "location": "no"}
    db_session.add(SelectionRecord(outsourcing_id=root.id, items=["name", "tax"], answers=answers))
    db_session.add(
        SelectionRecord(
            outsourcing_id=child.id,
            items=["name", "birth_date"],
            excess_reason="年齢確認",
            uses_cloud=True,
        )
    )
    db_session.commit()
    with app.test_request_context():
        exported = SCOPE_SHEET.rows(db_session, officer)
        data = ledger.to_csv(SCOPE_SHEET.export_headers, exported)
        # Somebody changes the records; importing the exported file puts them back.
        for record in db_session.exec(select(SelectionRecord)).all():
            record.items, record.excess_reason, record.uses_cloud = ["address"], "", False
            db_session.add(record)
        db_session.flush()
        outcome = _import_scope(db_session, officer, data)
        assert outcome.audit_detail() == {"selection_records": 2, "created": 0}
        assert SCOPE_SHEET.rows(db_session, officer) == exported
    by_node = {r.outsourcing_id: r for r in db_session.exec(select(SelectionRecord)).all()}
    assert by_node[root.id].items == ["name", "tax"]  # 税・所得に関する情報 stays one label
    assert by_node[root.id].answers == answers  # the checklist is not in the sheet: kept
    assert by_node[child.id].uses_cloud is True and by_node[child.id].excess_reason == "年齢確認"


def test_a_bad_items_sheet_is_refused_row_by_row_in_japanese(app, chain, db_session, factory):
    officer, root, child, a_user, _b = chain
    elsewhere = make_node(factory, department_id=factory.department().id, vendor=factory.vendor())
    db_session.add(SelectionRecord(outsourcing_id=root.id, items=["name"]))
    db_session.commit()
    rows = [
        {"委託ID": str(root.id), "委託する個人情報の項目": "氏名、趣味"},
        {"委託ID": "999999", "委託する個人情報の項目": "氏名"},
        {"委託ID": str(elsewhere.id), "委託する個人情報の項目": "氏名"},  # another department
        {"委託ID": str(child.id), "委託する個人情報の項目": "氏名、個人番号"},  # no reason
        {"委託ID": str(child.id), "委託する個人情報の項目": "氏名"},
        {"委託ID": "abc", "委託する個人情報の項目": ""},
    ]
    with app.test_request_context():
        with pytest.raises(ledger.ImportRejected) as refused:
            _import_scope(db_session, officer, _scope_csv(rows))
        issues = {(i.row, i.message) for i in refused.value.issues}
        assert (2, "個人情報の項目「趣味」は一覧にありません。") in issues
        assert (3, "委託ID「999999」の委託はありません。") in issues
        assert (4, f"委託ID「{elsewhere.id}」の委託はありません。") in issues
        assert (
            5,
            "元の委託にない個人情報の項目（個人番号）があります。"
            "その項目を取り扱う理由を入力してください。",
        ) in issues
        assert (6, "5行目と同じ委託IDです。") in issues
        assert (7, "委託ID「abc」の委託はありません。") in issues
        # The vendor holding the root answers for its own request, never for the root.
        with pytest.raises(ledger.ImportRejected) as refused:
            _import_scope(
                db_session,
                a_user,
                _scope_csv([{"委託ID": str(root.id), "委託する個人情報の項目": "氏名"}]),
            )
        assert [i.message for i in refused.value.issues] == [
            f"委託ID {root.id} の項目を変更する権限がありません。"
        ]
        # Bad cloud values and headers are named too.
        with pytest.raises(ledger.ImportRejected) as refused:
            _import_scope(
                db_session,
                officer,
                _scope_csv(
                    [{"委託ID": str(root.id), "委託する個人情報の項目": "氏名", "項目X": "1"}],
                    headers=["委託ID", "委託する個人情報の項目", "項目X"],
                ),
            )
        assert "見出し「項目X」は使えません" in refused.value.issues[0].message
    assert [r.items for r in db_session.exec(select(SelectionRecord)).all()] == [["name"]]


def test_the_parent_in_the_same_file_counts_and_the_upload_is_logged(client, chain, db_session):
    officer, root, child, _a, _b = chain
    switch(client, officer)
    rows = [
        {
            "委託ID": str(root.id),
            "委託する個人情報の項目": "氏名、個人番号",
            "クラウドサービス": "あり",
        },
        {"委託ID": str(child.id), "委託する個人情報の項目": "個人番号"},  # within the new parent
    ]
    token = csrf_token(client, "/ledger/import?sheet=selection_scope")
    response = client.post(
        "/ledger/import?sheet=selection_scope",
        data={"csrf_token": token, "file": (io.BytesIO(_scope_csv(rows)), "項目.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "取り込みました：委託する個人情報の項目 2件（新規 2件、更新 0件）。" in page
    by_node = {r.outsourcing_id: r for r in db_session.exec(select(SelectionRecord)).all()}
    assert by_node[root.id].items == ["name", "my_number"] and by_node[root.id].uses_cloud
    assert by_node[child.id].items == ["my_number"] and not by_node[child.id].uses_cloud
    event = db_session.exec(select(AccessEvent).where(AccessEvent.action == "ledger.import")).one()
    assert json.loads(event.detail)["selection_records"] == 2


# --- editing a certification ----------------------------------------------------------------


def _edit(client, certification_id: int, **fields):
    url = f"/selection/certifications/{certification_id}/edit"
    data = {
        "number": "10820001(01)",
        "issued_on": "2025-04-01",
        "expires_on": (local_today() + timedelta(days=400)).isoformat(),
        "scope": "",
        "note": "",
        **fields,
    }
    return client.post(
        url,
        data={"csrf_token": csrf_token(client, url), **data},
        content_type="multipart/form-data",
    )


def test_a_certification_is_renewed_in_place_with_its_evidence_replaced(
    app, client, chain, db_session
):
    _officer, _root, _child, a_user, _b = chain
    switch(client, a_user)
    old_pdf = reportlab_pdf("旧認定証")
    _add(client, a_user.vendor_id, file=(io.BytesIO(old_pdf), "旧.pdf"))
    certification = db_session.exec(select(Certification)).one()
    db_session.add(CertificationReminder(certification_id=certification.id, kind="60"))
    db_session.commit()
    new_expiry = (local_today() + timedelta(days=1100)).isoformat()
    response = _edit(
        client,
        certification.id,
        number="10820001(02)",
        issued_on="2026-04-01",
        expires_on=new_expiry,
        scope="本社 データセンター",
        file=(io.BytesIO(reportlab_pdf("新認定証")), "新.pdf"),
    )
    assert response.status_code == 302
    db_session.refresh(certification)
    assert (certification.number, certification.expires_on.isoformat()) == (
        "10820001(02)",
        new_expiry,
    )
    assert certification.scope == "本社 データセンター"
    # The reminder sent for the old expiry no longer counts: the new one will be reminded of.
    assert db_session.exec(select(CertificationReminder)).all() == []
    files = db_session.exec(select(CertificationAttachment).order_by(CertificationAttachment.id))
    old, new = files.all()
    assert (old.filename, new.filename) == ("旧.pdf", "新.pdf")
    page = client.get(f"/selection/vendors/{a_user.vendor_id}").get_data(as_text=True)
    current, earlier = page.split("以前の版（1件）")
    assert "新.pdf" in current and "旧.pdf" not in current and "旧.pdf" in earlier
    assert "範囲：本社 データセンター" in page
    assert client.get(f"/selection/attachments/{old.id}").data == old_pdf  # kept, downloadable
    event = db_session.exec(
        select(AccessEvent).where(AccessEvent.action == "certification.update")
    ).one()
    detail = json.loads(event.detail)
    assert detail["changes"]["number"] == ["10820001(01)", "10820001(02)"]
    assert detail["changes"]["issued_on"] == ["2025-04-01", "2026-04-01"]
    assert detail["changes"]["reminders_cleared"] == ["60"]
    assert detail["evidence"] == {"attachment_id": new.id, "filename": "新.pdf"}
    with app.test_request_context():
        row = CERTIFICATIONS_SHEET.rows(db_session, a_user)[0]
    assert row[3] == "10820001(02)" and row[6] == "本社 データセンター"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"issued_on": "2026-04-01", "expires_on": "2026-03-31"}, "有効期限（2026-03-31）が取得日"),
        ({"number": ""}, "認証番号を入力してください"),
        ({"expires_on": "来年"}, "有効期限を日付で入力してください"),
        ({"number": "TAKEN-1"}, "認証番号 TAKEN-1 は既に「二社」の認証として登録されています"),
        (
            {"file": (io.BytesIO(b"plain text"), "a.txt")},
            "添付できるのは写真（JPEG・PNG）とPDFだけです",
        ),
    ],
)
def test_a_bad_edit_is_refused_in_japanese_and_changes_nothing(
    client, login, factory, db_session, fields, message
):
    login(Role.STAFF)
    first, second = factory.vendor("一社"), factory.vendor("二社")
    _add(client, first.id)
    _add(client, second.id, number="TAKEN-1")
    certification = db_session.exec(
        select(Certification).where(Certification.vendor_id == first.id)
    ).one()
    before = certification.model_dump()
    response = _edit(client, certification.id, note="直した備考", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "直した備考" in page  # what the user typed is still in the form
    db_session.expire_all()
    assert db_session.get(Certification, certification.id).model_dump() == before
    assert db_session.exec(select(CertificationAttachment)).all() == []


def test_only_those_who_change_certifications_edit_them(client, chain, factory, db_session):
    _officer, _root, _child, a_user, b_user = chain
    switch(client, a_user)
    _add(client, a_user.vendor_id)
    certification = db_session.exec(select(Certification)).one()
    url = f"/selection/certifications/{certification.id}/edit"
    assert "認証を変更する" in client.get(f"/selection/vendors/{a_user.vendor_id}").get_data(
        as_text=True
    )
    switch(client, b_user)  # another vendor
    assert client.get(url).status_code == 403
    switch(client, factory.user(Role.AUDITOR))  # reads, changes nothing
    assert client.get(url).status_code == 403
    switch(client, a_user)
    token = csrf_token(client, f"/selection/vendors/{a_user.vendor_id}")
    client.post(
        f"/selection/certifications/{certification.id}/withdraw",
        data={"csrf_token": token, "reason": "誤登録"},
    )
    assert client.get(url).status_code == 404  # a withdrawn certification stays as it was


def test_the_checklist_nags_only_where_it_is_owed(app, factory, db_session):
    """Owed while the selection is under way (requested, approved) or once begun; a node at
    work with no record was selected before the checklist existed and is left alone."""
    officer = factory.user(Role.STAFF)
    vendor = factory.vendor("株式会社C")
    department = officer.department_id
    at_work = make_node(factory, department_id=department, vendor=vendor)
    requested = make_node(
        factory, department_id=0, vendor=vendor, parent=at_work, status="requested"
    )
    approved = make_node(factory, department_id=0, vendor=vendor, parent=at_work, status="approved")
    begun = make_node(factory, department_id=department, vendor=vendor)
    answered = make_node(factory, department_id=department, vendor=vendor)
    ended = make_node(factory, department_id=0, vendor=vendor, parent=begun, status="ended")
    with app.app_context():
        rule = current_rule()
    all_yes = {q.id: "yes" for q in rule.checklist}
    db_session.add(SelectionRecord(outsourcing_id=begun.id, answers={rule.checklist[0].id: "no"}))
    db_session.add(SelectionRecord(outsourcing_id=answered.id, answers=all_yes | {"x": "no"}))
    db_session.add(SelectionRecord(outsourcing_id=ended.id, answers={}))
    db_session.add(SelectionRecord(outsourcing_id=approved.id, answers=all_yes))
    db_session.commit()
    nodes = [at_work, requested, approved, begun, answered, ended]
    nagged = {
        node_id
        for node_id, labels in _labels(app, db_session, nodes).items()
        if "選定チェック未回答" in labels
    }
    assert nagged == {requested.id, begun.id}


@pytest.mark.parametrize("cloud", [False, True])
def test_the_trees_certification_findings_are_the_rules(app, factory, db_session, cloud):
    """The tree works the requirements out in SQL; they must say what ``rule.findings``
    says, for every kind of holding and every condition a requirement has."""
    today = local_today()
    officer = factory.user(Role.STAFF)
    holdings = {
        "none": [],
        "expired": [("pmark", -1, False)],
        "valid": [("isms", 0, False)],  # valid through its expiry day
        "withdrawn": [("pmark", 300, True), ("isms", -30, False)],
        "cloud_only": [("ismap", 300, False)],
        "both": [("pmark", -5, False), ("ismap", 10, False)],
    }
    nodes, expected_held = [], {}
    for name, certifications in holdings.items():
        vendor = factory.vendor(f"株式会社{name}")
        for number, (cert_type, days, withdrawn) in enumerate(certifications):
            db_session.add(
                Certification(
                    vendor_id=vendor.id,
                    cert_type=cert_type,
                    number=f"{name}-{number}",
                    issued_on=today - timedelta(days=700),
                    expires_on=today + timedelta(days=days),
                    withdrawn_at=utcnow() if withdrawn else None,
                )
            )
        for special_care in (False, True):
            for persons in (0, 999, 1000):
                node = make_node(
                    factory,
                    department_id=officer.department_id,
                    vendor=vendor,
                    special_care=special_care,
                    persons=persons,
                )
                db_session.add(SelectionRecord(outsourcing_id=node.id, uses_cloud=cloud))
                nodes.append(node)
                expected_held[node.id] = [
                    HeldCertification(t, today + timedelta(days=d))
                    for t, d, withdrawn in certifications
                    if not withdrawn
                ]
    db_session.commit()
    with app.test_request_context():
        rule = current_rule()
        badges = badges_for(db_session, nodes)
        for node in nodes:
            findings = rule.findings(
                expected_held[node.id],
                special_care=node.special_care,
                persons=node.persons,
                cloud=cloud,
                today=today,
            )
            expected = [
                (
                    "認証期限切れ",
                    f"必要な認証（{rule.describe(f.requirement)}）の有効期限が切れています。",
                )
                if f.expired
                else (
                    "必要な認証なし",
                    f"必要な認証（{rule.describe(f.requirement)}）が登録されていません。",
                )
                for f in findings
            ]
            found = [(b.label, b.title) for b in badges[node.id] if "certification" in b.flags]
            assert found == expected, (node.special_care, node.persons, cloud)
    assert any("certification" in b.flags for bs in badges.values() for b in bs)
