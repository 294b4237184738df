"""The database: one engine per app, one session per request or job.

Operations only flush; the request (or job, or CLI command) boundary commits or rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the settings each backend needs."""
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": 30}
        if url in {"sqlite://", "sqlite:///:memory:"}:
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide where transactions begin, so that
            # SAVEPOINTs and transactional DDL work (SQLAlchemy's documented recipe).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # IMMEDIATE: a transaction takes the write lock when it starts, waiting up to
            # busy_timeout for its turn. A deferred one that reads and then writes after
            # another process committed fails at once with "database is locked" (SQLite
            # cannot let a stale snapshot write; the busy timeout does not apply): the load
            # test (bench/bench_load.py) got 503s on concurrent sign-ins. Transactions take
            # turns, as SQLite's single writer imposes; PostgreSQL is for heavier use.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


class Database:
    """Binds an engine to the app and hands out the request's session."""

    def __init__(self) -> None:
        self.engine: Engine | None = None

    def init_app(self, app: Flask) -> None:
        engine = app.config.get("DATABASE_ENGINE") or make_engine(app.config["DATABASE_URL"])
        app.extensions["portal.db"] = engine
        app.teardown_appcontext(self._teardown)

    @staticmethod
    def _engine() -> Engine:
        return current_app.extensions["portal.db"]

    @property
    def session(self) -> Session:
        """The session of the current request or app context (created on first use)."""
        if "db_session" not in g:
            bind = current_app.config.get("DATABASE_CONNECTION") or self._engine()
            options = (
                {"join_transaction_mode": "create_savepoint"}
                if current_app.config.get("DATABASE_CONNECTION")
                else {}
            )
            g.db_session = Session(bind=bind, expire_on_commit=False, **options)
        return g.db_session

    @staticmethod
    def _teardown(exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is None:
            return
        try:
            if exc is not None:
                session.rollback()
        finally:
            session.close()

    def commit(self) -> None:
        """Commit the current session if one was opened."""
        if "db_session" in g:
            g.db_session.commit()

    def rollback(self) -> None:
        """Roll back the current session if one was opened."""
        if "db_session" in g:
            g.db_session.rollback()


db = Database()


@contextmanager
def transaction() -> Iterator[Session]:
    """A unit of work outside a request (CLI, job): commit on success, roll back on error."""
    session = db.session
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
