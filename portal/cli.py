"""The ``portal`` command: thin over operations."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlmodel import Session, select

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


@users_group.command("reset-totp")
@click.argument("email")
@with_appcontext
def users_reset_totp(email: str) -> None:
    """Remove a user's second factor (e.g. the only administrator lost the phone); recorded."""
    from portal.admin.operations import reset_totp
    from portal.auth.operations import normalize_email
    from portal.models import User

    with transaction() as session:
        user = session.exec(select(User).where(User.email == normalize_email(email))).first()
        if user is None:
            raise click.ClickException(f"no account {email}")
        reset_totp(session=session, user=user, actor=None)
    click.echo(f"second factor of {user.email} removed: it is set up again at the next sign-in")


@users_group.command("reseal-totp")
@with_appcontext
def users_reseal_totp() -> None:
    """Seal every TOTP secret with the first key of PORTAL_TOTP_KEY (key rotation)."""
    from portal.auth.operations import reseal_totp_secrets

    with transaction() as session:
        resealed, unreadable = reseal_totp_secrets(
            session=session, keys=current_app.extensions["portal.totp_keys"]
        )
    click.echo(f"resealed {resealed} TOTP secret(s)")
    if unreadable:
        raise click.ClickException(
            f"{unreadable} secret(s) open with no configured key: reset those users' second factor"
        )


@click.group("demo")
def demo_group() -> None:
    """Demo data (refused in production)."""


def _refuse_in_production() -> None:
    if current_app.config["PRODUCTION"]:
        raise click.ClickException("demo data is refused in production mode")


_CONTRACTS_OPTION = click.option(
    "--contracts/--no-contracts",
    default=True,
    help="Also store the demo's contract PDFs and analyse them now (the default).",
)


@demo_group.command("load")
@click.option("--if-empty", is_flag=True, help="Load only into a database without users.")
@click.option(
    "--nodes", type=click.IntRange(0, 1_000_000), default=0, help="Also generate N outsourcings."
)
@_CONTRACTS_OPTION
@with_appcontext
def demo_load(if_empty: bool, nodes: int, contracts: bool) -> None:
    """Load the demo municipality (with analysed contracts) and print the demo accounts."""
    from portal import demo
    from portal.models import User

    _refuse_in_production()
    has_data = db.session.exec(select(User)).first() is not None
    if if_empty and has_data:
        click.echo("database already has data: demo not loaded")
    else:
        documents: list[int] = []
        with transaction() as session:
            if not has_data:
                demo.load(session=session)
                if contracts:
                    documents = _upload_demo_contracts(session)
            if nodes:
                made = demo.load_large(session=session, nodes=nodes)
                click.echo(f"generated {made} outsourcings")
        click.echo("demo data loaded")
        _analyse_demo_contracts(documents)
    demo.print_accounts(click.echo)


def _upload_demo_contracts(session: Session) -> list[int]:
    from portal.demo.contracts import upload_contracts
    from portal.storage import get_storage

    documents = upload_contracts(session=session, storage=get_storage())
    click.echo(f"stored {len(documents)} demo contract PDFs")
    return documents


def _analyse_demo_contracts(documents: list[int]) -> None:
    # After the commit, one transaction per document, as the worker runs the same job.
    from portal.demo.contracts import analyse_contracts

    analyse_contracts(documents, echo=click.echo)


@demo_group.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_CONTRACTS_OPTION
@with_appcontext
def demo_reset(yes: bool, contracts: bool) -> None:
    """Delete everything and load the demo data again."""
    from portal import demo

    _refuse_in_production()
    if not yes:
        click.confirm("delete all data and reload the demo?", abort=True)
    documents: list[int] = []
    with transaction() as session:
        demo.reset(session=session)
        demo.load(session=session)
        if contracts:
            documents = _upload_demo_contracts(session)
    click.echo("demo data reset")
    _analyse_demo_contracts(documents)
    demo.print_accounts(click.echo)


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
    """Attach the command groups to the app's CLI."""
    from portal.api.cli import tokens_group
    from portal.audit.cli import audit_group
    from portal.backup.cli import backup_group, restore

    for command in (
        db_group,
        users_group,
        demo_group,
        tokens_group,
        storage_group,
        audit_group,
        worker,
        backup_group,
        restore,
    ):
        app.cli.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
