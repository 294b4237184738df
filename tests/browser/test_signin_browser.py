"""Sign-in, a wrong password and sign-out in Debian's Chromium."""

from __future__ import annotations

import re

PASSWORD = "ブラウザ試験用のながいパスワード"


def test_sign_in_wrong_password_and_sign_out(live_server, page, shot):
    live_server.add_user("staff", "tanaka@city.example.jp", PASSWORD, name="田中 花子")
    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/auth/login")
    assert page.locator("h1").inner_text() == "サインイン"
    assert page.get_by_text("デモモード").is_visible()
    shot("01-sign-in-page")

    page.get_by_label("メールアドレス").fill("tanaka@city.example.jp")
    page.get_by_label("パスワード").fill("まちがったパスワードです")
    page.get_by_role("button", name="サインイン").click()
    assert (
        page.get_by_role("alert").inner_text()
        == "メールアドレスまたはパスワードが正しくありません。"
    )
    shot("02-wrong-password")

    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="サインイン").click()
    page.wait_for_url(live_server.url + "/")
    assert "ようこそ、田中 花子さん" in page.locator("h1").inner_text()
    assert page.get_by_text("取扱担当者").first.is_visible()
    shot("03-dashboard")

    page.get_by_role("button", name="サインアウト").click()
    page.wait_for_url(re.compile(r".*/auth/login$"))
    assert page.get_by_role("status").inner_text() == "サインアウトしました。"
    page.goto(live_server.url + "/")
    assert "/auth/login" in page.url
    shot("04-signed-out")


def test_english_and_a_tablet(live_server, browser):
    live_server.add_user("admin", "admin@city.example.jp", PASSWORD)
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="ja-JP")
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.get_by_role("button", name="English").click()
    assert page.locator("h1").inner_text() == "Sign in"
    page.get_by_label("E-mail address").fill("admin@city.example.jp")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # On a tablet the menu folds behind a button.
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    menu.click()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Users").click()
    assert page.locator("h1").inner_text() == "Users"
    context.close()
