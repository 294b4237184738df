"""Security headers, error pages, production safety, language, profiles."""

from __future__ import annotations

import shutil

import pytest

from clauses.profile import BUILTIN_DIR, ProfileError, available_profiles, load_profile
from portal import create_app
from portal.config import ConfigError, load_config
from portal.permissions import Role
from portal_testing import base_config, csrf_token


def test_security_headers_on_every_response(client):
    for path in ["/auth/login", "/static/portal.css", "/nowhere"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Request-ID"]


def test_signed_in_pages_are_not_cached(client, login):
    login(Role.STAFF)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_no_inline_script_in_pages(client, login):
    login(Role.ADMIN)
    for path in ["/", "/admin/users", "/admin/departments", "/auth/password"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "onclick=" not in html and "style=" not in html


def test_404_is_japanese_with_request_id(client):
    response = client.get("/nowhere", headers={"X-Request-ID": "req-12345678"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "ページが見つかりません" in html and "req-12345678" in html


def test_500_shows_no_traceback(app, client):
    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    boom.required_permission = None
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "システムエラー" in html and "secret internals" not in html and "Traceback" not in html
    assert response.headers["X-Request-ID"] in html


def test_413_is_japanese(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10
    response = client.post("/auth/login", data={"email": "x" * 100})
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("environ", "fragment"),
    [
        ({}, "PORTAL_SECRET_KEY must be set"),
        ({"PORTAL_SECRET_KEY": "short"}, "PORTAL_SECRET_KEY must be set"),
        ({"PORTAL_SECRET_KEY": "dev-" + "x" * 40}, "development placeholder"),
        ({"PORTAL_SECRET_KEY": "k" * 40, "PORTAL_DEBUG": "1"}, "debug"),
        ({"PORTAL_SECRET_KEY": "k" * 40, "PORTAL_DEMO": "1"}, "demo"),
        ({"PORTAL_SECRET_KEY": "k" * 40, "PORTAL_TOTP_REQUIRED": "false"}, "TOTP_REQUIRED"),
    ],
)
def test_production_refuses_unsafe_configuration(monkeypatch, tmp_path, environ, fragment):
    for key in list(load_config({}).keys()):
        monkeypatch.delenv(f"PORTAL_{key}", raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=fragment):
        create_app()


def test_production_starts_with_a_safe_configuration(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "Zq8" * 16)
    monkeypatch.setenv("PORTAL_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("PORTAL_STORAGE_KEY", "k1:" + "A" * 43)
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True and not app.debug


def test_english_can_be_chosen(client, login):
    login(Role.STAFF)
    response = client.post(
        "/locale", data={"language": "en", "next": "/", "csrf_token": csrf_token(client, "/")}
    )
    assert response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in html and "Sign out" in html and "サインアウト" not in html


def test_language_cookie_for_signed_out_visitors(client):
    client.post("/locale", data={"language": "en", "csrf_token": csrf_token(client)})
    html = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in" in html


# --- regulation profiles --------------------------------------------------------------


def test_builtin_profiles():
    assert {"miki", "kuki"} <= set(available_profiles())
    miki, kuki = load_profile("miki"), load_profile("kuki")
    assert (miki.municipality, miki.article("outsourcing"), miki.role_title("manager")) == (
        "三木市",
        "第37条",
        "取扱責任者",
    )
    assert (kuki.municipality, kuki.article("outsourcing"), kuki.role_title("manager")) == (
        "久喜市",
        "第36条",
        "保護管理者",
    )


def test_ui_shows_the_profile_titles(engine, connection, tmp_path, factory):
    from portal_testing import sign_in

    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_ENGINE": engine,
            "DATABASE_CONNECTION": connection,
            "PROFILE": "kuki",
        }
    )
    client = app.test_client()
    user = factory.user(Role.MANAGER)
    sign_in(client, user.email)
    html = client.get("/").get_data(as_text=True)
    assert "久喜市" in html and "保護管理者" in html and "第36条" in html


def test_a_third_municipality_is_only_a_file(engine, connection, tmp_path, factory):
    from portal_testing import sign_in

    extra = tmp_path / "profiles"
    extra.mkdir()
    text = (BUILTIN_DIR / "miki.toml").read_text(encoding="utf-8")
    text = text.replace('id = "miki"', 'id = "sakura"').replace("三木市", "さくら市")
    text = text.replace('manager = "取扱責任者"', 'manager = "個人情報管理者"').replace(
        "第37条", "第30条"
    )
    (extra / "sakura.toml").write_text(text, encoding="utf-8")
    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_ENGINE": engine,
            "DATABASE_CONNECTION": connection,
            "PROFILE": "sakura",
            "PROFILE_PATH": [str(extra)],
        }
    )
    client = app.test_client()
    sign_in(client, factory.user(Role.MANAGER).email)
    html = client.get("/").get_data(as_text=True)
    assert "さくら市" in html and "個人情報管理者" in html and "第30条" in html


def test_an_incomplete_profile_is_refused(tmp_path):
    shutil.copy(BUILTIN_DIR / "kuki.toml", tmp_path / "broken.toml")
    text = (
        (tmp_path / "broken.toml")
        .read_text(encoding="utf-8")
        .replace('id = "kuki"', 'id = "broken"')
    )
    text = text.replace('auditor = "監査責任者"\n', "")
    (tmp_path / "broken.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"roles\.auditor"):
        load_profile("broken", search_path=[tmp_path])
    with pytest.raises(ProfileError, match="not found"):
        load_profile("nowhere")
