"""Encrypted backups of a whole instance (database and stored files) and their restore."""

from __future__ import annotations

from flask import Flask

from portal.features import Features


def register(app: Flask, features: Features) -> None:
    """Add ``portal backup`` and ``portal restore``."""
    from portal.backup import cli

    features.add_commands(cli.backup_group, cli.restore)
