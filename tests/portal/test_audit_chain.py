"""The access log's integrity: the hash chain, the database triggers, signed checkpoints, and
``portal audit verify`` naming each kind of tampering."""

from __future__ import annotations

import itertools
import os
import stat
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from portal.audit import record
from portal.audit.chain import check_chain, event_hash
from portal.audit.models import GENESIS_HASH, AccessEvent, AuditChainHead
from portal.db import db


@pytest.fixture
def keys(app, tmp_path):
    """Checkpoint folder and a key pair made by ``portal audit keygen``."""
    app.config["AUDIT_CHECKPOINT_DIR"] = str(tmp_path / "checkpoints")
    app.config["AUDIT_SIGNING_KEY_FILE"] = str(tmp_path / "secret" / "audit-signing.key")
    result = app.test_cli_runner().invoke(args=["audit", "keygen"])
    assert result.exit_code == 0, result.output
    return tmp_path


def add_events(app, n: int) -> None:
    with app.app_context():
        for i in range(n):
            record("test.event", object_type="thing", object_id=i, detail={"n": i})
        db.session.commit()


def rows(db_session) -> list[AccessEvent]:
    db_session.expire_all()
    return list(db_session.exec(select(AccessEvent).order_by(AccessEvent.seq)).all())


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def drop_triggers(connection) -> None:
    """What an intruder with database rights does first."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE access_events DISABLE TRIGGER USER"))
        connection.execute(text("ALTER TABLE audit_chain_head DISABLE TRIGGER USER"))
    else:
        for name in (
            "access_events_no_update",
            "access_events_no_delete",
            "audit_chain_head_forward",
            "audit_chain_head_no_delete",
        ):
            connection.execute(text(f"DROP TRIGGER {name}"))


# --- the chain, pure ------------------------------------------------------------------------


def _row(seq: int, prev: str, **fields) -> SimpleNamespace:
    from datetime import UTC, datetime

    row = SimpleNamespace(
        id=seq,
        seq=seq,
        occurred_at=datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=UTC),
        actor_id=7,
        actor_label="a@example.jp",
        role="staff",
        action="document.view",
        object_type="contract_document",
        object_id=str(seq),
        outcome="ok",
        address="192.0.2.1",
        request_id="req",
        detail='{"k":"値"}',
        prev_hash=prev,
        hash="",
    )
    for key, value in fields.items():
        setattr(row, key, value)
    row.hash = event_hash(row, prev)
    return row


def _chain(n: int) -> list[SimpleNamespace]:
    out, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        out.append(_row(seq, prev))
        prev = out[-1].hash
    return out


def _check(chain):
    by_hash = {r.hash: r.seq for r in chain}
    return check_chain(chain, genesis=GENESIS_HASH, seq_of_hash=by_hash.get)


def test_every_field_is_in_the_hash():
    base = _row(1, GENESIS_HASH)
    for name, value in [
        ("actor_id", 8),
        ("actor_label", "b@example.jp"),
        ("role", "admin"),
        ("action", "document.download"),
        ("object_type", "x"),
        ("object_id", "2"),
        ("outcome", "denied"),
        ("address", "192.0.2.2"),
        ("request_id", "other"),
        ("detail", "{}"),
    ]:
        assert _row(1, GENESIS_HASH, **{name: value}).hash != base.hash, name
    assert _row(1, "f" * 64).hash != base.hash


def test_an_intact_chain_has_no_problems():
    summary, problems = _check(_chain(5))
    assert problems == [] and summary.count == 5 and summary.head_seq == 5


def test_the_pure_check_names_edit_deletion_and_reordering():
    chain = _chain(5)
    chain[2].outcome = "denied"
    assert [(p.kind, p.seq) for p in _check(chain)[1]] == [("edited", 3)]

    chain = _chain(5)
    del chain[2]
    assert [(p.kind, p.seq) for p in _check(chain)[1]] == [("deleted", 3)]

    chain = _chain(5)
    chain[1], chain[2] = chain[2], chain[1]
    chain[1].seq, chain[2].seq = 2, 3  # renumbered to hide the swap
    kinds = {p.kind for p in _check(chain)[1]}
    assert kinds == {"reordered"}


# --- the database refuses changes -----------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE access_events SET outcome = 'ok', action = 'changed'",
        "DELETE FROM access_events",
        "UPDATE audit_chain_head SET seq = 0",
        "DELETE FROM audit_chain_head",
    ],
)
def test_the_database_refuses_update_and_delete(app, connection, statement):
    add_events(app, 2)
    savepoint = connection.begin_nested()
    with pytest.raises(DBAPIError) as raised:
        connection.execute(text(statement))
    savepoint.rollback()
    message = str(raised.value)
    assert "append-only" in message or "only moves forward" in message
    assert connection.execute(text("SELECT count(*) FROM access_events")).scalar() >= 2


def test_the_database_refuses_truncate_on_postgresql(app, connection):
    if connection.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    add_events(app, 1)
    savepoint = connection.begin_nested()
    with pytest.raises(DBAPIError):
        connection.execute(text("TRUNCATE access_events"))
    savepoint.rollback()


# --- appending ------------------------------------------------------------------------------


def test_appends_link_each_event_to_the_previous_one(app, db_session):
    add_events(app, 4)
    chain = rows(db_session)
    assert [r.seq for r in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    head = db_session.get(AuditChainHead, 1)
    db_session.refresh(head)
    assert (head.seq, head.hash) == (chain[-1].seq, chain[-1].hash)
    assert chain[-1].address == "cli" and chain[-1].detail == '{"n":3}'


def test_concurrent_appends_do_not_fork_the_chain(engine, tmp_path):
    """Real concurrent transactions on the real database (committed: the chain stays valid)."""
    from portal import create_app
    from portal.audit.operations import _event_fields, append_event
    from portal_testing import base_config

    app = create_app({**base_config(tmp_path), "DATABASE_ENGINE": engine})
    with engine.connect() as conn:
        start = conn.execute(text("SELECT seq FROM audit_chain_head")).scalar()

    def worker(i: int) -> None:
        with app.app_context():
            for j in range(5):
                fields = _event_fields(
                    "test.concurrent",
                    object_type="w",
                    object_id=f"{i}-{j}",
                    outcome="ok",
                    detail=None,
                    actor=None,
                )
                append_event(session=db.session, **fields)
                db.session.commit()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(worker, range(4)))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        new = db.session.exec(
            select(AccessEvent).where(AccessEvent.seq > start).order_by(AccessEvent.seq)
        ).all()
    assert result.exit_code == 0, result.output
    assert [e.seq for e in new] == list(range(start + 1, start + 21))
    assert len({e.object_id for e in new}) == 20


# --- verify and checkpoints -----------------------------------------------------------------


def test_verify_passes_on_an_untouched_log_and_checks_checkpoints(app, keys):
    add_events(app, 3)
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    add_events(app, 2)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "access log OK" in result.output and "1 checkpoint(s)" in result.output


def test_keygen_writes_a_private_key_only_its_owner_reads(keys):
    key = keys / "secret" / "audit-signing.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (
        (keys / "checkpoints" / "audit-signing.pub").read_bytes().startswith(b"-----BEGIN PUBLIC")
    )


def test_keygen_never_overwrites_a_key(app, keys):
    result = app.test_cli_runner().invoke(args=["audit", "keygen"])
    assert result.exit_code != 0 and "refusing to overwrite" in result.output


def test_checkpoint_refuses_a_key_that_others_can_read(app, keys):
    os.chmod(keys / "secret" / "audit-signing.key", 0o644)
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code != 0 and "readable by others" in result.output


def test_verify_names_an_edited_record(app, connection, keys):
    add_events(app, 5)
    drop_triggers(connection)
    connection.execute(
        text("UPDATE access_events SET outcome = 'ok', actor_label = 'x' WHERE seq = 3")
    )
    result = verify(app)
    assert result.exit_code == 1
    assert "[edited] record seq=3" in result.output


def test_verify_names_a_deleted_record(app, connection, keys):
    add_events(app, 5)
    drop_triggers(connection)
    connection.execute(text("DELETE FROM access_events WHERE seq = 3"))
    result = verify(app)
    assert result.exit_code == 1
    assert "[deleted] record(s) seq=3 are missing" in result.output


def test_verify_names_a_deleted_record_hidden_by_renumbering(app, connection, keys):
    add_events(app, 5)
    drop_triggers(connection)
    connection.execute(text("DELETE FROM access_events WHERE seq = 3"))
    # In two steps: PostgreSQL checks the unique seq row by row, in whatever order it meets
    # the rows, so a one-statement shift down can collide with a row not yet moved.
    connection.execute(text("UPDATE access_events SET seq = -seq WHERE seq > 3"))
    connection.execute(text("UPDATE access_events SET seq = -seq - 1 WHERE seq < 0"))
    result = verify(app)
    assert result.exit_code == 1
    assert "[deleted] the record before seq=3" in result.output


def test_verify_names_reordered_records(app, connection, keys):
    add_events(app, 5)
    drop_triggers(connection)
    connection.execute(text("UPDATE access_events SET seq = -1 WHERE seq = 2"))
    connection.execute(text("UPDATE access_events SET seq = 2 WHERE seq = 3"))
    connection.execute(text("UPDATE access_events SET seq = 3 WHERE seq = -1"))
    result = verify(app)
    assert result.exit_code == 1
    assert "[reordered] record seq=2" in result.output
    assert "[edited]" not in result.output


def test_verify_detects_truncation_through_the_signed_checkpoint(app, connection, keys):
    add_events(app, 5)
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    drop_triggers(connection)
    last = connection.execute(text("SELECT max(seq) FROM access_events")).scalar()
    connection.execute(text("DELETE FROM access_events WHERE seq > :s"), {"s": last - 2})
    # A careful intruder also winds the head back; only the checkpoint is left to tell.
    connection.execute(
        text(
            "UPDATE audit_chain_head SET seq = :s, "
            "hash = (SELECT hash FROM access_events WHERE seq = :s)"
        ),
        {"s": last - 2},
    )
    result = verify(app)
    assert result.exit_code == 1
    assert f"[truncated] checkpoint line 1 (seq={last}" in result.output
    assert f"records seq={last - 1}..{last} were removed" in result.output


def test_verify_detects_truncation_through_the_chain_head(app, connection, keys):
    add_events(app, 4)
    drop_triggers(connection)
    last = connection.execute(text("SELECT max(seq) FROM access_events")).scalar()
    connection.execute(text("DELETE FROM access_events WHERE seq = :s"), {"s": last})
    result = verify(app)
    assert result.exit_code == 1
    assert f"[truncated] the chain head says seq={last}" in result.output


def test_verify_detects_a_rewritten_chain_behind_a_checkpoint(app, connection, keys):
    """Rewriting a record and recomputing every hash after it is caught by the signature."""
    add_events(app, 3)
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    drop_triggers(connection)
    chain = rows_via(connection)
    prev = GENESIS_HASH
    for row in chain:
        if row.seq == 2:
            row.actor_label = "someone-else"
        row.hash = event_hash(row, prev)
        connection.execute(
            text(
                "UPDATE access_events SET actor_label = :a, prev_hash = :p, hash = :h "
                "WHERE seq = :s"
            ),
            {"a": row.actor_label, "p": prev, "h": row.hash, "s": row.seq},
        )
        prev = row.hash
    result = verify(app)
    assert result.exit_code == 1
    assert "the chain was rewritten up to here" in result.output


def rows_via(connection) -> list[SimpleNamespace]:
    from sqlmodel import Session

    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        loaded = session.exec(select(AccessEvent).order_by(AccessEvent.seq)).all()
        return [SimpleNamespace(**event.model_dump()) for event in loaded]


def test_verify_rejects_a_forged_checkpoint(app, keys):
    add_events(app, 2)
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    path = keys / "checkpoints" / "checkpoints.jsonl"
    path.write_text(path.read_text().replace('"seq": ', '"seq": 1', 1))
    result = verify(app)
    assert result.exit_code == 1
    assert "the signature is not valid" in result.output


def test_verify_warns_without_checkpoints(app, keys):
    add_events(app, 1)
    result = verify(app)
    assert result.exit_code == 0
    assert "truncation cannot be detected" in result.output


def test_checkpoint_refuses_to_sign_a_tampered_chain(app, connection, keys):
    add_events(app, 3)
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    add_events(app, 3)
    drop_triggers(connection)
    last = connection.execute(text("SELECT max(seq) FROM access_events")).scalar()
    connection.execute(
        text("UPDATE access_events SET outcome = 'denied' WHERE seq = :s"), {"s": last - 1}
    )
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code != 0
    assert f"refusing to sign a tampered chain: record seq={last - 1}" in result.output
    lines = (keys / "checkpoints" / "checkpoints.jsonl").read_text().splitlines()
    assert len(lines) == 1


def test_a_checkpoint_of_the_empty_chain_verifies(app, keys):
    """The first checkpoint of a new installation signs seq 0 and the genesis hash."""
    from portal.audit.checkpoints import append_checkpoint, load_private_key

    append_checkpoint(
        directory=keys / "checkpoints",
        key=load_private_key(keys / "secret" / "audit-signing.key"),
        seq=0,
        head_hash=GENESIS_HASH,
        signed_at="2026-11-24T00:00:00.000000Z",
    )
    add_events(app, 1)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "1 checkpoint(s) verified" in result.output


def test_the_web_role_cannot_change_the_access_log_even_without_triggers(app, connection):
    """Defence in depth on PostgreSQL: the web's role may append but never update or delete."""
    if connection.dialect.name != "postgresql":
        pytest.skip("roles and grants are a PostgreSQL matter")
    from portal.migrate import grant_web_role

    add_events(app, 1)
    role = f"itaku_web_{uuid.uuid4().hex[:8]}"
    connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))  # rolled back with the test
    statements = grant_web_role(connection, role)  # on the test's connection: rolled back too
    assert any("REVOKE UPDATE, DELETE, TRUNCATE ON access_events" in s for s in statements)
    drop_triggers(connection)  # what the table's owner could do: the role still may not
    connection.execute(text(f"SET ROLE {role}"))
    try:
        assert connection.execute(text("SELECT count(*) FROM access_events")).scalar() >= 1
        for statement in (
            "UPDATE access_events SET action = 'x'",
            "DELETE FROM access_events",
            "TRUNCATE access_events",
        ):
            savepoint = connection.begin_nested()
            with pytest.raises(DBAPIError, match="permission denied"):
                connection.execute(text(statement))
            savepoint.rollback()
    finally:
        connection.execute(text("RESET ROLE"))


def test_grant_web_role_is_refused_on_sqlite(app, connection):
    if connection.dialect.name != "sqlite":
        pytest.skip("only SQLite has no roles")
    result = app.test_cli_runner().invoke(args=["db", "grant-web-role", "web"])
    assert result.exit_code != 0 and "PostgreSQL" in result.output
