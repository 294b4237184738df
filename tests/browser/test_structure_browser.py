"""A vendor submits the management structure of its outsourcing (a missing training date of
its dispatched workers refused first); the officer confirms it and the tree's badge goes."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from portal.models import User
from portal.outsourcings import operations as ops

PASSWORD = "ブラウザ試験用のながいパスワード"


def test_vendor_submits_its_management_structure_and_the_officer_confirms_it(
    live_server, page, shot
):
    live_server.add_user("staff", "taisei@city.example.jp", PASSWORD, name="体制 確認子")
    with live_server.app.app_context(), Session(live_server.engine) as session:
        officer = session.exec(select(User).where(User.email == "taisei@city.example.jp")).one()
        contractor = ops.create_vendor(
            session=session, name="株式会社受託情報", corporate_number="7000012050002"
        )
        ops.create_root(
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
        contractor_id = contractor.id
    live_server.add_user("vendor", "jutaku@vendor.example.jp", PASSWORD, vendor_id=contractor_id)

    # The vendor writes its structure: the responsible person, its own staff and a group of
    # dispatched operators whose training date it forgot.
    live_server.sign_in(page, "jutaku@vendor.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="管理体制"
    ).click()
    page.locator("section", has_text="提出待ち").get_by_role(
        "link", name="住民税課税資料のデータ入力"
    ).click()
    page.get_by_role("link", name="管理体制を作成・編集する").click()
    page.get_by_label("責任者の氏名").fill("高橋 誠")
    page.get_by_label("責任者の役職").fill("個人情報管理責任者")
    page.get_by_label("1行目の氏名").fill("田中 美咲")
    page.get_by_label("1行目の研修日").fill("2026-04-01")
    page.get_by_label("1行目の誓約書の日付").fill("2026-04-01")
    page.get_by_label("2行目の氏名").fill("データ入力オペレーター")
    page.get_by_label("2行目の人数").fill("4")
    page.get_by_label("2行目の誓約書の日付").fill("2026-04-02")
    page.get_by_label("2行目は派遣労働者").check()
    page.get_by_label("取扱場所").fill("本社 第2入力センター（兵庫県三木市）")
    page.get_by_label("取扱システム").fill("データ入力システム（閉域網）")
    shot("structure-01-form")
    page.get_by_role("button", name="提出する").click()
    alert = page.get_by_role("alert")
    assert alert.inner_text().startswith("2行目：研修日を入力してください（派遣労働者を含め")
    # Nothing typed is lost.
    assert page.get_by_label("2行目の氏名").input_value() == "データ入力オペレーター"
    assert page.get_by_label("2行目は派遣労働者").is_checked()
    page.get_by_label("2行目の研修日").fill("2026-04-02")
    page.get_by_role("button", name="提出する").click()
    assert page.get_by_text("管理体制を提出しました。所管課室が確認します。").is_visible()
    assert page.get_by_text("5人（うち派遣労働者 4人）").is_visible()
    shot("structure-02-submitted")
    page.get_by_role("button", name="サインアウト").click()

    # The officer sees the node flagged on the tree, then confirms the structure.
    live_server.sign_in(page, "taisei@city.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="委託の系列"
    ).click()
    assert page.locator("ul.tree .badge-warn", has_text="管理体制未確認").count() == 1
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="管理体制"
    ).click()
    page.locator("section", has_text="提出済み・確認待ち").get_by_role(
        "link", name="住民税課税資料のデータ入力"
    ).click()
    assert page.get_by_role("cell", name="データ入力オペレーター").is_visible()
    page.get_by_label("確認結果").select_option("accept")
    page.get_by_role("button", name="確認結果を記録する").click()
    assert page.get_by_text("管理体制を確認しました。").is_visible()
    assert page.locator(".page-head .badge-ok", has_text="確認済（現行）").is_visible()
    shot("structure-03-confirmed")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="委託の系列"
    ).click()
    assert page.locator("ul.tree .badge", has_text="管理体制未確認").count() == 0
