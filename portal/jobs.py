"""Background jobs (Huey): SQLite storage by default, Redis when ``PORTAL_REDIS_URL`` is set.

Job functions are plain functions registered here by name; ``init_app`` binds them to the
app's Huey instance, so importing this module creates no queue and opens no file. A job runs
in its own app context and transaction, takes ids (never objects), and is sent only after the
transaction that asked for it has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

JobFunction = Callable[..., Any]

_JOBS: dict[str, JobFunction] = {}
_PERIODIC: dict[str, tuple[JobFunction, crontab]] = {}
_STARTUP: dict[str, JobFunction] = {}
_PENDING_KEY = "portal.pending_jobs"


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn`` as the job ``name`` (it receives ``session=`` plus its arguments)."""

    def register(fn: JobFunction) -> JobFunction:
        _JOBS[name] = fn
        return fn

    return register


def periodic(name: str, schedule: crontab) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn`` to run on ``schedule`` in the worker (it receives ``session=``)."""

    def register(fn: JobFunction) -> JobFunction:
        _PERIODIC[name] = (fn, schedule)
        return fn

    return register


def on_worker_start(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn`` to run when each worker starts (it receives ``session=``)."""

    def register(fn: JobFunction) -> JobFunction:
        _STARTUP[name] = fn
        return fn

    return register


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
    """Create the app's queue and bind every registered job to it."""
    _import_job_modules()
    huey = make_huey(app.config)
    tasks = {name: huey.task(name=name)(_in_app(app, fn)) for name, fn in _JOBS.items()}
    for name, (fn, schedule) in _PERIODIC.items():
        huey.periodic_task(schedule, name=name)(_in_app(app, fn))
    for name, fn in _STARTUP.items():
        huey.on_startup(name)(_in_app(app, fn))
    app.extensions["portal.huey"] = huey
    app.extensions["portal.tasks"] = tasks
    _listen_for_commits()


def _import_job_modules() -> None:
    # Modules whose jobs the worker runs; importing registers them.
    import portal.audit.jobs
    import portal.auth.jobs
    import portal.incidents.jobs
    import portal.inspections.jobs
    import portal.reports.jobs
    import portal.reviews.jobs  # noqa: F401


def enqueue_after_commit(session: Session, name: str, *args: Any) -> None:
    """Send job ``name`` once ``session`` commits (dropped if it rolls back)."""
    if name not in _JOBS:
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
