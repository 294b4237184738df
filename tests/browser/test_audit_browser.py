"""The auditor reads the access log: a staff member's failed sign-in and refused page show up
in the viewer, its filter narrows to them, and the analysis report lists the attempts."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "ブラウザ試験用のながいパスワード"
STAFF = "tantou@city.example.jp"
AUDITOR = "kansa@city.example.jp"


def test_auditor_filters_the_log_and_sees_the_attempts_in_the_report(live_server, page, shot):
    live_server.add_user("staff", STAFF, PASSWORD, name="担当 試験")
    live_server.add_user("auditor", AUDITOR, PASSWORD, name="監査 試験")

    # A staff member mistypes the password, then asks for the access log, which is not theirs.
    live_server.sign_in_password(page, STAFF, "まちがったパスワードです")
    expect(page.get_by_text("メールアドレスまたはパスワードが正しくありません。")).to_be_visible()
    live_server.sign_in(page, STAFF)
    menu = page.get_by_role("navigation", name="メインメニュー")
    expect(menu.get_by_role("link", name="アクセス記録")).to_have_count(0)
    response = page.goto(live_server.url + "/audit/")
    assert response is not None and response.status == 403
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="サインアウト").click()

    # The auditor finds both in the log, narrowed to refusals.
    live_server.sign_in(page, AUDITOR)
    menu.get_by_role("link", name="アクセス記録").click()
    expect(page.get_by_role("heading", name="アクセス記録", exact=True)).to_be_visible()
    page.get_by_label("結果").select_option(label="拒否")
    page.get_by_role("button", name="絞り込む").click()
    rows = page.locator("table.data tbody tr")
    expect(rows.filter(has_text="auth.sign_in_failed")).to_have_count(1)
    expect(rows.filter(has_text="access.denied")).to_have_count(1)
    expect(rows.filter(has_text="成功")).to_have_count(0)
    expect(rows.first).to_contain_text(STAFF)
    shot("audit-01-denied")

    # The analysis report names the staff member among the refused attempts.
    page.get_by_role("link", name="分析レポート").click()
    section = page.locator(
        "section", has=page.get_by_role("heading", name="拒否・範囲外へのアクセス試行")
    )
    expect(section).to_contain_text(STAFF)
    expect(section.locator("tbody tr", has_text=STAFF).locator("td").nth(1)).to_have_text(
        re.compile(r"^2$")
    )
    shot("audit-02-report")
