"""Plan the year, record an on-site inspection with a finding and a corrective action, the
vendor answers it, and the node's badge turns green."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from portal.models import User
from portal.outsourcings import operations as ops
from portal.timeutil import local_today

PASSWORD = "ブラウザ試験用のながいパスワード"


def test_plan_record_answer_and_green_badge(live_server, page, shot):
    live_server.add_user("staff", "kensa@city.example.jp", PASSWORD, name="検査 花子")
    with live_server.app.app_context(), Session(live_server.engine) as session:
        officer = session.exec(select(User).where(User.email == "kensa@city.example.jp")).one()
        vendor = ops.create_vendor(
            session=session, name="株式会社受託情報", corporate_number="7000012050002"
        )
        ops.create_root(
            session=session,
            actor=officer,
            task_name="介護保険給付費通知作成",
            department_id=officer.department_id,
            vendor_id=vendor.id,
            start_date=date(2026, 4, 1),
            end_date=date(2028, 3, 31),
            data=ops.EntrustedData(
                categories="氏名、住所、利用サービス",
                special_care=True,
                persons=5100,
                scope_note="通知作成に必要な項目のみ",
            ),
        )
        session.commit()
        vendor_id = vendor.id
    live_server.add_user("vendor", "jutaku@vendor.example.jp", PASSWORD, vendor_id=vendor_id)

    # The officer plans the year and accepts the proposal.
    live_server.sign_in(page, "kensa@city.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="実地検査"
    ).click()
    page.get_by_role("button", name="年間計画案を作成する").click()
    assert (
        page.get_by_role("status").inner_text().startswith("1件の検査に計画案の日付を入れました")
    ), page.get_by_role("status").inner_text()
    page.get_by_role("button", name="計画案をすべて採用する").click()
    assert page.get_by_role("status").inner_text() == "1件の計画案を採用しました。"
    shot("inspection-01-planned")

    # … and records the on-site inspection with a finding and a corrective action.
    page.get_by_role("link", name="介護保険給付費通知作成").first.click()
    page.get_by_role("link", name="検査結果を記録する").click()
    page.get_by_label("実施日").fill(local_today().isoformat())
    page.get_by_label("指摘事項").first.fill("作業室の入退室記録が一部欠けていた。")
    page.get_by_label("是正措置").first.fill("入退室記録を毎日点検し、結果を月次報告に添付する。")
    page.get_by_label("是正期限").first.fill(date(2027, 1, 29).isoformat())
    page.get_by_label("検査結果の概要").fill("管理体制・実施体制は概ね適切。入退室記録に不備。")
    shot("inspection-02-record")
    page.get_by_role("button", name="記録する").click()
    assert page.get_by_text("入退室記録を毎日点検し").is_visible()
    page.get_by_role("button", name="サインアウト").click()

    # The vendor sees the result and answers the corrective action.
    live_server.sign_in(page, "jutaku@vendor.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="実地検査"
    ).click()
    waiting = page.locator("section", has_text="是正措置（回答待ち）")
    waiting.get_by_role("link", name="介護保険給付費通知作成").click()
    page.get_by_label("是正の内容").fill(
        "12月1日から入退室記録の日次点検を開始し、点検表を月次報告に添付します。"
    )
    page.get_by_role("button", name="回答する").click()
    assert page.get_by_text("日次点検を開始し").first.is_visible()
    shot("inspection-03-answered")
    page.get_by_role("button", name="サインアウト").click()

    # The node's badge in the tree is green.
    live_server.sign_in(page, "kensa@city.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="委託の系列"
    ).click()
    badge = page.locator("ul.tree .badge-ok", has_text="検査済")
    assert badge.is_visible()
    shot("inspection-04-green")
