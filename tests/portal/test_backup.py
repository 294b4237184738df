"""Backups: a populated instance backed up, restored into an empty one, and compared.

Each test builds its own instances (database file or PostgreSQL database, storage, keys)
rather than using the shared rolled-back test database: a restore replaces a whole database.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import struct
import tarfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sized_pdfs import pdf_with_payload
from sqlalchemy import Engine, text
from sqlmodel import select

from portal import audit, create_app, demo, migrate
from portal.backup import database, space
from portal.backup.crypto import (
    CHUNK_SIZE,
    BackupAuthenticationError,
    DecryptingReader,
    EncryptingWriter,
)
from portal.backup.operations import (
    SUFFIX,
    BackupError,
    check_backup,
)
from portal.backup.restore import restore_backup, verify_restored
from portal.db import transaction
from portal.models import Outsourcing, User
from portal.reviews.models import ContractDocument
from portal.reviews.operations import upload_document
from portal.storage import Storage, get_storage, new_key_entry, parse_keys
from portal_testing import (
    base_config,
    moto_server,
    need_service,
    sign_in,
    tcp_reachable,
    tiny_filesystem,
)

STORAGE_KEY = new_key_entry("st1")
BACKUP_KEY = new_key_entry("bk1")
# Larger than one backup chunk, so that archives have several chunks to tamper with.
# Readable PDFs (an upload opens the file before storing it) with random content.
BIG_PDF = pdf_with_payload(CHUNK_SIZE + 4321)
SMALL_PDF = pdf_with_payload(2000)


# --- instances --------------------------------------------------------------------------


def make_instance(root: Path, **settings: Any) -> Flask:
    """A portal with its own database file (unless given), storage and keys under ``root``."""
    config = {
        **base_config(root),
        "DATABASE_URL": f"sqlite:///{root / 'db' / 'portal.db'}",
        "STORAGE_KEY": STORAGE_KEY,
        "BACKUP_KEY": BACKUP_KEY,
        **settings,
    }
    (root / "db").mkdir(parents=True, exist_ok=True)
    return create_app(config)


def engine_of(app: Flask) -> Engine:
    return app.extensions["portal.db"]


def storage_of(app: Flask) -> Storage:
    return app.extensions["portal.storage"]


def populate(app: Flask) -> dict[str, bytes]:
    """Migrations, the demo municipality, and two contract PDFs in the storage."""
    migrate.upgrade(engine_of(app))
    with app.app_context(), transaction() as session:
        demo.load(session=session)
        staff = session.exec(select(User).where(User.role == "admin")).first()
        nodes = session.exec(select(Outsourcing).order_by(Outsourcing.id)).all()[:2]
        uploaded = {}
        for node, data in zip(nodes, (BIG_PDF, SMALL_PDF), strict=True):
            document = upload_document(
                session=session,
                storage=get_storage(),
                actor=staff,
                outsourcing=node,
                stream=io.BytesIO(data),
                filename=f"契約書{node.id}.pdf",
            )
            uploaded[document.storage_key] = data
            audit.record(
                "document.upload",
                object_type="contract_document",
                object_id=document.id,
                actor=staff,
                session=session,
            )
    return uploaded


def counts(app: Flask) -> dict[str, int]:
    with engine_of(app).connect() as connection:
        return database.row_counts(connection)


def stored_hashes(storage: Storage) -> dict[str, str]:
    """SHA-256 of every object's stored bytes (for LocalStorage: the encrypted file)."""
    hashes = {}
    for key in storage.iter_keys():
        _size, stream = storage.open_stored(key)
        with contextlib.closing(stream):
            hashes[key] = hashlib.sha256(stream.read()).hexdigest()
    return hashes


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def backup(app: Flask, destination: Path) -> Path:
    result = run(app, "backup", "--to", str(destination))
    assert result.exit_code == 0, result.output
    (path,) = sorted(destination.glob(f"*{SUFFIX}"))
    return path


