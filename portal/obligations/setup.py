"""How a feature registers an obligation kind: the registry entry and, with the first kind,
the one daily reminder run over all kinds (no feature keeps a reminder job of its own)."""

from __future__ import annotations

from flask import Flask

from portal import jobs
from portal.obligations.jobs import obligation_reminders
from portal.obligations.registry import ObligationKind, add_kind


def register_obligation(app: Flask, kind: ObligationKind) -> ObligationKind:
    """Register ``kind`` with ``app`` (once per name); the reminder run then walks it."""
    if add_kind(app, kind):
        jobs.bind(app, obligation_reminders)
    return kind
