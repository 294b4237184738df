"""Fixtures: an app per test on a database built by the real migrations, each test inside a
transaction that is rolled back, and signed-in clients for every role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from portal import create_app, migrate
from portal.auth.passwords import hash_password
from portal.db import make_engine
from portal.models import User
from portal.permissions import Role
from portal_testing import TEST_PASSWORD, Factory, base_config, need_service, sign_in, tcp_reachable


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


@pytest.fixture
def factory(db_session, password_hash: str) -> Factory:
    return Factory(db_session, password_hash)


@pytest.fixture
def login(client: FlaskClient, factory: Factory):
    """``login(role)`` creates a user of that role, signs the client in, returns the user."""

    def _login(role: Role | str = Role.STAFF, **fields) -> User:
        user = factory.user(role, **fields)
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login
