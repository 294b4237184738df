"""Consistent copies of the database and their restore, for SQLite and PostgreSQL.

SQLite is copied with its online backup API, so the app can keep running; PostgreSQL with
``pg_dump --format=custom`` inside an exported snapshot, so that the row counts recorded in
the manifest describe exactly the rows in the dump. Every table is covered: the list comes
from the database, not from the models.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, create_engine, inspect, text

ALEMBIC_TABLE = "alembic_version"


class DatabaseBackupError(RuntimeError):
    """The database cannot be copied or restored; ``str()`` is Japanese."""


@dataclass(frozen=True)
class Snapshot:
    """What a database copy holds: its tables' row counts and the schema revision."""

    dialect: str
    tables: dict[str, int]
    alembic_revision: list[str]


def table_names(connection: Connection) -> list[str]:
    """Every table of the database (its default schema), sorted."""
    return sorted(inspect(connection).get_table_names())


def row_counts(connection: Connection) -> dict[str, int]:
    """The number of rows of every table."""
    quote = connection.dialect.identifier_preparer.quote
    return {
        name: int(connection.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar_one())  # noqa: S608 - a quoted table name from the database itself
        for name in table_names(connection)
    }


def alembic_revision(connection: Connection) -> list[str]:
    """The schema revision(s) recorded by Alembic (empty for a database never migrated)."""
    if ALEMBIC_TABLE not in table_names(connection):
        return []
    rows = connection.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalars()  # noqa: S608
    return sorted(rows)


def _snapshot_of(connection: Connection) -> Snapshot:
    return Snapshot(
        dialect=connection.dialect.name,
        tables=row_counts(connection),
        alembic_revision=alembic_revision(connection),
    )


# Rows that the migrations themselves write: a table holding only these is still empty.
SEEDED_BY_MIGRATIONS = {"audit_chain_head": "seq > 0"}  # the chain's genesis row has seq 0


def rows_in(engine: Engine) -> dict[str, int]:
    """Tables that hold rows, other than Alembic's own and the rows the migrations seed (an
    empty target has none)."""
    with engine.connect() as connection:
        counts = row_counts(connection)
        for name, real in SEEDED_BY_MIGRATIONS.items():
            if counts.get(name):
                counts[name] = connection.execute(
                    text(f"SELECT count(*) FROM {name} WHERE {real}")  # noqa: S608 (constants)
                ).scalar_one()
    return {name: n for name, n in counts.items() if n and name != ALEMBIC_TABLE}


def dump(engine: Engine, target: Path) -> Snapshot:
    """Write a consistent copy of the database to ``target``; what it holds."""
    if engine.dialect.name == "sqlite":
        return _dump_sqlite(engine, target)
    if engine.dialect.name == "postgresql":
        return _dump_postgresql(engine, target)
    raise DatabaseBackupError(f"データベース {engine.dialect.name} のバックアップには未対応です。")


def restore(engine: Engine, source: Path, dialect: str) -> None:
    """Replace the (empty) database of ``engine`` with the copy in ``source``."""
    if dialect != engine.dialect.name:
        raise DatabaseBackupError(
            f"このバックアップは {dialect} のデータベースのものです。"
            f"設定されたデータベースは {engine.dialect.name} なので復元できません。"
        )
    if dialect == "sqlite":
        _restore_sqlite(engine, source)
    else:
        _restore_postgresql(engine, source)


# --- SQLite -----------------------------------------------------------------------------


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise DatabaseBackupError("メモリ上の SQLite データベースはバックアップできません。")
    return Path(database)


def _dump_sqlite(engine: Engine, target: Path) -> Snapshot:
    source = sqlite3.connect(_sqlite_path(engine), timeout=30)
    copy = sqlite3.connect(target)
    try:
        # The online backup API copies a consistent state while others keep writing.
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    copy_engine = create_engine(f"sqlite:///{target}")
    try:
        with copy_engine.connect() as connection:
            check = connection.execute(text("PRAGMA integrity_check")).scalar_one()
            if check != "ok":
                raise DatabaseBackupError(f"データベースの整合性検査に失敗しました: {check}")
            return _snapshot_of(connection)
    finally:
        copy_engine.dispose()


def _restore_sqlite(engine: Engine, source: Path) -> None:
    path = _sqlite_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()  # no pooled connection may keep the old pages
    copy = sqlite3.connect(source)
    target = sqlite3.connect(path, timeout=30)
    try:
        copy.backup(target)
    finally:
        copy.close()
        target.close()


# --- PostgreSQL -------------------------------------------------------------------------


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and an environment that carries it."""
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _client(name: str, connection: Connection) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version if installed, else on PATH."""
    server = int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    candidates = [Path(f"/usr/lib/postgresql/{server}/bin/{name}"), shutil.which(name)]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            found = str(candidate)
            break
    else:
        raise DatabaseBackupError(
            f"{name} が見つかりません（Debian では postgresql-client を入れてください）。"
        )
    version = subprocess.run(  # noqa: S603 - a fixed client binary, no shell
        [found, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    if match is None or int(match.group(1)) < server:
        raise DatabaseBackupError(
            f"{found} ({version.strip()}) はサーバー (PostgreSQL {server}) より古い版です。"
            f"postgresql-client-{server} を入れてください。"
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise DatabaseBackupError(f"{what} に失敗しました: {result.stderr.strip()[-2000:]}")


@contextmanager
def _exported_snapshot(engine: Engine) -> Iterator[tuple[Connection, str]]:
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            yield connection, snapshot


def _dump_postgresql(engine: Engine, target: Path) -> Snapshot:
    url, env = _libpq(engine)
    with _exported_snapshot(engine) as (connection, snapshot_id):
        # Counts and dump see the same snapshot, so the manifest describes the dump exactly.
        snapshot = _snapshot_of(connection)
        pg_dump = _client("pg_dump", connection)
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                f"--dbname={url}",
            ],
            env,
            "pg_dump",
        )
    return snapshot


def clear(engine: Engine) -> None:
    """Drop every table, and on PostgreSQL the schema's own functions (those of the access
    log's triggers), of a target that was empty: the migrations can then build it again."""
    with engine.begin() as connection:
        existing = MetaData()
        existing.reflect(bind=connection)
        existing.drop_all(bind=connection)
        if connection.dialect.name == "postgresql":
            functions = connection.execute(
                text(
                    "SELECT p.oid::regprocedure::text FROM pg_proc p "
                    "JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' "
                    "WHERE n.nspname = current_schema() AND d.objid IS NULL"
                )
            ).scalars()
            for signature in list(functions):
                # S608: the name comes from the catalog (regprocedure), never from a user.
                connection.execute(text(f"DROP FUNCTION IF EXISTS {signature} CASCADE"))
    engine.dispose()


def _restore_postgresql(engine: Engine, source: Path) -> None:
    url, env = _libpq(engine)
    with engine.connect() as connection:
        pg_restore = _client("pg_restore", connection)
    # The target is empty (checked before), but may hold the schema of `portal db upgrade`:
    # drop those empty tables so that the dump's schema is restored whole.
    clear(engine)
    _run(
        [
            pg_restore,
            # Objects of the dump that survive dropping the tables (functions of triggers
            # that a migration made) are dropped and made again from the dump.
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(source),
        ],
        env,
        "pg_restore",
    )
