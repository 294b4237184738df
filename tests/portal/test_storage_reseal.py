"""Key rotation: ``portal storage reseal`` re-encrypts what an older key sealed, idempotently
and resumably, and reports counts."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from portal import create_app
from portal.storage import LocalStorage, StorageError, new_key_entry, parse_keys, reseal_all
from portal_testing import base_config

OLD = new_key_entry("old2025")
NEW = new_key_entry("new2026")
FILES = {f"documents/{n}.pdf": b"%PDF-1.7 " + os.urandom(200_000 + n) for n in range(3)}


@pytest.fixture
def storage_dir(tmp_path: Path) -> Path:
    """Three files sealed with the old key and one already with the new key."""
    root = tmp_path / "storage"
    old = LocalStorage(root, parse_keys(OLD))
    for key, data in FILES.items():
        old.put(key, io.BytesIO(data))
    LocalStorage(root, parse_keys(NEW)).put("inspections/1/photo", io.BytesIO(b"\xff\xd8\xffjpeg"))
    return root


@pytest.fixture
def rotated_runner(engine, connection, tmp_path: Path, storage_dir: Path):
    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_ENGINE": engine,
            "DATABASE_CONNECTION": connection,
            "STORAGE_DIR": str(storage_dir),
            "STORAGE_KEY": f"{NEW},{OLD}",  # the new key first: it seals from now on
        }
    )
    return app.test_cli_runner()


def _key_ids(root: Path) -> dict[str, str]:
    storage = LocalStorage(root, parse_keys(f"{NEW},{OLD}"))
    return {key: storage.key_id_of(key) for key in storage.stored_keys()}


def test_reseal_moves_every_old_file_to_the_new_key_and_reports(rotated_runner, storage_dir):
    dry = rotated_runner.invoke(args=["storage", "reseal", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would reseal 3, already current 1, failed 0" in dry.output
    assert set(_key_ids(storage_dir).values()) == {"old2025", "new2026"}  # nothing changed

    result = rotated_runner.invoke(args=["storage", "reseal"])
    assert result.exit_code == 0, result.output
    assert "objects by key before: new2026: 1, old2025: 3" in result.output
    assert "resealed 3, already current 1, failed 0" in result.output
    assert set(_key_ids(storage_dir).values()) == {"new2026"}

    # The old key can now be dropped: every file reads with the new key alone.
    new_only = LocalStorage(storage_dir, parse_keys(NEW))
    for key, data in FILES.items():
        assert new_only.read_bytes(key) == data

    again = rotated_runner.invoke(args=["storage", "reseal"])
    assert "resealed 0, already current 4, failed 0" in again.output


def test_an_interrupted_reseal_resumes_where_it_stopped(storage_dir):
    storage = LocalStorage(storage_dir, parse_keys(f"{NEW},{OLD}"))
    assert storage.reseal("documents/0.pdf") is True  # the run that was interrupted
    report = reseal_all(storage)
    assert (report.resealed, report.current, report.failed) == (2, 2, {})
    assert {storage.read_bytes(k) for k in FILES} == set(FILES.values())


def test_a_damaged_file_is_reported_and_left_as_it_was(rotated_runner, storage_dir):
    damaged = storage_dir / "documents" / "1.pdf"
    data = bytearray(damaged.read_bytes())
    data[-5] ^= 1  # the last chunk no longer authenticates: found only at the end of the read
    damaged.write_bytes(bytes(data))
    result = rotated_runner.invoke(args=["storage", "reseal"])
    assert result.exit_code != 0
    assert "resealed 2, already current 1, failed 1" in result.output
    assert "documents/1.pdf" in result.output
    assert damaged.read_bytes() == bytes(data)  # not replaced by a half-written copy
    assert not list(storage_dir.rglob(".upload-*"))
    with pytest.raises(StorageError):
        LocalStorage(storage_dir, parse_keys(f"{NEW},{OLD}")).read_bytes("documents/1.pdf")
