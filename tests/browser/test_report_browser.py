"""A vendor submits a quarterly report that names an unapproved subcontractor; the violation
appears on the tree and on the node, and the officer follows it up."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from portal.models import User
from portal.outsourcings import operations as ops
from portal.reports.rules import checklist_items

PASSWORD = "ブラウザ試験用のながいパスワード"


def test_unapproved_subcontractor_in_a_quarterly_report_shows_on_the_tree(live_server, page, shot):
    live_server.add_user("staff", "hokoku@city.example.jp", PASSWORD, name="報告 確認子")
    with live_server.app.app_context(), Session(live_server.engine) as session:
        officer = session.exec(select(User).where(User.email == "hokoku@city.example.jp")).one()
        contractor = ops.create_vendor(
            session=session, name="株式会社受託情報", corporate_number="7000012050002"
        )
        approved = ops.create_vendor(
            session=session, name="承認済データ入力株式会社", corporate_number="8700110005901"
        )
        root = ops.create_root(
            session=session,
            actor=officer,
            task_name="住民税課税資料のデータ入力",
            department_id=officer.department_id,
            vendor_id=contractor.id,
            start_date=date(2026, 4, 1),
            end_date=date(2028, 3, 31),
            data=ops.EntrustedData(
                categories="氏名、住所、所得", persons=42000, scope_note="入力項目のみ"
            ),
        )
        session.commit()
        ids = (contractor.id, approved.id, root.id)
    contractor_id, approved_id, root_id = ids
    live_server.add_user("vendor", "jutaku@vendor.example.jp", PASSWORD, vendor_id=contractor_id)
    with live_server.app.app_context(), Session(live_server.engine) as session:
        vendor_user = session.exec(
            select(User).where(User.email == "jutaku@vendor.example.jp")
        ).one()
        officer = session.exec(select(User).where(User.email == "hokoku@city.example.jp")).one()
        from portal.models import Outsourcing

        parent = session.get(Outsourcing, root_id)
        child = ops.request_subcontract(
            session=session,
            actor=vendor_user,
            parent=parent,
            request=ops.SubcontractRequest(
                task_name="データ入力作業",
                vendor_id=approved_id,
                start_date=date(2026, 4, 1),
                end_date=date(2028, 3, 31),
                data=ops.EntrustedData(categories="氏名、住所", persons=42000),
                reason="繁忙期の入力作業",
                responsible_persons="入力責任者",
                protection_measures="入退室管理",
                oversight_method="月次報告",
            ),
        )
        ops.decide_request(session=session, actor=officer, node=child, approve=True, comment="")
        ops.activate(session=session, node=child)
        session.commit()

    # The vendor writes the report of the first quarter (April to June), which is overdue.
    live_server.sign_in(page, "jutaku@vendor.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="定期報告"
    ).click()
    overdue = page.locator("section", has_text="期限超過")
    overdue.get_by_role("link", name="2026-04-01〜2026-06-30").click()
    page.get_by_role("link", name="報告を作成・編集する").click()
    for _key, title in checklist_items():
        page.get_by_label(title, exact=True).select_option("yes")
    page.get_by_label("期間中の漏えい等の事案").select_option("no")
    first = page.get_by_role("group", name="再委託先1", exact=True)
    first.get_by_label("承認済みの再委託先から選ぶ").select_option(
        label="承認済データ入力株式会社（8700110005901）"
    )
    second = page.get_by_role("group", name="再委託先2", exact=True)
    second.get_by_label("再委託先の名称").fill("株式会社無断入力センター")
    second.get_by_label("法人番号").fill("3-0000-1205-0003")  # a bad check digit first
    shot("report-01-form")
    page.get_by_role("button", name="提出する").click()
    assert page.get_by_role("alert").inner_text().startswith("2行目：法人番号のチェックデジット")
    # Nothing typed is lost: the answers are still there.
    assert page.get_by_label(checklist_items()[0][1], exact=True).input_value() == "yes"
    page.get_by_role("group", name="再委託先2", exact=True).get_by_label("法人番号").fill(
        "6000012050003"
    )
    page.get_by_role("button", name="提出する").click()
    assert page.get_by_text(
        "承認されていない再委託先が1件あります（株式会社無断入力センター）"
    ).is_visible()
    assert (
        page.get_by_role("alert").inner_text().endswith("株式会社無断入力センター（6000012050003）")
    )
    shot("report-02-submitted")
    page.get_by_role("button", name="サインアウト").click()

    # The officer sees the violation on the tree and on the node.
    live_server.sign_in(page, "hokoku@city.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="委託の系列"
    ).click()
    badge = page.locator("ul.tree .badge-bad", has_text="報告で無承認の再委託")
    assert badge.count() == 1 and badge.is_visible()
    shot("report-03-tree")
    page.get_by_role("link", name="住民税課税資料のデータ入力").first.click()
    assert page.locator(".page-head .badge-bad", has_text="報告で無承認の再委託").is_visible()

    # … and enters the subcontractor in the chain as a subcontract without approval.
    page.get_by_role("link", name="定期報告").last.click()
    page.get_by_role("button", name="無承認の再委託として系列に登録する").click()
    assert page.get_by_role(
        "heading", name="住民税課税資料のデータ入力（定期報告で判明した再委託）"
    ).is_visible()
    assert page.get_by_text("この再委託は事前の承認を得ずに行われています").is_visible()
    shot("report-04-recorded")
