"""What runs against real services: Redis-backed limits and gunicorn on PostgreSQL."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from portal import create_app
from portal_testing import base_config, need_service, tcp_reachable

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PG_ADMIN_URL = os.environ.get(
    "PORTAL_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url() -> str:
    if not tcp_reachable(REDIS_URL, 6379):
        need_service("Redis", f"{REDIS_URL} does not answer")
    return REDIS_URL


def test_sign_in_limits_are_shared_through_redis(redis_url, engine, connection, tmp_path, factory):
    from portal_testing import sign_in

    prefix = "test-" + uuid.uuid4().hex
    config = {
        **base_config(tmp_path),
        "DATABASE_ENGINE": engine,
        "DATABASE_CONNECTION": connection,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_LIMITS_PER_ACCOUNT": "2 per 10 minutes",
    }
    user = factory.user("staff")
    first, second = create_app(config).test_client(), create_app(config).test_client()
    assert sign_in(first, user.email, "まちがったパスワードです").status_code == 200
    assert sign_in(second, user.email, "まちがったパスワードです").status_code == 200
    # Another process (another app) sees the same counter: the third attempt waits.
    assert sign_in(first, user.email).status_code == 429


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def postgres_database():
    if not tcp_reachable(PG_ADMIN_URL, 5432):
        need_service("PostgreSQL", f"{PG_ADMIN_URL} does not answer")
    import psycopg

    name = f"portal_smoke_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(PG_ADMIN_URL)
    yield f"postgresql+psycopg://{parts.netloc}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_gunicorn_on_postgresql_serves_sign_in(postgres_database, tmp_path):
    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        "PORTAL_STORAGE_KEY": "k1:" + "A" * 43,
        "PORTAL_DATABASE_URL": postgres_database,
        "PORTAL_INSTANCE_DIR": str(tmp_path),
        "PORTAL_COOKIE_SECURE": "0",  # plain HTTP on loopback in this test only
        "PORTAL_BIND": f"127.0.0.1:{_free_port()}",
        "PORTAL_WEB_WORKERS": "2",
    }
    env.pop("PORTAL_DEMO", None)
    env.pop("PORTAL_REDIS_URL", None)
    portal = [sys.executable, "-m", "portal.cli"]
    subprocess.run([*portal, "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    created = subprocess.run(
        [*portal, "users", "create-admin", "smoke@city.example.jp"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    password = created.stdout.strip().splitlines()[-1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "infra/gunicorn.conf.py", "portal.wsgi:app"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{env['PORTAL_BIND']}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                    assert response.status == 200
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"gunicorn did not start:\n{output[-3000:]}")
                time.sleep(0.3)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/auth/login").read().decode()
        assert "サインイン" in page
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"email": "smoke@city.example.jp", "password": password, "csrf_token": token}
        )
        answer = opener.open(base + "/auth/login", data=form.encode())
        assert answer.url.endswith("/auth/password")  # first sign-in asks for a new password
        assert "パスワード変更" in answer.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
