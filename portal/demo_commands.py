"""``portal demo``: load or reset the demo municipality (refused in production).

Not core: the demo data spans every feature, so these commands join the app as a feature
(listed in ``FEATURES``) rather than from the core's command line.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import select

from portal import demo
from portal.db import db, transaction
from portal.features import Features
from portal.models import User


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
    _refuse_in_production()
    if not yes:
        click.confirm("delete all data and reload the demo?", abort=True)
    with transaction() as session:
        demo.reset(session=session)
        demo.load(session=session)
    click.echo("demo data reset")
    demo.print_accounts(click.echo)


def register(app: Flask, features: Features) -> None:
    """Add ``portal demo``."""
    features.add_commands(demo_group)
