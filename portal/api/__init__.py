"""The read API (``/api/v1``) with bearer tokens; features add their routes to it."""

from __future__ import annotations

from flask import Flask

from portal.features import Features
from portal.permissions import READERS, Permission


def register(app: Flask, features: Features) -> None:
    """Build the API blueprint from the routes added so far, and add ``portal tokens``."""
    from portal.api import cli, views
    from portal.extensions import csrf

    blueprint = views.make_blueprint(features.close_api_routes())
    features.add_blueprint(blueprint)
    # Bearer tokens, not cookies, authenticate the API: there is no session to forge.
    csrf.exempt(blueprint)
    features.add_commands(cli.tokens_group)
    features.grant(Permission.USE_API, READERS)