def assert_restored(source: Flask, restored: Flask, manifest: dict) -> None:
    """Every table's row count and every stored object's hash equal the source's."""
    source_counts, restored_counts = counts(source), counts(restored)
    assert restored_counts == source_counts
    assert source_counts["users"] > 0 and source_counts["contract_documents"] == 2
    assert source_counts["access_events"] >= 2
    source_files = stored_hashes(storage_of(source))
    assert len(source_files) == 2
    assert stored_hashes(storage_of(restored)) == source_files
    problems = verify_restored(
        engine=engine_of(restored), storage=storage_of(restored), manifest=manifest
    )
    assert problems == []


def assert_is_empty(app: Flask) -> None:
    assert database.rows_in(engine_of(app)) == {}
    assert list(storage_of(app).iter_keys()) == []


def assert_serves_documents(app: Flask, uploaded: dict[str, bytes]) -> None:
    """The restored portal signs the chief in and hands out the restored contracts."""
    client = app.test_client()
    assert sign_in(client, "chief@demo.example.jp", demo.DEMO_PASSWORD).status_code == 302
    assert client.get("/outsourcings/tree").status_code == 200
    with app.app_context():
        from portal.db import db

        documents = db.session.exec(select(ContractDocument)).all()
    assert {d.storage_key for d in documents} == set(uploaded)
    for document in documents:
        response = client.get(f"/documents/{document.id}/download")
        assert response.status_code == 200
        assert response.get_data() == uploaded[document.storage_key]


@pytest.fixture
def source(tmp_path: Path) -> tuple[Flask, dict[str, bytes]]:
    app = make_instance(tmp_path / "source")
    return app, populate(app)


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "offsite" / "backups"


# --- SQLite round trip ------------------------------------------------------------------


