"""``portal backup`` and ``portal restore``: thin over the backup operations and restore."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.backup.operations import (
    BackupError,
    backup_keys,
    check_backup,
    create_backup,
    newest_backup,
)
from portal.backup.restore import restore_backup
from portal.storage import get_storage, new_key_entry


def _echo_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"注意: {warning}", err=True)


@click.group("backup", invoke_without_command=True)
@click.option(
    "--to",
    "destination",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the backup (default: PORTAL_BACKUP_DIR); apart from the instance.",
)
@click.option(
    "--keep",
    type=click.IntRange(1, None),
    default=None,
    help="Keep only the newest N backups there (default: PORTAL_BACKUP_KEEP, else all).",
)
@click.pass_context
@with_appcontext
def backup_group(ctx: click.Context, destination: Path | None, keep: int | None) -> None:
    """Write an encrypted backup of the database and the stored files."""
    if ctx.invoked_subcommand is not None:
        return
    config = current_app.config
    destination = destination or (Path(config["BACKUP_DIR"]) if config["BACKUP_DIR"] else None)
    if destination is None:
        raise click.ClickException(
            "バックアップ先がありません。--to DIR か PORTAL_BACKUP_DIR を指定してください。"
        )
    try:
        result = create_backup(
            engine=current_app.extensions["portal.db"],
            storage=get_storage(),
            config=config,
            destination=destination,
            keep=keep or config["BACKUP_KEEP"],
        )
    except BackupError as error:
        raise click.ClickException(error.message) from error
    _echo_warnings(result.warnings)
    manifest = result.manifest
    rows = sum(manifest["database"]["tables"].values())
    click.echo(
        f"backup written: {result.path} "
        f"({len(manifest['database']['tables'])} tables, {rows} rows, "
        f"{len(manifest['storage']['objects'])} stored files)"
    )
    for path in result.removed:
        click.echo(f"removed old backup: {path}")


@backup_group.command("verify")
@click.argument(
    "file", required=False, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--latest",
    is_flag=True,
    help="Check the newest backup in PORTAL_BACKUP_DIR (or --in DIR) instead of FILE.",
)
@click.option("--in", "folder", type=click.Path(file_okay=False, path_type=Path), default=None)
@with_appcontext
def backup_verify(file: Path | None, latest: bool, folder: Path | None) -> None:
    """Check a backup's authentication and contents without restoring anything."""
    config = current_app.config
    if latest:
        folder = folder or (Path(config["BACKUP_DIR"]) if config["BACKUP_DIR"] else None)
        file = newest_backup(folder) if folder else None
        if file is None:
            raise click.ClickException("確認するバックアップがありません。")
    elif file is None:
        raise click.ClickException("バックアップファイルか --latest を指定してください。")
    try:
        manifest = check_backup(path=file, keys=backup_keys(config))
    except BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(
        f"backup ok: {file.name}, created {manifest['created_at']}, "
        f"{manifest['database']['dialect']}, "
        f"revision {', '.join(manifest['alembic_revision'])}, "
        f"{len(manifest['database']['tables'])} tables, "
        f"{len(manifest['storage']['objects'])} stored files"
    )


@backup_group.command("new-key")
@click.option("--id", "key_id", default=None, help="Key id (default: random).")
def backup_new_key(key_id: str | None) -> None:
    """Print a fresh key entry for PORTAL_BACKUP_KEY (keep a copy in escrow)."""
    click.echo(new_key_entry(key_id))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Only verify the backup (same as backup verify).")
@with_appcontext
def restore(file: Path, check: bool) -> None:
    """Restore a backup into this empty instance (database and stored files)."""
    config = current_app.config
    try:
        keys = backup_keys(config)
        if check:
            check_backup(path=file, keys=keys)
            click.echo("backup ok")
            return
        result = restore_backup(
            engine=current_app.extensions["portal.db"],
            storage=get_storage(),
            config=config,
            path=file,
            keys=keys,
        )
    except BackupError as error:
        raise click.ClickException(error.message) from error
    _echo_warnings(result.warnings)
    manifest = result.manifest
    click.echo(
        f"restored backup of {manifest['created_at']}: "
        f"{len(manifest['database']['tables'])} tables, "
        f"{len(manifest['storage']['objects'])} stored files, verified"
    )
    if result.upgraded:
        click.echo("the backup's schema was older: migrations applied (portal db upgrade)")
