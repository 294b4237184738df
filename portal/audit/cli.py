"""``portal audit``: keys, signed checkpoints and verification of the access log."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import db


@click.group("audit")
def audit_group() -> None:
    """Access log (アクセス記録): keygen, checkpoint, verify."""


@audit_group.command("keygen")
@click.option(
    "--private-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the private key (default: PORTAL_AUDIT_SIGNING_KEY_FILE).",
)
@click.option(
    "--public-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the public key (default: PORTAL_AUDIT_PUBLIC_KEY_FILE or "
    "audit-signing.pub in the checkpoint folder).",
)
@with_appcontext
def audit_keygen(private_key: Path | None, public_key: Path | None) -> None:
    """Create the Ed25519 key pair that signs checkpoints (the private key with mode 0600)."""
    from portal.audit.checkpoints import CheckpointError, generate_keys, public_key_path

    config = current_app.config
    private_path = private_key or (
        Path(config["AUDIT_SIGNING_KEY_FILE"]) if config.get("AUDIT_SIGNING_KEY_FILE") else None
    )
    if private_path is None:
        raise click.ClickException("give --private-key or set PORTAL_AUDIT_SIGNING_KEY_FILE")
    public_path = public_key or public_key_path(config)
    try:
        generate_keys(private_path=private_path, public_path=public_path)
    except CheckpointError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"private key: {private_path} (mode 0600; only the checkpoint command reads it)")
    click.echo(f"public key:  {public_path}")


@audit_group.command("checkpoint")
@with_appcontext
def audit_checkpoint() -> None:
    """Sign the head of the chain and append it to the checkpoint file."""
    from portal.audit.checkpoints import CheckpointError
    from portal.audit.verify import make_checkpoint

    try:
        checkpoint = make_checkpoint(session=db.session, config=current_app.config)
    except CheckpointError as error:
        raise click.ClickException(str(error)) from error
    finally:
        db.session.rollback()
    click.echo(f"checkpoint seq={checkpoint.seq} hash={checkpoint.hash} at {checkpoint.signed_at}")


@audit_group.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Check the chain and every checkpoint; exit 1 and name the records when tampered."""
    from portal.audit.checkpoints import CheckpointError
    from portal.audit.verify import verify_log

    try:
        result = verify_log(session=db.session, config=current_app.config)
    except CheckpointError as error:
        raise click.ClickException(str(error)) from error
    finally:
        db.session.rollback()
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for problem in result.problems:
        click.echo(f"TAMPERED [{problem.kind}] {problem.message}")
    summary = result.summary
    if not result.ok:
        click.echo(
            f"access log FAILED verification: {len(result.problems)} problem(s) in "
            f"{summary.count} records, {result.checkpoints} checkpoint(s)"
        )
        raise SystemExit(1)
    click.echo(
        f"access log OK: {summary.count} records (head seq={summary.head_seq}), "
        f"{result.checkpoints} checkpoint(s) verified"
    )
