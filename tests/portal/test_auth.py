"""Sign-in, sign-out, sessions and passwords."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from portal.models import UserSession
from portal.permissions import Role
from portal.timeutil import utcnow
from portal_testing import TEST_PASSWORD, csrf_token, sign_in

GENERIC_FAILURE = "メールアドレスまたはパスワードが正しくありません。"


def test_login_page_is_japanese(client):
    response = client.get("/auth/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "サインイン" in html and 'lang="ja"' in html


def test_sign_in_with_a_japanese_passphrase(client, factory):
    user = factory.user(Role.STAFF)
    response = sign_in(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "ようこそ" in client.get("/").get_data(as_text=True)


def test_unknown_user_and_wrong_password_get_the_same_answer(client, factory):
    user = factory.user(Role.STAFF)
    wrong = sign_in(client, user.email, "まちがったパスワードです")
    unknown = sign_in(client, "nobody@test.example.jp", "まちがったパスワードです")
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC_FAILURE in wrong.get_data(as_text=True)
    assert GENERIC_FAILURE in unknown.get_data(as_text=True)


def test_inactive_account_cannot_sign_in(client, factory):
    user = factory.user(Role.STAFF, active=False)
    assert GENERIC_FAILURE in sign_in(client, user.email).get_data(as_text=True)


def test_email_is_case_insensitive(client, factory, db_session):
    user = factory.user(Role.STAFF, email="mixed@test.example.jp")
    assert sign_in(client, "  MIXED@Test.Example.JP ").status_code == 302
    db_session.refresh(user)
    assert user.last_login_at is not None


def test_signed_out_user_is_sent_to_sign_in_with_next(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/admin/users")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com",
        "javascript:alert(1)",
    ],
)
def test_next_redirects_only_to_local_paths(client, factory, target):
    user = factory.user(Role.STAFF)
    token = csrf_token(client)
    response = client.post(
        "/auth/login?next=" + target,
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_next_local_path_is_followed(client, factory):
    user = factory.user(Role.ADMIN)
    token = csrf_token(client)
    response = client.post(
        "/auth/login?next=/admin/users",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/users"


def test_post_without_csrf_token_is_refused(client, factory):
    user = factory.user(Role.STAFF)
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "フォームの有効期限" in response.get_data(as_text=True)


def test_sign_out_refuses_a_replayed_cookie(client, login):
    login(Role.STAFF)
    cookie = client.get_cookie("portal_session").value
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/").status_code == 302
    # An attacker who kept the old cookie gets nothing: the session ended on the server.
    client.set_cookie("portal_session", cookie)
    assert client.get("/").status_code == 302


def test_session_fixation_a_new_cookie_after_sign_in(client, factory):
    user = factory.user(Role.STAFF)
    client.get("/auth/login")
    before = client.get_cookie("portal_session").value
    sign_in(client, user.email)
    assert client.get_cookie("portal_session").value != before


def test_idle_timeout_ends_the_session(client, login, db_session):
    user = login(Role.STAFF)
    row = db_session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    db_session.add(row)
    db_session.commit()
    assert client.get("/").status_code == 302
    db_session.refresh(row)
    assert row.end_reason == "idle_timeout"


def test_absolute_timeout_ends_the_session(client, login, db_session):
    user = login(Role.STAFF)
    row = db_session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db_session.add(row)
    db_session.commit()
    assert client.get("/").status_code == 302


def test_session_cookie_flags(client, factory):
    user = factory.user(Role.STAFF)
    response = sign_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_password_change_ends_other_sessions(app, client, login):
    user = login(Role.STAFF)
    other = app.test_client()
    assert sign_in(other, user.email).status_code == 302
    new_password = "新しいパスワードは十分に長い"
    response = client.post(
        "/auth/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": new_password,
            "confirm_password": new_password,
            "csrf_token": csrf_token(client, "/auth/password"),
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this browser keeps going
    assert other.get("/").status_code == 302  # the other one is signed out
    assert sign_in(other, user.email, new_password).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "12文字以上"),
        ("password1234", "よく使われる"),
        ("aaaaaaaaaaaaaaa", "よく使われる"),
    ],
)
def test_password_policy(client, login, password, message):
    login(Role.STAFF)
    response = client.post(
        "/auth/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": password,
            "confirm_password": password,
            "csrf_token": csrf_token(client, "/auth/password"),
        },
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_temporary_password_must_be_changed_first(client, factory):
    user = factory.user(Role.STAFF, must_change_password=True)
    response = sign_in(client, user.email)
    assert response.headers["Location"] == "/auth/password"
    assert client.get("/").headers["Location"] == "/auth/password"


def test_sign_in_is_throttled_per_account(app, client, factory):
    app.config["LOGIN_LIMITS_PER_ACCOUNT"] = "3 per 10 minutes"
    user = factory.user(Role.STAFF)
    for _ in range(3):
        assert sign_in(client, user.email, "まちがったパスワードです").status_code == 200
    response = sign_in(client, user.email)  # even the right password waits now
    assert response.status_code == 429
    assert "操作が多すぎます" in response.get_data(as_text=True)


def test_sign_in_is_throttled_per_address(app, client, factory):
    app.config["LOGIN_LIMITS_PER_ADDRESS"] = "4 per 10 minutes"
    for n in range(4):
        sign_in(client, f"nobody{n}@test.example.jp", "まちがったパスワードです")
    assert sign_in(client, "another@test.example.jp", "まちがったパスワードです").status_code == 429
