"""Enrolling an authenticator app and signing in with its code, in Debian's Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

PASSWORD = "ブラウザ試験用のながいパスワード"


@pytest.fixture
def live_config() -> dict[str, object]:
    # The profile (miki) decides, as in production: its [security] totp_required is true.
    return {"TOTP_REQUIRED": None}


def test_enrol_then_sign_in_with_a_code(live_server, page, shot):
    live_server.add_user("manager", "kanri@city.example.jp", PASSWORD, name="管理 一郎")
    live_server.sign_in_password(page, "kanri@city.example.jp", PASSWORD)

    # Held at the enrolment: the QR code, the key to type, then one code from the app.
    page.wait_for_url(live_server.url + "/auth/totp")
    assert page.locator("h1").inner_text() == "二要素認証の設定"
    qr = page.get_by_role("img", name="認証アプリに登録するためのQRコード")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the CSP lets the image load
    page.goto(live_server.url + "/outsourcings/tree")
    assert page.url == live_server.url + "/auth/totp"
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    shot("totp-01-enrol")
    page.get_by_label("確認コード").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="登録する").click()
    assert page.locator("h1").inner_text() == "二要素認証を設定しました"
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9-]{19}", c) for c in codes)
    shot("totp-02-recovery-codes")
    page.get_by_role("link", name="書き留めました。トップページへ").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("button", name="サインアウト").click()

    # The next sign-in asks for the code. The code of the next 30-second step is inside the
    # accepted window and later than the one used at enrolment (a code works only once).
    live_server.sign_in_password(page, "kanri@city.example.jp", PASSWORD)
    page.wait_for_url(re.compile(r".*/auth/second-factor.*"))
    page.get_by_label("確認コード").fill("000000")
    page.get_by_role("button", name="確認する").click()
    assert "確認コードが正しくないか" in page.locator(".errors").inner_text()
    shot("totp-03-wrong-code")
    code = pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))
    page.get_by_label("確認コード").fill(code)
    page.get_by_role("button", name="確認する").click()
    page.wait_for_url(live_server.url + "/")
    assert "ようこそ、管理 一郎さん" in page.locator("h1").inner_text()

    # A recovery code stands in for a lost phone, once.
    page.get_by_role("button", name="サインアウト").click()
    live_server.sign_in_password(page, "kanri@city.example.jp", PASSWORD)
    page.wait_for_url(re.compile(r".*/auth/second-factor.*"))
    page.get_by_label("確認コード").fill(codes[0])
    page.get_by_role("button", name="確認する").click()
    page.wait_for_url(live_server.url + "/")
    assert "残り9個" in page.get_by_role("status").first.inner_text()
    shot("totp-04-signed-in")
