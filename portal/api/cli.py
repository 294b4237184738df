"""``portal tokens``: personal API tokens, thin over ``portal.api.operations``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.db import db, transaction
from portal.ui import local_datetime


@click.group("tokens")
def tokens_group() -> None:
    """API tokens (Authorization: Bearer …)."""


@tokens_group.command("create")
@click.option("--user", "email", required=True, help="The e-mail address of the token's user.")
@click.option("--label", default="", help="What the token is for, e.g. the calling system.")
@with_appcontext
def tokens_create(email: str, label: str) -> None:
    """Issue a token; the secret is printed once, on the last line."""
    from portal.api.operations import TokenError, create_token, find_user

    try:
        with transaction() as session:
            issued = create_token(
                session=session, user=find_user(session=session, email=email), label=label
            )
    except TokenError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"token {issued.token.id} created for {email} (shown once, store it safely):")
    click.echo(issued.secret)


@tokens_group.command("revoke")
@click.argument("token")
@with_appcontext
def tokens_revoke(token: str) -> None:
    """Revoke a token given its id (see ``tokens list``) or the token itself."""
    from portal.api.operations import TokenError, revoke_token

    by_id = token.isdigit()
    try:
        with transaction() as session:
            revoked = revoke_token(
                session=session,
                token_id=int(token) if by_id else None,
                secret=None if by_id else token,
            )
    except TokenError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"token {revoked.id} revoked")


@tokens_group.command("list")
@click.option("--user", "email", required=True, help="The e-mail address of the user.")
@with_appcontext
def tokens_list(email: str) -> None:
    """List a user's tokens (never their secrets)."""
    from portal.api.operations import TokenError, find_user, list_tokens

    try:
        user = find_user(session=db.session, email=email)
    except TokenError as error:
        raise click.ClickException(error.message) from error
    for token in list_tokens(session=db.session, user=user):
        state = f"revoked {local_datetime(token.revoked_at)}" if token.revoked_at else "active"
        used = local_datetime(token.last_used_at) or "never"
        click.echo(
            f"{token.id:>5}  {state:24}  created {local_datetime(token.created_at)}"
            f"  last used {used}  {token.label}"
        )