def test_round_trip_on_sqlite_restores_every_table_and_file(source, backups, tmp_path):
    app, uploaded = source
    path = backup(app, backups)
    assert path.stat().st_mode & 0o777 == 0o600
    # The backup does not contain the plaintext of any stored file, nor of the database.
    sealed = path.read_bytes()
    assert SMALL_PDF[30:200] not in sealed and b"SQLite format 3" not in sealed

    target = make_instance(tmp_path / "target")
    assert_is_empty(target)
    result = run(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert "verified" in result.output

    manifest = check_backup(path=path, keys=parse_keys(BACKUP_KEY))
    assert_restored(app, target, manifest)
    assert_serves_documents(target, uploaded)


def test_a_backup_taken_while_the_portal_writes_is_consistent(source, backups, tmp_path):
    """SQLite's online backup: rows keep arriving during the backup, and the manifest's
    counts describe exactly the copy that was taken (verified after the restore)."""
    app, _ = source
    engine = engine_of(app)
    done = threading.Event()
    written = []

    def keep_writing() -> None:
        while not done.is_set():
            with engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO divisions (name, sort_order) VALUES (:name, 0)"),
                    {"name": f"書き込み中{len(written)}"},
                )
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:
            writer.join(0.01)
        path = backup(app, backups)
    finally:
        done.set()
        writer.join()
    manifest = check_backup(path=path, keys=parse_keys(BACKUP_KEY))
    assert manifest["database"]["tables"]["divisions"] >= 5
    target = make_instance(tmp_path / "target")
    result = run(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert counts(target)["divisions"] == manifest["database"]["tables"]["divisions"]


def test_manifest_describes_the_backup(source, backups):
    app, uploaded = source
    path = backup(app, backups)
    manifest = check_backup(path=path, keys=parse_keys(BACKUP_KEY))
    assert manifest["database"]["dialect"] == "sqlite"
    assert manifest["database"]["tables"] == counts(app)
    with engine_of(app).connect() as connection:
        assert manifest["alembic_revision"] == database.alembic_revision(connection)
    assert manifest["created_at"].endswith("Z") and manifest["app_version"]
    files = {key: Path(app.config["STORAGE_DIR"]) / key for key in sorted(uploaded)}
    assert manifest["storage"] == {
        "backend": "local",
        "key_ids": ["st1"],
        "objects": [
            {
                "key": key,
                "size": path.stat().st_size,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
            for key, path in files.items()
        ],
    }


def test_restore_into_a_migrated_but_empty_instance(source, backups, tmp_path):
    app, uploaded = source
    path = backup(app, backups)
    target = make_instance(tmp_path / "target")
    migrate.upgrade(engine_of(target))  # `portal db upgrade` before the restore
    result = run(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    manifest = check_backup(path=path, keys=parse_keys(BACKUP_KEY))
    assert_restored(app, target, manifest)
    assert_serves_documents(target, uploaded)


def test_verify_restored_reports_a_missing_row_and_a_changed_file(source, backups, tmp_path):
    app, _uploaded = source
    path = backup(app, backups)
    target = make_instance(tmp_path / "target")
    keys = parse_keys(BACKUP_KEY)
    result = restore_backup(
        engine=engine_of(target),
        storage=storage_of(target),
        config=target.config,
        path=path,
        keys=keys,
    )
    with target.app_context(), transaction() as session:
        demo.create_division(session=session, name="復元後の部", sort_order=99)
    key = next(iter(storage_of(target).iter_keys()))
    stored = Path(target.config["STORAGE_DIR"]) / key
    stored.write_bytes(stored.read_bytes()[:-1] + b"\0")
    problems = verify_restored(
        engine=engine_of(target), storage=storage_of(target), manifest=result.manifest
    )
    assert any(key in p and "SHA-256" in p for p in problems), problems
    assert any("divisions" in p for p in problems), problems


def test_verify_restored_reports_a_broken_access_record_chain(source, backups, tmp_path):
    """Someone who drops the trigger and edits a restored access record is found out."""
    app, _uploaded = source
    path = backup(app, backups)
    target = make_instance(tmp_path / "target")
    result = restore_backup(
        engine=engine_of(target),
        storage=storage_of(target),
        config=target.config,
        path=path,
        keys=parse_keys(BACKUP_KEY),
    )
    assert (
        verify_restored(
            engine=engine_of(target), storage=storage_of(target), manifest=result.manifest
        )
        == []
    )
    with engine_of(target).begin() as connection:
        connection.execute(text("DROP TRIGGER access_events_no_update"))
        connection.execute(text("UPDATE access_events SET object_id = '999' WHERE seq = 1"))
    problems = verify_restored(
        engine=engine_of(target), storage=storage_of(target), manifest=result.manifest
    )
    assert any("アクセス記録 (edited, seq=1)" in p for p in problems), problems


# --- refusals ---------------------------------------------------------------------------


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_tampered_backup_is_refused_and_nothing_is_written(source, backups, tmp_path):
    app, _ = source
    path = backup(app, backups)
    # A byte late in the file: the database copy (first) would already have been read.
    flip_byte(path, path.stat().st_size - 100)
    target = make_instance(tmp_path / "target")
    result = run(target, "restore", str(path))
    assert result.exit_code != 0
    assert "認証に失敗" in result.output
    assert_is_empty(target)
    assert not (tmp_path / "target" / "db" / "portal.db").exists() or counts(target) == {}
    verify = run(target, "backup", "verify", str(path))
    assert verify.exit_code != 0 and "認証に失敗" in verify.output


def test_a_truncated_backup_is_refused(source, backups, tmp_path):
    app, _ = source
    path = backup(app, backups)
    # Cut exactly after the first sealed chunk: every remaining chunk is intact, only the
    # "last chunk" mark betrays the truncation.
    data = path.read_bytes()
    header = 6 + 2 + data[7] + 8
    (length,) = struct.unpack(">I", data[header : header + 4])
    path.write_bytes(data[: header + 4 + length])
    target = make_instance(tmp_path / "target")
    result = run(target, "restore", str(path))
    assert result.exit_code != 0 and "途中で切れている" in result.output
    assert_is_empty(target)


def test_a_backup_is_refused_with_the_wrong_key(source, backups, tmp_path):
    app, _ = source
    path = backup(app, backups)
    # The same key id with other key bytes, then a key id that is not configured at all.
    other = make_instance(tmp_path / "other", BACKUP_KEY=new_key_entry("bk1"))
    result = run(other, "restore", str(path))
    assert result.exit_code != 0 and "認証に失敗" in result.output
    assert_is_empty(other)
    stranger = make_instance(tmp_path / "stranger", BACKUP_KEY=new_key_entry("bk2"))
    result = run(stranger, "restore", str(path))
    assert result.exit_code != 0 and "'bk1'" in result.output
    assert_is_empty(stranger)


def test_a_backup_is_refused_by_an_instance_holding_data(source, backups, tmp_path):
    app, _ = source
    path = backup(app, backups)
    target = make_instance(tmp_path / "target")
    migrate.upgrade(engine_of(target))
    with target.app_context(), transaction() as session:
        demo.load(session=session)
    before = counts(target)
    result = run(target, "restore", str(path))
    assert result.exit_code != 0 and "空ではありません" in result.output
    assert "users" in result.output
    assert counts(target) == before
    assert list(storage_of(target).iter_keys()) == []


def test_a_backup_is_refused_by_an_instance_holding_files(source, backups, tmp_path):
    app, _ = source
    path = backup(app, backups)
    target = make_instance(tmp_path / "target")
    storage_of(target).put("documents/left-over.pdf", io.BytesIO(b"%PDF-1.7"))
    result = run(target, "restore", str(path))
    assert result.exit_code != 0 and "保存ファイルの場所が空ではありません" in result.output
    assert database.rows_in(engine_of(target)) == {}


@pytest.mark.parametrize("inside", ["storage", "db", "instance"])
def test_a_destination_inside_the_instance_is_refused(source, tmp_path, inside):
    app, _ = source
    place = {
        "storage": Path(app.config["STORAGE_DIR"]),
        "db": tmp_path / "source" / "db",
        "instance": Path(app.config["INSTANCE_DIR"]),
    }[inside]
    result = run(app, "backup", "--to", str(place / "backups"))
    assert result.exit_code != 0 and "重なっています" in result.output
    assert not (place / "backups").exists() or not list((place / "backups").iterdir())


def test_a_backup_key_equal_to_the_storage_key_is_refused(source, backups):
    app, _ = source
    app.config["BACKUP_KEY"] = STORAGE_KEY
    result = run(app, "backup", "--to", str(backups))
    assert result.exit_code != 0 and "PORTAL_STORAGE_KEY" in result.output
    app.config["BACKUP_KEY"] = ""
    result = run(app, "backup", "--to", str(backups))
    assert result.exit_code != 0 and "PORTAL_BACKUP_KEY が設定されていません" in result.output
    assert not backups.exists() or not list(backups.iterdir())


# --- a full disk -------------------------------------------------------------------------
# A real tmpfs where the test can mount one (root, as in CI); elsewhere the fault is injected
# at the write call. Either way: a Japanese message naming the place and the space it needed
# and had, no traceback, and nothing left behind.

FULL = "の空き容量が不足しています（必要 約"


def assert_clean_refusal(result, place_label: str) -> None:
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, OSError)  # a message, not a traceback
    assert "Traceback" not in result.output
    assert f"{place_label} " in result.output and FULL in result.output
    assert "MB、空き " in result.output and " MB）" in result.output


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_backup_larger_than_the_free_space_is_refused_up_front(source, tmp_path):
    app, _ = source
    with tiny_filesystem(tmp_path / "small", "256k") as small:
        result = run(app, "backup", "--to", str(small / "backups"))
        assert_clean_refusal(result, "バックアップ先")
        assert leftovers(small) == []


def test_a_disk_that_fills_while_the_backup_is_written_is_caught(source, tmp_path, monkeypatch):
    app, _ = source
    monkeypatch.setattr(space, "require", lambda needs: None)  # the estimate said it fits
    with tiny_filesystem(tmp_path / "small", "256k") as small:
        result = run(app, "backup", "--to", str(small / "backups"))
        assert_clean_refusal(result, "バックアップ先")
        assert leftovers(small) == []


def test_a_full_disk_at_the_last_write_is_caught(source, backups, monkeypatch):
    # The case seen in the field: ENOSPC from writer.close() (no mount needed here).
    app, _ = source

    def full(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(EncryptingWriter, "close", full)
    result = run(app, "backup", "--to", str(backups))
    assert_clean_refusal(result, "バックアップ先")
    assert leftovers(backups) == []


def schema_of(app: Flask) -> tuple[list[str], list[str]]:
    with engine_of(app).connect() as connection:
        return database.table_names(connection), database.alembic_revision(connection)


@pytest.mark.parametrize("checked_up_front", [True, False])
def test_a_restore_into_a_full_storage_leaves_the_target_as_it_was(
    source, backups, tmp_path, monkeypatch, checked_up_front
):
    app, _ = source
    path = backup(app, backups)
    with tiny_filesystem(tmp_path / "small", "256k") as small:
        target = make_instance(tmp_path / "target", STORAGE_DIR=str(small / "storage"))
        migrate.upgrade(engine_of(target))
        before = schema_of(target)
        assert len(before[0]) > 20 and before[1]
        if not checked_up_front:
            monkeypatch.setattr(space, "require", lambda needs: None)
        result = run(target, "restore", str(path))
        assert_clean_refusal(result, "保存ファイルの場所")
        # Exactly as before: the migrated, empty schema is still there; no file is left.
        assert schema_of(target) == before
        assert_is_empty(target)
        assert leftovers(small) == []


def test_a_restore_failing_in_the_database_step_keeps_the_target_schema(
    source, backups, tmp_path, monkeypatch
):
    app, _ = source
    path = backup(app, backups)
    target = make_instance(tmp_path / "target")
    migrate.upgrade(engine_of(target))
    before = schema_of(target)

    def restore_then_fill(engine, source_path, dialect):
        database.clear(engine)  # what a half-done restore leaves behind
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE half_restored (id INTEGER)"))
        raise OSError(28, "No space left on device", str(tmp_path / "target" / "db" / "x"))

    monkeypatch.setattr(database, "restore", restore_then_fill)
    result = run(target, "restore", str(path))
    assert_clean_refusal(result, "データベースのフォルダ")
    assert schema_of(target) == before
    assert_is_empty(target)


def test_the_first_backup_into_a_new_folder_is_warned_about_a_shared_file_system(source, tmp_path):
    app, _ = source
    result = run(app, "backup", "--to", str(tmp_path / "new" / "backups"))
    assert result.exit_code == 0, result.output
    warning = "注意: バックアップ先は保存ファイルのフォルダと同じファイルシステムにあります"
    assert warning in result.output


def rewrite_manifest(path: Path, change) -> None:
    """Re-seal the backup with the right key after ``change(manifest)`` (a lying backup)."""
    keys = parse_keys(BACKUP_KEY)
    members = []
    with (
        path.open("rb") as raw,
        tarfile.open(fileobj=DecryptingReader(raw, keys), mode="r|") as tar,
    ):
        for member in tar:
            members.append((member.name, tar.extractfile(member).read()))
    out = io.BytesIO()
    writer = EncryptingWriter(out, "bk1", keys["bk1"])
    with tarfile.open(fileobj=writer, mode="w|") as tar:
        for name, data in members:
            if name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    writer.close()
    path.write_bytes(out.getvalue())


def test_a_restore_that_does_not_verify_is_undone(source, backups, tmp_path):
    app, _ = source
    path = backup(app, backups)

    def one_user_more(manifest):
        manifest["database"]["tables"]["users"] += 1

    rewrite_manifest(path, one_user_more)
    target = make_instance(tmp_path / "target")
    migrate.upgrade(engine_of(target))
    result = run(target, "restore", str(path))
    assert result.exit_code != 0 and "テーブル users" in result.output
    # Everything written was taken back: the target is empty again, ready for a retry.
    assert_is_empty(target)


def test_a_backup_from_a_newer_schema_is_refused(source, backups, tmp_path):
    app, _ = source
    with engine_of(app).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    path = backup(app, backups)
    target = make_instance(tmp_path / "target")
    result = run(target, "restore", str(path))
    assert result.exit_code != 0 and "ffffffffffff" in result.output
    assert_is_empty(target)


def test_a_backup_from_an_older_schema_is_restored_then_upgraded(tmp_path, backups):
    older = make_instance(tmp_path / "older")
    migrate.upgrade(engine_of(older), "5f0f20e84d82")
    path = backup(older, backups)
    target = make_instance(tmp_path / "target")
    result = run(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert "migrations applied" in result.output
    with engine_of(target).connect() as connection:
        from alembic.script import ScriptDirectory

        heads = ScriptDirectory.from_config(migrate.alembic_config(engine_of(target))).get_heads()
        assert database.alembic_revision(connection) == sorted(heads)


def test_retention_keeps_the_newest_backups(source, backups):
    app, _ = source
    assert run(app, "backup").exit_code != 0  # no destination configured: a clear error
    app.config.update(BACKUP_DIR=str(backups), BACKUP_KEEP=2)  # PORTAL_BACKUP_DIR / _KEEP
    for _ in range(3):
        assert run(app, "backup").exit_code == 0
    assert len(list(backups.glob(f"*{SUFFIX}"))) == 2
    assert run(app, "backup", "--keep", "1").exit_code == 0
    kept = sorted(backups.glob(f"*{SUFFIX}"))
    assert len(kept) == 1
    for path in kept:
        check_backup(path=path, keys=parse_keys(BACKUP_KEY))
    assert not list(backups.glob(".*partial"))


def test_backup_verify_reports_a_good_backup(source, backups):
    app, _ = source
    path = backup(app, backups)
    result = run(app, "backup", "verify", str(path))
    assert result.exit_code == 0 and "backup ok" in result.output
    assert run(app, "restore", "--check", str(path)).exit_code == 0
    # What the nightly timer runs after the backup: the newest file in PORTAL_BACKUP_DIR.
    app.config["BACKUP_DIR"] = str(backups)
    result = run(app, "backup", "verify", "--latest")
    assert result.exit_code == 0 and path.name in result.output
    flip_byte(path, 200)
    result = run(app, "backup", "verify", "--latest")
    assert result.exit_code != 0 and "認証に失敗" in result.output


def test_the_backup_key_can_be_rotated(source, backups, tmp_path):
    app, _ = source
    path = backup(app, backups)
    # A new key seals new backups; the old one, listed after it, still opens old ones.
    rotated = make_instance(tmp_path / "target", BACKUP_KEY=f"{new_key_entry('bk2')},{BACKUP_KEY}")
    assert run(rotated, "backup", "verify", str(path)).exit_code == 0
    with pytest.raises(BackupError):
        check_backup(path=path, keys=parse_keys(new_key_entry("bk2")))


# --- the encrypted stream ---------------------------------------------------------------


def _sealed(data: bytes) -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, "k", b"\1" * 32)
    writer.write(data)
    writer.close()
    return out.getvalue()


def _records(sealed: bytes) -> tuple[bytes, list[bytes]]:
    header_length = 6 + 2 + sealed[7] + 8
    header, rest, records = sealed[:header_length], sealed[header_length:], []
    while rest:
        (length,) = struct.unpack(">I", rest[:4])
        records.append(rest[: 4 + length])
        rest = rest[4 + length :]
    return header, records


def _open(sealed: bytes) -> bytes:
    return DecryptingReader(io.BytesIO(sealed), {"k": b"\1" * 32}).read()


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE + 7])
def test_the_stream_round_trips(size):
    data = os.urandom(size)
    assert _open(_sealed(data)) == data


def test_the_stream_refuses_dropped_reordered_or_appended_chunks():
    header, records = _records(_sealed(os.urandom(3 * CHUNK_SIZE + 5)))
    assert len(records) == 4
    for changed in (
        records[:3],  # the last chunk dropped
        [records[0], records[2], records[1], records[3]],  # reordered
        [*records, records[3]],  # a chunk appended
    ):
        with pytest.raises(BackupAuthenticationError):
            _open(header + b"".join(changed))


# --- PostgreSQL -------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"itaku_backup_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_server() -> str:
    server_url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("PORTAL_TEST_DATABASE_URL is not set")
    if not tcp_reachable(server_url, 5432):
        need_service("PostgreSQL", f"{server_url} does not answer")
    return server_url


@pytest.mark.postgres
def test_round_trip_on_postgresql(postgres_server, tmp_path, backups):
    server_url = postgres_server
    with fresh_database(server_url) as source_url, fresh_database(server_url) as target_url:
        app = make_instance(tmp_path / "source", DATABASE_URL=source_url)
        uploaded = populate(app)
        path = backup(app, backups)
        manifest = check_backup(path=path, keys=parse_keys(BACKUP_KEY))
        assert manifest["database"]["dialect"] == "postgresql"
        assert manifest["database"]["member"] == "database/portal.pgdump"

        target = make_instance(tmp_path / "target", DATABASE_URL=target_url)
        result = run(target, "restore", str(path))
        assert result.exit_code == 0, result.output
        assert_restored(app, target, manifest)
        assert_serves_documents(target, uploaded)
        # Sequences came back too: a new row gets a fresh id.
        with target.app_context(), transaction() as session:
            demo.create_division(session=session, name="復元後の部", sort_order=99)
        # A second restore into the now-filled database is refused.
        again = run(target, "restore", str(path))
        assert again.exit_code != 0 and "空ではありません" in again.output
        engine_of(app).dispose()
        engine_of(target).dispose()


@pytest.mark.postgres
def test_postgresql_restore_failing_in_the_database_step_keeps_the_target_schema(
    postgres_server, tmp_path, backups, monkeypatch
):
    server_url = postgres_server
    with fresh_database(server_url) as source_url, fresh_database(server_url) as target_url:
        app = make_instance(tmp_path / "source", DATABASE_URL=source_url)
        populate(app)
        path = backup(app, backups)
        target = make_instance(tmp_path / "target", DATABASE_URL=target_url)
        migrate.upgrade(engine_of(target))
        before = schema_of(target)
        restore = database.restore

        def restore_then_fail(engine, source_path, dialect):
            restore(engine, source_path, dialect)  # the whole dump is in, triggers included
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(database, "restore", restore_then_fail)
        result = run(target, "restore", str(path))
        assert result.exit_code == 1 and FULL in result.output
        assert schema_of(target) == before
        assert_is_empty(target)
        # The rebuilt schema has its append-only triggers again.
        with engine_of(target).connect() as connection:
            triggers = connection.execute(
                text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).scalars()
            assert "access_events_no_change" in set(triggers)
        engine_of(app).dispose()
        engine_of(target).dispose()


APPEND_ONLY = (
    """CREATE OR REPLACE FUNCTION backup_test_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'append only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER divisions_append_only BEFORE UPDATE OR DELETE ON divisions
    FOR EACH ROW EXECUTE FUNCTION backup_test_append_only()""",
)


@pytest.mark.postgres
def test_postgresql_restore_keeps_trigger_functions(postgres_server, tmp_path, backups):
    """Like an append-only log's trigger: its function, made by a migration, exists in the
    migrated target too; the restore replaces it and the trigger works afterwards."""
    with (
        fresh_database(postgres_server) as source_url,
        fresh_database(postgres_server) as target_url,
    ):
        app = make_instance(tmp_path / "source", DATABASE_URL=source_url)
        populate(app)
        target = make_instance(tmp_path / "target", DATABASE_URL=target_url)
        migrate.upgrade(engine_of(target))
        for instance in (app, target):
            with engine_of(instance).begin() as connection:
                for statement in APPEND_ONLY:
                    connection.execute(text(statement))
        path = backup(app, backups)
        result = run(target, "restore", str(path))
        assert result.exit_code == 0, result.output
        assert counts(target) == counts(app)
        with pytest.raises(Exception, match="append only"), engine_of(target).begin() as connection:
            connection.execute(text("DELETE FROM divisions"))
        engine_of(app).dispose()
        engine_of(target).dispose()


# --- S3 ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


def s3_settings(endpoint: str, bucket: str) -> dict[str, Any]:
    return {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_PREFIX": "portal",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_ADDRESSING_STYLE": "path",
    }


def test_round_trip_with_s3_storage(moto_endpoint, tmp_path, backups):
    source_bucket, target_bucket = f"src-{uuid.uuid4().hex[:8]}", f"dst-{uuid.uuid4().hex[:8]}"
    app = make_instance(tmp_path / "source", **s3_settings(moto_endpoint, source_bucket))
    target = make_instance(tmp_path / "target", **s3_settings(moto_endpoint, target_bucket))
    for instance, bucket in ((app, source_bucket), (target, target_bucket)):
        storage_of(instance).client.create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    uploaded = populate(app)
    path = backup(app, backups)
    manifest = check_backup(path=path, keys=parse_keys(BACKUP_KEY))
    assert manifest["storage"]["backend"] == "s3"
    assert {o["key"] for o in manifest["storage"]["objects"]} == set(uploaded)

    result = run(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert_restored(app, target, manifest)
    assert_serves_documents(target, uploaded)
    # A local instance cannot take S3 objects: they are not sealed with a storage key.
    local = make_instance(tmp_path / "local")
    refused = run(local, "restore", str(path))
    assert refused.exit_code != 0 and "s3" in refused.output
