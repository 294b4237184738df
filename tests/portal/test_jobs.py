"""Jobs are sent only after the transaction that asked for them commits."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from portal.db import db
from portal.jobs import enqueue_after_commit, job
from portal.models import Division


@job("tests.add_division")
def add_division(name: str, *, session: Session) -> None:
    """A job for this test: proves the worker runs in its own transaction."""
    session.add(Division(name=name))


def test_job_is_sent_after_commit_and_dropped_on_rollback(app, db_session):
    app.extensions["portal.features"].add_jobs(add_division)  # as a feature's register does
    huey = app.extensions["portal.huey"]
    huey.flush()
    with app.app_context():
        enqueue_after_commit(db.session, "tests.add_division", "総務部（ロールバック）")
        db.session.rollback()
        assert huey.pending_count() == 0

        enqueue_after_commit(db.session, "tests.add_division", "総務部（ジョブ）")
        assert huey.pending_count() == 0  # nothing leaves before the commit
        db.session.commit()
        assert huey.pending_count() == 1

    task = huey.dequeue()
    huey.execute(task)
    names = db_session.exec(select(Division.name)).all()
    assert "総務部（ジョブ）" in names and "総務部（ロールバック）" not in names


def test_housekeeping_is_scheduled(app):
    huey = app.extensions["portal.huey"]
    periodic = {task.name for task in huey.read_periodic(datetime(2026, 1, 1, 3, 17, tzinfo=UTC))}
    assert "purge_sessions" in periodic
