"""``portal demo``: load or reset the demo municipality (refused in production).

Not core: the demo data spans every feature, so these commands join the app as a feature
(listed in ``FEATURES``) rather than from the core's command line.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

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


@demo_group.command("dispatch-contracts")
@with_appcontext
def demo_dispatch_contracts() -> None:
    """Store the demo's worker dispatch contract PDFs and check them against the dispatch
    catalog now (after ``demo load``; kept apart so the outsourcing demo stays as it is)."""
    from portal.demo.contracts import analyse_contracts
    from portal.demo.dispatch import upload_dispatch_contracts
    from portal.storage import get_storage

    _refuse_in_production()
    with transaction() as session:
        documents = upload_dispatch_contracts(session=session, storage=get_storage())
    click.echo(f"stored {len(documents)} demo dispatch contract PDFs")
    analyse_contracts(documents, echo=click.echo)


@demo_group.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_CONTRACTS_OPTION
@with_appcontext
def demo_reset(yes: bool, contracts: bool) -> None:
    """Delete everything and load the demo data again."""
    _refuse_in_production()
    if not yes:
        click.confirm("delete all data and reload the demo?", abort=True)
    documents: list[int] = []
    db.session.close()  # nothing may hold the tables while they are dropped
    demo.rebuild(current_app.extensions["portal.db"])
    with transaction() as session:
        demo.load(session=session)
        if contracts:
            documents = _upload_demo_contracts(session)
    click.echo("demo data reset")
    _analyse_demo_contracts(documents)
    demo.print_accounts(click.echo)


def register(app: Flask, features: Features) -> None:
    """Add ``portal demo``."""
    features.add_commands(demo_group)
