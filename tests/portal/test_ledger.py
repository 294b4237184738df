"""The ledger: export content and format, import validated in full or not at all."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
from chain_helpers import make_node
from openpyxl import load_workbook
from sqlmodel import func, select

from portal.demo import corporate_number
from portal.ledger import operations as ledger
from portal.ledger.sheets import ImportRejected
from portal.models import Outsourcing, Vendor
from portal.outsourcings.ledger import EXPORT_HEADERS, IMPORT_HEADERS, SHEET, ledger_rows
from portal_testing import csrf_token

GOOD = corporate_number("010401012345")
GOOD_2 = corporate_number("120001022222")
GOOD_3 = corporate_number("140002011111")
BAD_CHECK_DIGIT = str((int(GOOD[0]) + 1) % 10) + GOOD[1:]


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel reads Japanese"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def csv_file(rows: list[dict[str, str]], headers=IMPORT_HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(headers))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def chain(factory):
    """Department A: root → approved sub → sub-sub entered without approval; B: one root."""
    a, b = factory.department("市民課"), factory.department("税務課")
    approver = factory.user("manager", department_id=a.id)
    approver.name = "責任 一郎"
    factory.session.commit()
    prime = factory.vendor("株式会社元請")
    sub = factory.vendor('=HYPERLINK("x")')  # a name that would be a formula in Excel
    subsub = factory.vendor("有限会社孫請")
    root = make_node(
        factory,
        department_id=a.id,
        vendor=prime,
        task_name="住民票発行",
        pi_categories="氏名、住所",
        special_care=True,
        persons=1200,
        scope_note="窓口分のみ",
    )
    child = make_node(
        factory,
        department_id=a.id,
        vendor=sub,
        parent=root,
        task_name="入力作業",
        start_date=date(2026, 5, 1),
        decided_by_id=approver.id,
        decided_at=datetime(2026, 4, 20, 1, 0, tzinfo=UTC),
        decision_comment="体制を確認",
    )
    grandchild = make_node(
        factory, department_id=a.id, vendor=subsub, parent=child, entered_without_approval=True
    )
    other = make_node(factory, department_id=b.id, vendor=factory.vendor())
    return {"a": a, "b": b, "root": root, "child": child, "grandchild": grandchild, "other": other}


# --- export ----------------------------------------------------------------------------


def test_csv_export_has_bom_japanese_headers_and_one_row_per_node(client, login, chain):
    login("staff", department_id=chain["a"].id)
    response = client.get("/ledger/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    filename = unquote(disposition.split("''", 1)[1])
    assert filename.startswith("委託台帳_") and filename.endswith(".csv")
    date.fromisoformat(filename.removeprefix("委託台帳_").removesuffix(".csv"))

    rows = read_csv(response.data)
    assert rows[0] == list(EXPORT_HEADERS)
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {str(chain[k].id) for k in ("root", "child", "grandchild")}
    root = by_id[str(chain["root"].id)]
    assert root["階層"] == "1" and root["親番号"] == "" and root["課室"] == "市民課"
    assert root["法人番号"] and len(root["法人番号"]) == 13
    assert (root["開始日"], root["終了日"], root["状態"]) == ("2026-04-01", "2027-03-31", "実施中")
    assert (root["個人情報の項目"], root["要配慮個人情報"], root["本人数"]) == (
        "氏名、住所",
        "あり",
        "1200",
    )
    assert root["取扱範囲・備考"] == "窓口分のみ"
    child = by_id[str(chain["child"].id)]
    assert child["階層"] == "2" and child["親番号"] == str(chain["root"].id)
    assert (child["承認者"], child["承認コメント"]) == ("責任 一郎", "体制を確認")
    assert child["承認日時"].startswith("2026-04-20")
    assert child["無承認再委託"] == "なし"
    # A vendor name that looks like a formula is written as text, not run by Excel.
    assert child["委託先名称"].startswith("'=")
    grandchild = by_id[str(chain["grandchild"].id)]
    assert grandchild["階層"] == "3" and grandchild["無承認再委託"] == "あり"


def test_excel_export_has_a_frozen_header_and_sized_columns(client, login, chain):
    login("chief")
    response = client.get("/ledger/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert unquote(response.headers["Content-Disposition"]).endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == list(EXPORT_HEADERS)
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold
    assert sheet.column_dimensions["D"].width >= 10  # 委託業務名
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert chain["other"].id in values  # the chief sees every department
    child = values[chain["child"].id]
    assert child[6] == '=HYPERLINK("x")'  # kept as text
    assert sheet.cell(row=2, column=9).number_format == "yyyy-mm-dd"


def test_csv_and_excel_read_back_the_same(db_session, chain, factory):
    staff = factory.user("staff", department_id=chain["a"].id)
    rows = ledger_rows(session=db_session, user=staff)
    from_csv = ledger.read_table(filename="a.csv", data=ledger.to_csv(EXPORT_HEADERS, rows))
    from_xlsx = ledger.read_table(filename="a.xlsx", data=ledger.to_xlsx(EXPORT_HEADERS, rows))
    # CSV keeps the formula guard (a leading apostrophe); otherwise the two are identical.
    strip = [(n, {k: v.removeprefix("'") for k, v in r.items()}) for n, r in from_csv[1]]
    assert from_csv[0] == from_xlsx[0] == list(EXPORT_HEADERS)
    assert strip == from_xlsx[1]


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("staff_a", {"root", "child", "grandchild"}),
        ("staff_b", {"other"}),
        ("chief", {"root", "child", "grandchild", "other"}),
        ("vendor_sub", {"child", "grandchild"}),
    ],
)
def test_export_rows_follow_the_scope(db_session, factory, chain, role, visible):
    users = {
        "staff_a": lambda: factory.user("staff", department_id=chain["a"].id),
        "staff_b": lambda: factory.user("staff", department_id=chain["b"].id),
        "chief": lambda: factory.user("chief"),
        "vendor_sub": lambda: factory.user("vendor", vendor_id=chain["child"].vendor_id),
    }
    rows = ledger_rows(session=db_session, user=users[role]())
    expected = {chain[key].id for key in visible}
    got = {row[0] for row in rows}
    assert got & {n.id for n in chain.values() if isinstance(n, Outsourcing)} == expected
    if role == "vendor_sub":
        # The contractor above is not in the file, so the child's parent is left blank.
        assert next(r for r in rows if r[0] == chain["child"].id)[1] == ""


def test_the_ledger_page_offers_both_downloads(client, login, chain):
    login("auditor")
    html = client.get("/ledger/").get_data(as_text=True)
    assert "/ledger/export.xlsx" in html and "/ledger/export.csv" in html
    assert "/ledger/import" not in html  # the auditor changes nothing


# --- import ----------------------------------------------------------------------------


def row(**fields: str) -> dict[str, str]:
    base = {
        "委託業務名": "住民税当初課税データ入力",
        "課室": "税務課",
        "委託先名称": "株式会社みらい",
        "法人番号": GOOD,
        "開始日": "2026-04-01",
        "終了日": "2027-03-31",
    }
    return base | fields


def run_import(db_session, actor, data: bytes, filename: str = "ledger.csv"):
    return ledger.import_file(
        sheet=SHEET, session=db_session, actor=actor, filename=filename, data=data
    )


def test_a_chain_of_any_depth_imports_with_approvals_recorded(db_session, factory):
    department = factory.department("税務課")
    staff = factory.user("staff", department_id=department.id)
    vendor_only = {"委託先名称": "登録だけ", "法人番号": corporate_number("999999999999")}
    data = csv_file(
        [
            row(番号="A", 個人情報の項目="氏名、税額", 要配慮個人情報="なし", 本人数="52,000"),
            row(番号="B", 親番号="A", 課室="", 委託先名称="BPO", 法人番号=GOOD_2, 状態="実施中"),
            row(親の行番号="3", 課室="", 委託先名称="印刷", 法人番号=GOOD_3, 無承認再委託="あり"),
            vendor_only,
        ]
    )
    result = run_import(db_session, staff, data)
    assert (result.outsourcings_created, result.vendors_created) == (3, 4)

    nodes = db_session.exec(
        select(Outsourcing)
        .where(Outsourcing.department_id == department.id)
        .order_by(Outsourcing.id)
    ).all()
    root, sub, subsub = nodes
    assert (root.tier, root.status, root.persons, root.pi_categories) == (
        1,
        "active",
        52000,
        "氏名、税額",
    )
    assert sub.parent_id == root.id and sub.tier == 2 and sub.status == "active"
    assert sub.decided_by_id == staff.id and sub.decided_at is not None
    assert (
        subsub.parent_id == sub.id and subsub.tier == 3 and subsub.path == f"{sub.path}{subsub.id}/"
    )
    assert subsub.entered_without_approval and subsub.decided_by_id is None


def test_an_imported_subcontract_defaults_to_approved(db_session, factory):
    department = factory.department("税務課")
    staff = factory.user("staff", department_id=department.id)
    data = csv_file([row(番号="1"), row(親番号="1", 課室="", 委託先名称="下請", 法人番号=GOOD_2)])
    run_import(db_session, staff, data)
    child = db_session.exec(select(Outsourcing).where(Outsourcing.parent_id.is_not(None))).one()
    assert child.status == "approved" and "取込み" in child.decision_comment


def test_every_bad_row_is_reported_and_nothing_is_written(db_session, factory):
    department = factory.department("税務課")
    staff = factory.user("staff", department_id=department.id)
    vendors_before, nodes_before = count(db_session, Vendor), count(db_session, Outsourcing)
    data = csv_file(
        [
            row(番号="1"),  # row 2: fine on its own
            row(法人番号=BAD_CHECK_DIGIT, 委託業務名="別業務"),  # row 3
            row(課室="存在しない課", 委託業務名="業務3"),  # row 4
            row(開始日="2026-13-45", 委託業務名="業務4"),  # row 5
            row(開始日="2026-04-01", 終了日="2026-03-31", 委託業務名="業務5"),  # row 6
            row(親番号="Z", 課室="", 委託業務名="業務6", 法人番号=GOOD_2),  # row 7
            row(番号="1", 委託業務名="業務7"),  # row 8: 番号 used twice
            row(委託業務名="住民税当初課税データ入力"),  # row 9: same as row 2 (duplicate)
            row(本人数="たくさん", 要配慮個人情報="多分", 委託業務名="業務9"),  # row 10
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, data)
    found = {(i.row, i.column) for i in rejected.value.issues}
    assert {
        (3, "法人番号"),
        (4, "課室"),
        (5, "開始日"),
        (6, "終了日"),
        (7, "親番号"),
        (8, "番号"),
        (9, "委託業務名"),
        (10, "本人数"),
        (10, "要配慮個人情報"),
    } <= found
    messages = {(i.row, i.column): i.message for i in rejected.value.issues}
    assert "チェックデジット" in messages[(3, "法人番号")]
    assert "存在しない課" in messages[(4, "課室")]
    assert "日付" in messages[(5, "開始日")]
    assert "開始日より前" in messages[(6, "終了日")]
    assert "2行目" in messages[(9, "委託業務名")] and "重複" in messages[(9, "委託業務名")]
    assert (count(db_session, Vendor), count(db_session, Outsourcing)) == (
        vendors_before,
        nodes_before,
    )


def test_subcontracts_must_fit_their_parent(db_session, factory):
    department = factory.department("税務課")
    staff = factory.user("staff", department_id=department.id)
    data = csv_file(
        [
            row(番号="1"),
            row(親番号="1", 課室="", 開始日="2026-01-01", 委託先名称="下請", 法人番号=GOOD_2),
            row(親番号="1", 課室="", 委託業務名="自社"),  # the same vendor as its parent
            row(親の行番号="6", 課室="", 委託業務名="後ろ", 法人番号=GOOD_3, 委託先名称="孫"),
            row(無承認再委託="あり", 委託業務名="元請の無承認"),
            row(番号="6", 委託業務名="後の元"),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, data)
    found = {(i.row, i.column) for i in rejected.value.issues}
    assert {(3, "開始日"), (4, "法人番号"), (5, "親の行番号"), (6, "無承認再委託")} <= found


def test_staff_import_only_into_their_own_department(db_session, factory, chain):
    staff = factory.user("staff", department_id=chain["a"].id)
    data = csv_file(
        [
            row(課室="税務課"),
            row(親の委託ID=str(chain["other"].id), 課室="", 委託先名称="x", 法人番号=GOOD_2),
            row(親の委託ID=str(chain["child"].id), 課室="", 開始日="2026-05-01", 委託業務名="下"),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, data)
    found = {(i.row, i.column) for i in rejected.value.issues}
    assert (2, "課室") in found and (3, "親の委託ID") in found
    assert not any(i.row == 4 for i in rejected.value.issues)


def test_an_exported_ledger_imports_again_as_duplicates(db_session, factory, chain):
    staff = factory.user("staff", department_id=chain["a"].id)
    rows = ledger_rows(session=db_session, user=staff)
    xlsx = ledger.to_xlsx(EXPORT_HEADERS, rows)
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, xlsx, "台帳.xlsx")
    root_issue = next(i for i in rejected.value.issues if i.row == 2)
    assert (
        "既に登録されています" in root_issue.message and str(chain["root"].id) in root_issue.message
    )


def test_an_import_exports_with_the_same_values(db_session, factory):
    department = factory.department("税務課")
    staff = factory.user("staff", department_id=department.id)
    child = row(親番号="1", 課室="", 委託先名称="下請", 法人番号=GOOD_2)
    data = csv_file([row(番号="1", 要配慮個人情報="あり", 本人数="10"), child])
    run_import(db_session, staff, data, "in.csv")
    exported = ledger.read_table(
        filename="out.xlsx",
        data=ledger.to_xlsx(EXPORT_HEADERS, ledger_rows(session=db_session, user=staff)),
    )[1]
    first, second = (values for _n, values in exported)
    assert (first["委託業務名"], first["課室"], first["法人番号"]) == (
        row()["委託業務名"],
        "税務課",
        GOOD,
    )
    assert (first["要配慮個人情報"], first["本人数"], first["開始日"]) == (
        "あり",
        "10",
        "2026-04-01",
    )
    assert (second["親番号"], second["階層"], second["状態"]) == (first["番号"], "2", "承認済")
    assert second["承認者"] and second["無承認再委託"] == "なし"


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("ledger.pdf", b"%PDF-1.7", "CSV（.csv）かExcel（.xlsx）"),
        ("ledger.xls", b"\xd0\xcf\x11\xe0", ".xls"),
        ("ledger.xlsx", b"not a zip", "Excelファイル"),
        ("ledger.csv", b"", "見出し"),
        ("ledger.csv", "委託業務名\n".encode(), "データの行"),
        ("ledger.csv", b"\xff\xfe\x00\x00garbage\x00", "読めません"),
    ],
)
def test_unreadable_files_get_a_clear_japanese_error(db_session, factory, filename, data, expected):
    staff = factory.user("staff")
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, data, filename)
    assert expected in rejected.value.issues[0].message


def test_limits_on_rows_and_size(db_session, factory, monkeypatch):
    staff = factory.user("staff")
    monkeypatch.setattr(ledger, "MAX_IMPORT_ROWS", 3)
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, csv_file([row(委託業務名=f"業務{i}") for i in range(4)]))
    assert "上限 3 行" in rejected.value.issues[0].message
    monkeypatch.setattr(ledger, "MAX_IMPORT_BYTES", 10)
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, csv_file([row()]))
    assert "大きすぎます" in rejected.value.issues[0].message


def test_unknown_and_missing_headers_are_reported(db_session, factory):
    staff = factory.user("staff")
    data = "委託業務名,委託先,開始日\nx,y,2026-04-01\n".encode()
    with pytest.raises(ImportRejected) as rejected:
        run_import(db_session, staff, data)
    messages = " ".join(i.message for i in rejected.value.issues)
    assert "「委託先」は使えません" in messages and "「法人番号」がありません" in messages


def test_shift_jis_csv_from_excel_is_read(db_session, factory):
    department = factory.department("税務課")
    staff = factory.user("staff", department_id=department.id)
    text = csv_file([row()]).decode("utf-8-sig")
    assert run_import(db_session, staff, text.encode("cp932")).outsourcings_created == 1


# --- import pages ----------------------------------------------------------------------


def upload(client, data: bytes, filename: str):
    token = csrf_token(client, "/ledger/import")
    return client.post(
        "/ledger/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_uploading_a_good_file_imports_it(client, login, factory, db_session):
    department = factory.department("税務課")
    login("staff", department_id=department.id)
    response = upload(client, csv_file([row()]), "ledger.csv")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ledger/")
    assert db_session.exec(
        select(Outsourcing).where(Outsourcing.department_id == department.id)
    ).one()
    assert "取り込みました" in client.get("/ledger/").get_data(as_text=True)


def test_uploading_a_bad_file_lists_the_problems(client, login, factory, db_session):
    department = factory.department("税務課")
    login("staff", department_id=department.id)
    before = count(db_session, Outsourcing)
    data = csv_file([row(), row(法人番号=BAD_CHECK_DIGIT, 委託業務名="二")])
    response = upload(client, data, "ledger.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "取り込めませんでした" in html and "チェックデジット" in html and "<td>3</td>" in html
    assert count(db_session, Outsourcing) == before


def test_a_wrong_file_type_is_refused_by_the_form(client, login):
    login("staff")
    response = upload(client, b"hello", "notes.txt")
    assert response.status_code == 200
    assert "CSV（.csv）かExcel（.xlsx）" in response.get_data(as_text=True)


def test_the_templates_document_every_column(client, login):
    login("manager")
    page = client.get("/ledger/import").get_data(as_text=True)
    assert all(header in page for header in IMPORT_HEADERS)
    csv_template = client.get("/ledger/import/template.csv")
    assert read_csv(csv_template.data) == [list(IMPORT_HEADERS)]
    assert "filename*=UTF-8''" in csv_template.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(client.get("/ledger/import/template.xlsx").data))
    data_sheet, guide = workbook.worksheets
    assert [c.value for c in data_sheet[1]] == list(IMPORT_HEADERS)
    assert [r[0] for r in guide.iter_rows(min_row=2, values_only=True)] == list(IMPORT_HEADERS)
