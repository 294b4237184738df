"""The ``portal`` command: thin over operations."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlmodel import select

from portal.db import db, transaction


def _create_app() -> Flask:
    from portal import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """委託先監督ポータル (Itaku Portal) command line."""


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


@click.group("users")
def users_group() -> None:
    """Accounts."""


@users_group.command("create-admin")
@click.argument("email")
@with_appcontext
def users_create_admin(email: str) -> None:
    """Create a system administrator; prints a one-time password to change at first sign-in."""
    from portal.admin.operations import AccountError, create_admin

    try:
        with transaction() as session:
            account = create_admin(session=session, email=email)
    except AccountError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"created {account.user.email} (admin)")
    click.echo("temporary password (shown once, change it at first sign-in):")
    click.echo(account.temporary_password)


@users_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@with_appcontext
def users_list(fmt: str) -> None:
    """List accounts."""
    from portal.admin.operations import list_users

    users = list_users(session=db.session)
    rows = [
        {
            "email": u.email,
            "role": u.role,
            "vendor_id": u.vendor_id,
            "department_id": u.department_id,
            "active": u.active,
        }
        for u in users
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        state = "" if row["active"] else " (inactive)"
        vendor = f" vendor={row['vendor_id']}" if row["vendor_id"] else ""
        click.echo(f"{row['role']:8} {row['email']}{vendor}{state}")


@click.group("demo")
def demo_group() -> None:
    """Demo data (refused in production)."""


def _refuse_in_production() -> None:
    if current_app.config["PRODUCTION"]:
        raise click.ClickException("demo data is refused in production mode")


@demo_group.command("load")
@click.option("--if-empty", is_flag=True, help="Load only into a database without users.")
@click.option(
    "--nodes", type=click.IntRange(0, 1_000_000), default=0, help="Also generate N outsourcings."
)
@with_appcontext
def demo_load(if_empty: bool, nodes: int) -> None:
    """Load the demo municipality and print the demo accounts."""
    from portal import demo
    from portal.models import User

    _refuse_in_production()
    has_data = db.session.exec(select(User)).first() is not None
    if if_empty and has_data:
        click.echo("database already has data: demo not loaded")
    else:
        with transaction() as session:
            if not has_data:
                demo.load(session=session)
            if nodes:
                made = demo.load_large(session=session, nodes=nodes)
                click.echo(f"generated {made} outsourcings")
        click.echo("demo data loaded")
    demo.print_accounts(click.echo)


@demo_group.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def demo_reset(yes: bool) -> None:
    """Delete everything and load the demo data again."""
    from portal import demo

    _refuse_in_production()
    if not yes:
        click.confirm("delete all data and reload the demo?", abort=True)
    with transaction() as session:
        demo.reset(session=session)
        demo.load(session=session)
    click.echo("demo data reset")
    demo.print_accounts(click.echo)


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
    """Attach the command groups to the app's CLI."""
    from portal.api.cli import tokens_group

    for command in (db_group, users_group, demo_group, tokens_group, worker):
        app.cli.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
