"""Features plug in here: the one hook through which a domain joins the app.

A feature is a package under ``portal/`` (named in the ``FEATURES`` setting, like Django's
``INSTALLED_APPS``) with one function::

    def register(app: Flask, features: Features) -> None:
        features.add_blueprint(views.bp)
        features.add_jobs(jobs)
        features.add(TREE_BADGES, badges.report_badges)
        features.grant(Permission.SUBMIT_REPORTS, [Role.VENDOR])

``create_app`` imports each named module with importlib and calls its ``register``; the core
(this module, ``portal.jobs``, ``portal.db``, ``portal.models`` …) never imports a feature, and
no module is imported only for what importing it does. Extension points that a feature offers
to the others (the ledger's sheets) are typed :class:`Slot` objects in that feature's public
module; the core's own slots are below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Generic, Protocol, TypeVar

import click
from flask import Blueprint, Flask, current_app
from sqlalchemy import ColumnElement, and_, true
from sqlmodel import Session, select

from portal import jobs
from portal.models import Outsourcing, User
from portal.permissions import ROLE_PERMISSIONS_KEY, Permission, Role

T = TypeVar("T")
EXTENSION_KEY = "portal.features"


class Slot(Generic[T]):
    """A named, typed place where features put things of one kind (in registration order)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


# --- the core's slots --------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """A short label on a node: ``tone`` is ok, warn, bad or muted; ``flags`` feed filters."""

    label: str
    tone: str = "muted"
    title: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)


class NodeLike(Protocol):
    """What a badge provider may read of a node: an ``Outsourcing`` or a lighter tree row."""

    id: int
    parent_id: int | None
    path: str
    status: str
    entered_without_approval: bool
    declared_subsidiary: bool


class NodeSet(Sequence[NodeLike]):
    """The nodes about to be shown, and the same set in SQL: ``includes(column)`` lets a
    badge provider filter in the database with one statement however many nodes there are,
    instead of binding thousands of ids (which costs more to compile than to run)."""

    def __init__(
        self, nodes: Iterable[NodeLike], where: Sequence[ColumnElement[bool]] | None = None
    ) -> None:
        self._nodes = list(nodes)
        # Conditions on ``Outsourcing`` that admit exactly these nodes, when the caller has
        # them (the tree: the user's scope and the filters it selected them by).
        self._where = None if where is None else list(where)

    @classmethod
    def of(cls, nodes: Iterable[NodeLike]) -> NodeSet:
        """``nodes`` as a NodeSet (itself when it is one already)."""
        return nodes if isinstance(nodes, NodeSet) else cls(nodes)

    def __getitem__(self, index: Any) -> Any:
        return self._nodes[index]

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[NodeLike]:
        return iter(self._nodes)  # the list's own iterator: Sequence's is slow

    def includes(self, column: Any) -> ColumnElement[bool]:
        """A WHERE clause: ``column`` (an outsourcing id) is one of these nodes. On
        ``Outsourcing.id`` itself the conditions apply directly (no subquery)."""
        if self._where is None:
            return column.in_([node.id for node in self._nodes])
        if column is Outsourcing.id:
            return and_(true(), *self._where)
        return column.in_(select(Outsourcing.id).where(*self._where))


#: Receives the nodes about to be shown; returns badges per node id with one statement for
#: all of them (``NodeSet.includes``), never one per node.
BadgeProvider = Callable[[Session, NodeSet], dict[int, list[Badge]]]


@dataclass(frozen=True)
class HomeWidget:
    """A block of the start page: ``load`` returns what the page shows under ``name``."""

    name: str
    load: Callable[[Session, User], Any]
    permission: Permission | None = None  # who sees it (None: everyone signed in)


@dataclass(frozen=True)
class MenuItem:
    """An entry of the menu, shown to those who hold ``permission``; ``order`` places it."""

    endpoint: str
    label: Any  # a lazy string: shown in the user's language
    permission: Permission
    order: int


#: The menu.
MENU: Slot[MenuItem] = Slot("menu")
#: Status badges on the subcontract tree.
TREE_BADGES: Slot[BadgeProvider] = Slot("tree_badges")
#: Blocks of the start page.
HOME_WIDGETS: Slot[HomeWidget] = Slot("home_widgets")
#: Predicates that hide the menu (a sign-in whose second step is not done yet).
MENU_HIDDEN_WHEN: Slot[Callable[[], bool]] = Slot("menu_hidden_when")


@dataclass(frozen=True)
class NodeSection:
    """A block of an outsourcing's detail page: ``template``, which reads ``section.context``."""

    template: str
    context: dict[str, Any]


#: Blocks of an outsourcing's detail page: ``(session, node, user)`` → a NodeSection or None.
NODE_SECTIONS: Slot[Callable[[Session, Any, User], NodeSection | None]] = Slot("node_sections")
#: Called with the status code once a request's transaction has committed or rolled back.
REQUEST_ENDED: Slot[Callable[[int], None]] = Slot("request_ended")
#: Called with the status code (401/403) when a request is refused.
ACCESS_DENIED: Slot[Callable[[int], None]] = Slot("access_denied")


