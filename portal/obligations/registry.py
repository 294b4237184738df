"""Obligation kinds: what a feature declares about something a party owes by a date.

A feature describes its obligation once (``ObligationKind``: the owed table, the statuses in
which it is still owed, its reminder stamps, attachments and history tables, the reminder
rule, who is told and what the mail says) and registers it with one call,
``register_obligation(app, kind)``; the reminder run, attachments, history, badges and list
helpers of ``portal.obligations`` then serve it. The core never imports a feature.

What is owed usually belongs to an outsourcing (its department's officers and its vendor's
users are told); a kind whose rows belong to something else (a provision, owned by the
department that provides) says so with a ``Holder``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import Flask, current_app
from sqlalchemy import ColumnElement

from portal.obligations.models import AttachmentFile, HistoryEvent, ReminderStamp
from portal.obligations.rules import ReminderRule

_EXTENSION = "portal.obligations"


class Party(NamedTuple):
    """Whose people a reminder reaches: the owning department's officers ("officers") and,
    when there is one, the vendor's users ("vendor_users")."""

    department_id: int | None
    vendor_id: int | None = None


@dataclass(frozen=True)
class Holder:
    """What the owed rows of a kind belong to, as the reminder run reads them.

    ``rows(model, where)`` selects each row of ``model`` that ``where`` admits followed by its
    holder's parts (an outsourcing and its vendor; a provision); ``party(parts)`` says whose
    people are told, ``fields(parts)`` what the mail calls the holder (for an outsourcing:
    ``task`` and ``vendor``).
    """

    rows: Callable[[Any, ColumnElement[bool]], Any]
    party: Callable[[tuple[Any, ...]], Party]
    fields: Callable[[tuple[Any, ...]], dict[str, str]]


@dataclass(frozen=True)
class Recipients:
    """The active users a reminder run may write to, read once per run."""

    officers_by_department: Mapping[int, list[str]]  # managers and staff of each department
    vendor_users_by_vendor: Mapping[int, list[str]]
    email_by_user: Mapping[int, str]

    def officers(self, department_id: int | None) -> list[str]:
        """The officers of a department."""
        return list(self.officers_by_department.get(department_id or 0, []))

    def vendor_users(self, vendor_id: int | None) -> list[str]:
        """The users of a vendor."""
        return list(self.vendor_users_by_vendor.get(vendor_id or 0, []))

    def user(self, user_id: int | None) -> list[str]:
        """One active user's address (none when unknown or inactive)."""
        return [self.email_by_user[user_id]] if user_id in self.email_by_user else []

    def addresses(self, to: Iterable[str], owed: Any, party: Any) -> list[str]:
        """The sorted addresses ``to`` names for an owed row of ``party`` (a ``Party``, or an
        outsourcing): "officers" (of its department), "vendor_users" (of its vendor), or the
        name of a column of the row that holds a user id (e.g. "inspector_id")."""
        found: set[str] = set()
        for who in to:
            if who == "officers":
                found.update(self.officers(party.department_id))
            elif who == "vendor_users":
                found.update(self.vendor_users(party.vendor_id))
            else:
                found.update(self.user(getattr(owed, who)))
        return sorted(found)


@dataclass(frozen=True)
class Reminders:
    """When reminders go (``rule``), to whom (``to``: see ``Recipients.addresses``), and
    what they say: ``mail(kind, owed, fields)`` returns the translated (subject, body); the
    ``fields`` every reminder knows are ``days`` (the kind) and ``due``, with the holder's
    (``task`` and ``vendor`` for an outsourcing; see ``Holder.fields``)."""

    rule: ReminderRule
    to: tuple[str, ...]
    mail: Callable[[str, Any, dict[str, str]], tuple[str, str]]


@dataclass(frozen=True)
class ObligationKind:
    """Something a party owes by a date about one outsourcing (or another ``holder``).

    ``model`` is the owed table (an ``Owed``: ``id``, ``status``, the ``date_field`` the
    reminders count down to, its ``row_name``, and ``outsourcing_id`` unless a ``holder`` says
    what the row belongs to); ``tables`` are the tables ``owned_tables`` made for it (reminder
    stamps, and attachments or history when it keeps them). A row is owed while its status is
    one of ``open_statuses``.
    """

    model: Any
    open_statuses: tuple[str, ...]
    reminders: Reminders
    tables: tuple[Any, ...] = ()
    attach_statuses: tuple[str, ...] | None = None  # None: attachments in any status
    attach_refused: object = ""  # why a file is refused in the other statuses (lazy text)
    date_field: str = "due_date"
    holder: Holder | None = None  # None: the outsourcing of the row's ``outsourcing_id``

    @property
    def name(self) -> str:
        """The short name, e.g. "report" (audit events and storage folders use it)."""
        return str(self.model.row_name)

    @property
    def owner(self) -> str:
        """The column by which its stamps, attachments and history point at a row."""
        return f"{self.name}_id"

    @property
    def storage_prefix(self) -> str:
        """The storage folder of its attachments, e.g. "reports"."""
        return f"{self.name}s"

    @property
    def stamp_model(self) -> Any:
        """Its reminder stamps table."""
        return self._table(ReminderStamp)

    @property
    def attachment_model(self) -> Any:
        """Its attachments table (None when it keeps none)."""
        return self._table(AttachmentFile)

    @property
    def history_model(self) -> Any:
        """Its history table (None when it keeps none)."""
        return self._table(HistoryEvent)

    def _table(self, family: type) -> Any:
        return next((t for t in self.tables if issubclass(t, family)), None)

    def due_of(self, row: Any) -> Any:
        """The date a row is owed by."""
        return getattr(row, self.date_field)


def add_kind(app: Flask, kind: ObligationKind) -> bool:
    """Add ``kind`` to ``app``'s registry (once per name); True when it is the first kind.

    Features call ``portal.obligations.setup.register_obligation``, which also schedules the
    reminder run; this module stays below the reminders and the job in the import order."""
    first = _EXTENSION not in app.extensions
    kinds: dict[str, ObligationKind] = app.extensions.setdefault(_EXTENSION, {})
    kinds[kind.name] = kind
    return first


def registered_kinds(app: Flask | None = None) -> list[ObligationKind]:
    """The obligation kinds registered with ``app`` (the current one by default)."""
    app = app or current_app
    return list(app.extensions.get(_EXTENSION, {}).values())
