"""Fixtures: an app per test on a database built by the real migrations, each test inside a
transaction that is rolled back, and signed-in clients for every role."""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from portal import create_app, migrate
from portal.auth.passwords import hash_password
from portal.db import make_engine
from portal.models import Department, Division, User, Vendor
from portal.permissions import Role

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_PASSWORD = "正しい馬の電池のホッチキス"  # a Japanese passphrase is a good password
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def need_service(name: str, reason: str) -> None:
    """Skip on a developer's machine, fail in CI: a service a test needs is missing."""
    if IN_CI:
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


def tcp_reachable(url: str, default_port: int) -> bool:
    """Whether the host:port of ``url`` accepts a TCP connection."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite in a temporary folder, or PostgreSQL when PORTAL_TEST_DATABASE_URL is set."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if not tcp_reachable(url, 5432):
        need_service("PostgreSQL", f"PORTAL_TEST_DATABASE_URL={url} does not answer")
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The test database, emptied and then built by the real migrations."""
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


def base_config(tmp_path: Path) -> dict:
    """Settings every test app shares."""
    return {
        "ENV_MODE": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-" + uuid.uuid4().hex,
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "STORAGE_DIR": str(tmp_path / "storage"),
        "HUEY_SQLITE_PATH": str(tmp_path / "jobs.db"),
        "REDIS_URL": os.environ.get("PORTAL_TEST_REDIS_URL") or None,
        "RATELIMIT_STORAGE_URI": os.environ.get("PORTAL_TEST_REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": "test-" + uuid.uuid4().hex,
    }


@pytest.fixture
def app(engine: Engine, connection: Connection, tmp_path: Path) -> Iterator[Flask]:
    """The portal on the test database; everything it writes is rolled back."""
    # No app context stays pushed here: each test-client request must get its own, as in
    # production (a shared one would share ``g`` and the database session between requests).
    yield create_app(
        {**base_config(tmp_path), "DATABASE_ENGINE": engine, "DATABASE_CONNECTION": connection}
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def db_session(connection: Connection) -> Iterator[Session]:
    """The test's own session on the test connection; what it commits, requests can see."""
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield session
    session.close()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An app context for tests that call operations directly (no requests inside)."""
    with app.app_context():
        yield app


@pytest.fixture(scope="session")
def password_hash() -> str:
    # Hashing with argon2 costs time; the test accounts share one hash of TEST_PASSWORD.
    return hash_password(TEST_PASSWORD)


class Factory:
    """Builds rows for tests."""

    def __init__(self, session, password_hash: str) -> None:
        self.session = session
        self.password_hash = password_hash
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def division(self, name: str | None = None) -> Division:
        division = Division(name=name or f"部{self._next()}")
        self.session.add(division)
        self.session.commit()
        return division

    def department(self, name: str | None = None, division: Division | None = None) -> Department:
        division = division or self.division()
        department = Department(division_id=division.id, name=name or f"課{self._next()}")
        self.session.add(department)
        self.session.commit()
        return department

    def vendor(self, name: str | None = None, parent: Vendor | None = None) -> Vendor:
        from portal.demo import corporate_number

        n = self._next()
        vendor = Vendor(
            name=name or f"株式会社テスト{n}",
            corporate_number=corporate_number(
                f"{700000000000 + n * 7919 + uuid.uuid4().int % 10_000:012d}"
            ),
            parent_vendor_id=parent.id if parent else None,
        )
        self.session.add(vendor)
        self.session.commit()
        return vendor

    def user(self, role: Role | str = Role.STAFF, *, email: str | None = None, **fields) -> User:
        role = Role(role)
        if role in {Role.MANAGER, Role.STAFF} and "department_id" not in fields:
            fields["department_id"] = self.department().id
        if role == Role.VENDOR and "vendor_id" not in fields:
            fields["vendor_id"] = self.vendor().id
        user = User(
            email=email or f"{role.value}{self._next()}@test.example.jp",
            name=f"{role.value} さん",
            role=role.value,
            password_hash=self.password_hash,
            **fields,
        )
        self.session.add(user)
        self.session.commit()
        return user


@pytest.fixture
def factory(db_session, password_hash: str) -> Factory:
    return Factory(db_session, password_hash)


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """The CSRF token a form on ``path`` carries for this client's session."""
    html = client.get(path).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD):
    """Post the sign-in form as a browser would."""
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
    )


@pytest.fixture
def login(client: FlaskClient, factory: Factory):
    """``login(role)`` creates a user of that role, signs the client in, returns the user."""

    def _login(role: Role | str = Role.STAFF, **fields) -> User:
        user = factory.user(role, **fields)
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login
