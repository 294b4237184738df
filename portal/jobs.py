"""Background jobs (Huey): SQLite storage by default, Redis when ``PORTAL_REDIS_URL`` is set.

Job functions are plain functions marked here with their name (``job``, ``periodic``,
``on_worker_start``); each feature's ``register`` binds its marked functions to the app's Huey
instance (``bind``, through ``Features.add_jobs``), so importing this module creates no queue,
opens no file and imports no feature. A job runs in its own app context and transaction, takes
ids (never objects), and is sent only after the transaction that asked for it has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

JobFunction = Callable[..., Any]

_MARK = "portal_job"
_PENDING_KEY = "portal.pending_jobs"


@dataclass(frozen=True)
class JobMark:
    """How a function runs in the worker: on demand, on a schedule, or at worker start."""

    name: str
    kind: str  # "job" | "periodic" | "startup"
    schedule: crontab | None = None


def _mark(fn: JobFunction, mark: JobMark) -> JobFunction:
    setattr(fn, _MARK, mark)
    return fn


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Mark ``fn`` as the job ``name`` (it receives ``session=`` plus its arguments)."""
    return lambda fn: _mark(fn, JobMark(name, "job"))


def periodic(name: str, schedule: crontab) -> Callable[[JobFunction], JobFunction]:
    """Mark ``fn`` to run on ``schedule`` in the worker (it receives ``session=``)."""
    return lambda fn: _mark(fn, JobMark(name, "periodic", schedule))


def on_worker_start(name: str) -> Callable[[JobFunction], JobFunction]:
    """Mark ``fn`` to run when each worker starts (it receives ``session=``)."""
    return lambda fn: _mark(fn, JobMark(name, "startup"))


def is_marked(fn: object) -> bool:
    """Whether ``fn`` carries one of the marks above."""
    return isinstance(getattr(fn, _MARK, None), JobMark)


def make_huey(config: dict[str, Any]) -> Huey:
    """The queue for this configuration."""
    immediate = bool(config.get("HUEY_IMMEDIATE"))
    if config.get("REDIS_URL"):
        return RedisHuey("portal", url=config["REDIS_URL"], immediate=immediate)
    path = Path(config["HUEY_SQLITE_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("portal", filename=str(path), immediate=immediate)


def _in_app(app: Flask, fn: JobFunction) -> JobFunction:
    def run(*args: Any, **kwargs: Any) -> Any:
        from portal.db import transaction

        with app.app_context(), transaction() as session:
            return fn(*args, session=session, **kwargs)

    run.__name__ = fn.__name__
    return run


def init_app(app: Flask) -> None:
    """Create the app's queue; features then bind their jobs to it (``bind``)."""
    app.extensions["portal.huey"] = make_huey(app.config)
    app.extensions["portal.tasks"] = {}
    _listen_for_commits()


def bind(app: Flask, fn: JobFunction) -> None:
    """Bind the marked function ``fn`` to the app's queue under its name."""
    mark: JobMark = getattr(fn, _MARK)
    huey: Huey = app.extensions["portal.huey"]
    tasks: dict[str, Any] = app.extensions["portal.tasks"]
    if mark.kind == "job":
        if mark.name in tasks:
            raise ValueError(f"job {mark.name!r} is registered twice")
        tasks[mark.name] = huey.task(name=mark.name)(_in_app(app, fn))
    elif mark.kind == "periodic":
        huey.periodic_task(mark.schedule, name=mark.name)(_in_app(app, fn))
    else:
        huey.on_startup(mark.name)(_in_app(app, fn))


def enqueue_after_commit(session: Session, name: str, *args: Any) -> None:
    """Send job ``name`` once ``session`` commits (dropped if it rolls back)."""
    if name not in current_app.extensions["portal.tasks"]:
        raise KeyError(f"unknown job {name!r}")
    if not session.in_transaction():
        session.begin()  # so that a rollback, even of no SQL at all, drops the job
    session.info.setdefault(_PENDING_KEY, []).append(
        (current_app._get_current_object(), name, args)
    )


_listening = False


def _listen_for_commits() -> None:
    global _listening
    if _listening:
        return
    _listening = True

    @event.listens_for(Session, "after_commit")
    def _send(session: Session) -> None:
        for app, name, args in session.info.pop(_PENDING_KEY, []):
            app.extensions["portal.tasks"][name](*args)

    @event.listens_for(Session, "after_soft_rollback")
    def _drop(session: Session, previous_transaction: SessionTransaction) -> None:
        # Any rollback of the session's own transaction (even one that never touched the
        # database) drops what it asked for; a rolled-back SAVEPOINT inside it does not.
        if not previous_transaction.nested:
            session.info.pop(_PENDING_KEY, None)


def run_worker(app: Flask, *, workers: int = 1, worker_type: str = "thread") -> None:
    """Run the consumer until interrupted (``portal worker``)."""
    huey: Huey = app.extensions["portal.huey"]
    consumer = huey.create_consumer(workers=workers, worker_type=worker_type, periodic=True)
    consumer.run()
