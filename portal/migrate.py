"""Alembic, driven from the portal's configuration (no alembic.ini needed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from portal.config import PROJECT_ROOT


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs on ``engine``."""
    config = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def check(engine: Engine) -> None:
    """Raise if the models hold anything the migrations do not (autogenerate finds a diff)."""
    command.check(alembic_config(engine))


# The access log is append-only for the web: beyond the triggers (which the table's owner could
# drop), the role the web and the worker connect as cannot change or remove its rows at all.
APPEND_ONLY_TABLES = ("access_events",)


def grant_web_role(connection: Connection, role: str) -> list[str]:
    """Give the PostgreSQL ``role`` (which must exist) what the web and the worker need:
    read and write on every table, except UPDATE, DELETE and TRUNCATE on the access log.

    Run as the owner of the tables (the role that applies the migrations); returns the
    statements it ran. Run it again after new migrations.
    """
    if connection.dialect.name != "postgresql":
        raise ValueError("roles and grants are a PostgreSQL matter (SQLite has no roles)")
    quoted = connection.dialect.identifier_preparer.quote(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        *(
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}"
            for table in APPEND_ONLY_TABLES
        ),
    ]
    for statement in statements:
        connection.exec_driver_sql(statement)
    return statements
