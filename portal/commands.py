"""The core's commands (``portal db``, ``portal storage``, ``portal worker``); features add
their own through ``Features.add_commands``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations."""
    from portal import migrate

    migrate.upgrade(current_app.extensions["portal.db"], revision)
    click.echo(f"database at {revision}")


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Fail if the models hold changes that no migration has."""
    from portal import migrate

    migrate.check(current_app.extensions["portal.db"])
    click.echo("no changes detected")


@db_group.command("grant-web-role")
@click.argument("role")
@with_appcontext
def db_grant_web_role(role: str) -> None:
    """PostgreSQL: let ROLE (the web's login) use every table, but never change the access log."""
    from portal import migrate

    try:
        with current_app.extensions["portal.db"].connect() as connection:
            statements = migrate.grant_web_role(connection, role)
            connection.commit()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    for statement in statements:
        click.echo(statement)


@click.group("storage")
def storage_group() -> None:
    """Stored files."""


@storage_group.command("reseal")
@click.option("--dry-run", is_flag=True, help="Only count what would be re-encrypted.")
@with_appcontext
def storage_reseal(dry_run: bool) -> None:
    """Re-encrypt files sealed with an older key under the current (first) key."""
    from portal.storage import LocalStorage, get_storage, reseal_all

    storage = get_storage()
    if not isinstance(storage, LocalStorage):
        click.echo("S3 storage: encryption at rest is the bucket's (SSE); nothing to reseal")
        return
    report = reseal_all(storage, dry_run=dry_run)
    before = ", ".join(f"{key_id}: {n}" for key_id, n in sorted(report.before.items()))
    click.echo(f"current key: {storage.current_key_id}")
    click.echo(f"objects by key before: {before or 'none'}")
    verb = "would reseal" if dry_run else "resealed"
    click.echo(
        f"{verb} {report.resealed}, already current {report.current}, failed {len(report.failed)}"
    )
    for key, reason in sorted(report.failed.items()):
        click.echo(f"  failed {key}: {reason}", err=True)
    if report.failed:
        raise click.ClickException(f"{len(report.failed)} object(s) could not be resealed")


@click.command("worker")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--worker-type",
    type=click.Choice(["thread", "process"]),
    default="thread",
    show_default=True,
    # Huey's process workers are daemonic, and a daemonic process may not start children:
    # the analysis extracts each PDF in an isolated child process (contracts/isolation.py),
    # so under "process" every analysis failed. Threads are enough: the heavy, untrusted
    # part runs in that child anyway.
    help="thread (default; the analysis isolates each PDF in a child process itself)",
)
@with_appcontext
def worker(workers: int, worker_type: str) -> None:
    """Run the background worker (Huey) until interrupted."""
    from portal.jobs import run_worker

    click.echo(f"worker: {workers} {worker_type}(s)", err=True)
    run_worker(current_app._get_current_object(), workers=workers, worker_type=worker_type)


def init_app(app: Flask) -> None:
    """Attach the core's command groups to the app's CLI."""
    for command in (db_group, storage_group, worker):
        app.cli.add_command(command)
