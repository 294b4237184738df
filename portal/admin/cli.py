"""``portal users``: accounts from the command line, thin over the operations."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from portal.admin.operations import AccountError, create_admin, list_users, reset_totp
from portal.auth.operations import normalize_email, reseal_totp_secrets
from portal.db import db, transaction
from portal.models import User


@click.group("users")
def users_group() -> None:
    """Accounts."""


@users_group.command("create-admin")
@click.argument("email")
@with_appcontext
def users_create_admin(email: str) -> None:
    """Create a system administrator; prints a one-time password to change at first sign-in."""
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
    with transaction() as session:
        resealed, unreadable = reseal_totp_secrets(
            session=session, keys=current_app.extensions["portal.totp_keys"]
        )
    click.echo(f"resealed {resealed} TOTP secret(s)")
    if unreadable:
        raise click.ClickException(
            f"{unreadable} secret(s) open with no configured key: reset those users' second factor"
        )