class DecisionRefused(ValueError):
    """A decision check refuses a subcontract decision; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Checks a subcontract decision passes before it is taken: ``check(session, node, approve,
#: comment)`` raises DecisionRefused, or returns facts the access log keeps with the decision.
DecisionCheck = Callable[[Session, Any, bool, str], dict[str, Any]]
DECISION_CHECKS: Slot[DecisionCheck] = Slot("decision_checks")


class SectionRefused(ValueError):
    """A registration section refuses what was entered; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RegistrationSection:
    """A block a feature adds to the forms that register an outsourcing or request a
    subcontract, saved in the same transaction as the new node.

    ``show(session, parent, posted)`` returns the block to render (``parent``: None when a
    root is registered; ``posted``: the submitted form, None when first shown);
    ``check(session, parent, posted)`` lists every reason (Japanese) the block is refused,
    before anything is written; ``save(session, actor, node, posted)`` records it for the
    new ``node`` (raising SectionRefused takes the node back with it).
    """

    show: Callable[[Session, Any, Any], NodeSection]
    check: Callable[[Session, Any, Any], list[str]]
    save: Callable[[Session, User, Any, Any], None]


#: Blocks of the registration and subcontract-request forms (e.g. the selection checklist).
REGISTRATION_SECTIONS: Slot[RegistrationSection] = Slot("registration_sections")


@dataclass(frozen=True)
class ApiRoute:
    """One route of the read API (``/api/v1``); its endpoint is ``api.<view name>``."""

    rule: str
    view: Callable[..., Any]
    methods: tuple[str, ...] = ("GET",)


class Features:
    """What the installed features contributed to one app (``app.extensions``)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.names: list[str] = []
        self.api_routes: list[ApiRoute] = []
        self._api_closed = False
        self._slots: dict[str, list[Any]] = {}
        self._grants: dict[Role, set[Permission]] = {role: set() for role in Role}
        # No feature, no permission: the matrix starts empty.
        app.extensions[ROLE_PERMISSIONS_KEY] = {role: frozenset() for role in Role}

    # Routes and commands ----------------------------------------------------------------

    def add_blueprint(self, blueprint: Blueprint) -> None:
        """Register ``blueprint`` on the app."""
        self.app.register_blueprint(blueprint)

    def add_api_routes(self, *routes: ApiRoute) -> None:
        """Add routes to the read API (the API feature builds its blueprint from them)."""
        if self._api_closed:
            # A blueprint cannot take routes once registered: list the feature before the API.
            raise RuntimeError("API routes added after portal.api built the API: reorder FEATURES")
        self.api_routes.extend(routes)

    def close_api_routes(self) -> list[ApiRoute]:
        """The API routes added so far; none may be added after (the API is being built)."""
        self._api_closed = True
        return list(self.api_routes)

    def add_commands(self, *commands: click.Command) -> None:
        """Add command groups or commands to the ``portal`` command line."""
        for command in commands:
            self.app.cli.add_command(command)

    # Authorization ----------------------------------------------------------------------

    def grant(self, permission: Permission, roles: Iterable[Role]) -> None:
        """The feature's entry in the authorization matrix: ``roles`` hold ``permission``."""
        for role in roles:
            self._grants[role].add(permission)
        self.app.extensions[ROLE_PERMISSIONS_KEY] = {
            role: frozenset(permissions) for role, permissions in self._grants.items()
        }

    # Background work --------------------------------------------------------------------

    def add_jobs(self, *sources: ModuleType | Callable[..., Any]) -> None:
        """Bind the jobs, periodic jobs and worker-start hooks marked in ``sources``.

        A source is a function marked with ``portal.jobs.job``/``periodic``/
        ``on_worker_start``, or a module whose marked functions are all taken.
        """
        for source in sources:
            if isinstance(source, ModuleType):
                # Only what the module defines: a marked job it imports belongs to another.
                functions = [
                    value
                    for value in vars(source).values()
                    if getattr(value, "__module__", None) == source.__name__
                ]
            else:
                functions = [source]
            for function in functions:
                if jobs.is_marked(function):
                    jobs.bind(self.app, function)

    # Slots ------------------------------------------------------------------------------

    def add(self, slot: Slot[T], item: T) -> None:
        """Put ``item`` into ``slot``."""
        self._slots.setdefault(slot.name, []).append(item)

    def get(self, slot: Slot[T]) -> list[T]:
        """What the features put into ``slot``, in registration order."""
        return list(self._slots.get(slot.name, ()))


def install_features(app: Flask, names: Sequence[str]) -> Features:
    """Import each feature module named in ``names`` and call its ``register``."""
    features = Features(app)
    app.extensions[EXTENSION_KEY] = features
    for name in names:
        module = importlib.import_module(name)
        register = getattr(module, "register", None)
        if register is None:
            raise RuntimeError(f"feature {name!r} has no register(app, features)")
        register(app, features)
        features.names.append(name)
    return features


def current_features() -> Features:
    """The features of the current app."""
    return current_app.extensions[EXTENSION_KEY]


def feature_models(names: Sequence[str]) -> list[ModuleType]:
    """The ``models`` modules of the named features (Alembic needs every table's metadata)."""
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(f"{name}.models"))
        except ModuleNotFoundError as error:
            if error.name != f"{name}.models":
                raise
    return modules
