"""The ``portal`` command: the app's command line (``python -m portal.cli`` works too).

The commands themselves live beside what they drive: the core's in ``portal/commands.py``,
each feature's added by its ``register`` (portal/features.py).
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from portal import create_app


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """委託先監督ポータル (Itaku Portal) command line."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
