"""Migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import inspect

from portal import migrate
from portal.config import PROJECT_ROOT


def test_upgrade_head_leaves_nothing_for_autogenerate(engine):
    # ``engine`` was built from empty by ``upgrade head``; autogenerate must find no diff.
    migrate.check(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"users", "user_sessions", "departments", "divisions", "vendors"} <= tables


def test_migration_files_carry_a_date_prefix():
    files = [p.name for p in Path(PROJECT_ROOT, "migrations", "versions").glob("*.py")]
    assert files
    assert all(re.match(r"^\d{8}_\d{4}_[0-9a-f]+_\w+\.py$", name) for name in files), files
