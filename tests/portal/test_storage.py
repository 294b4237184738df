"""Storage: local files encrypted at rest, and S3 against moto's standalone server."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.config import ConfigError, check_production_safety, load_config
from portal.storage import (
    CHUNK_SIZE,
    LocalStorage,
    S3Storage,
    StorageError,
    make_storage,
    new_key_entry,
    parse_keys,
)
from portal_testing import moto_server

BIG = os.urandom(3 * CHUNK_SIZE + 123)


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "files", parse_keys(new_key_entry("k1")))


def test_local_round_trip_is_encrypted_at_rest(local: LocalStorage, tmp_path: Path) -> None:
    stored = local.put("documents/abc.pdf", io.BytesIO(BIG))
    assert stored.size == len(BIG)
    assert stored.sha256 == hashlib.sha256(BIG).hexdigest()
    on_disk = (tmp_path / "files" / "documents" / "abc.pdf").read_bytes()
    assert BIG[:64] not in on_disk and on_disk.startswith(b"ITKENC")
    chunks = list(local.open("documents/abc.pdf"))
    assert len(chunks) > 1 and b"".join(chunks) == BIG


def test_local_empty_file(local: LocalStorage) -> None:
    assert local.put("documents/empty", io.BytesIO(b"")).size == 0
    assert local.read_bytes("documents/empty") == b""


def test_local_detects_tampering_and_truncation(local: LocalStorage, tmp_path: Path) -> None:
    local.put("documents/x", io.BytesIO(BIG))
    path = tmp_path / "files" / "documents" / "x"
    data = bytearray(path.read_bytes())
    data[200] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        local.read_bytes("documents/x")
    local.put("documents/y", io.BytesIO(BIG))
    path = tmp_path / "files" / "documents" / "y"
    whole = path.read_bytes()
    # Drop the last chunk: the ones left are intact, but none was sealed as the last one.
    path.write_bytes(whole[: len(whole) - (4 + (len(BIG) % CHUNK_SIZE) + 16)])
    with pytest.raises(StorageError):
        local.read_bytes("documents/y")


def test_key_rotation_keeps_old_files_readable(tmp_path: Path) -> None:
    old_entry = new_key_entry("old")
    old = LocalStorage(tmp_path, parse_keys(old_entry))
    old.put("documents/a", io.BytesIO(b"%PDF-1.7 old"))
    rotated = LocalStorage(tmp_path, parse_keys(f"{new_key_entry('new')},{old_entry}"))
    assert rotated.read_bytes("documents/a") == b"%PDF-1.7 old"
    assert rotated.key_id_of("documents/a") == "old"
    assert rotated.reseal("documents/a") is True
    assert rotated.key_id_of("documents/a") == "new"
    without_old = LocalStorage(tmp_path, {"new": rotated.keys["new"]})
    assert without_old.read_bytes("documents/a") == b"%PDF-1.7 old"
    with pytest.raises(StorageError):
        LocalStorage(tmp_path, parse_keys(new_key_entry("other"))).read_bytes("documents/a")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../b", "契約書.pdf", "A/B", ""])
def test_keys_never_escape_the_folder(local: LocalStorage, key: str) -> None:
    with pytest.raises(ValueError):
        local.put(key, io.BytesIO(b"x"))


def test_bad_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_keys("k1:c2hvcnQ")
    with pytest.raises(ValueError):
        parse_keys("")


def test_production_requires_a_storage_key() -> None:
    config = load_config(
        {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "x" * 10 + "Q7v9Zr2LmN4pW8sK1tY6bH3jD5"}
    )
    assert config["STORAGE_KEY"] == ""
    with pytest.raises(ConfigError, match="PORTAL_STORAGE_KEY"):
        check_production_safety(config)
    config["STORAGE_KEY"] = new_key_entry()
    check_production_safety(config)


def test_delete_is_idempotent(local: LocalStorage) -> None:
    local.put("documents/z", io.BytesIO(b"z"))
    local.delete("documents/z")
    local.delete("documents/z")
    with pytest.raises(StorageError):
        local.read_bytes("documents/z")


# --- S3 against moto's standalone server -----------------------------------------------


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3(moto_endpoint: str) -> S3Storage:
    config = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "itaku-test",
        "S3_ENDPOINT_URL": moto_endpoint,
        "S3_REGION": "us-east-1",
        "S3_PREFIX": "portal",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_ADDRESSING_STYLE": "path",
    }
    storage = make_storage(config)
    assert isinstance(storage, S3Storage)
    with contextlib.suppress(storage.client.exceptions.BucketAlreadyOwnedByYou):
        storage.client.create_bucket(Bucket="itaku-test")
    return storage


def test_s3_round_trip_with_checksums(s3: S3Storage) -> None:
    stored = s3.put("documents/big.pdf", io.BytesIO(BIG))
    assert stored.sha256 == hashlib.sha256(BIG).hexdigest() and stored.size == len(BIG)
    head = s3.client.head_object(
        Bucket="itaku-test", Key="portal/documents/big.pdf", ChecksumMode="ENABLED"
    )
    assert head["Metadata"]["sha256"] == stored.sha256
    assert s3.read_bytes("documents/big.pdf") == BIG
    s3.delete("documents/big.pdf")
    with pytest.raises(StorageError):
        s3.read_bytes("documents/big.pdf")


def test_s3_detects_a_changed_object(s3: S3Storage) -> None:
    s3.put("documents/c.pdf", io.BytesIO(b"%PDF-1.7 original"))
    # Somebody replaces the object but keeps the old metadata.
    s3.client.put_object(
        Bucket="itaku-test",
        Key="portal/documents/c.pdf",
        Body=b"%PDF-1.7 replaced",
        Metadata={"sha256": hashlib.sha256(b"%PDF-1.7 original").hexdigest()},
    )
    with pytest.raises(StorageError, match="SHA-256"):
        s3.read_bytes("documents/c.pdf")


# --- stored bytes, as backups copy them -------------------------------------------------


def test_local_stored_bytes_are_the_encrypted_file(local: LocalStorage, tmp_path: Path) -> None:
    local.put("documents/b.pdf", io.BytesIO(BIG))
    local.put("inspections/7/a.jpg", io.BytesIO(b"jpeg"))
    # An upload that never finished is not an object.
    (local.root / "documents" / ".upload-abc").write_bytes(b"partial")
    assert list(local.iter_keys()) == ["documents/b.pdf", "inspections/7/a.jpg"]
    size, stream = local.open_stored("documents/b.pdf")
    with stream:
        stored = stream.read()
    assert size == len(stored) > len(BIG) and BIG[:100] not in stored
    # Copied elsewhere unchanged, the object opens with the same storage key only.
    copy = LocalStorage(tmp_path / "copy", local.keys)
    copy.put_stored("documents/b.pdf", io.BytesIO(stored))
    assert copy.read_bytes("documents/b.pdf") == BIG
    with pytest.raises(StorageError):
        LocalStorage(tmp_path / "copy", parse_keys(new_key_entry("other"))).read_bytes(
            "documents/b.pdf"
        )
    with pytest.raises(StorageError):
        local.open_stored("documents/missing.pdf")


def test_s3_lists_only_its_prefix(s3: S3Storage) -> None:
    s3.put("documents/listed.pdf", io.BytesIO(b"%PDF-1.7 listed"))
    s3.client.put_object(Bucket="itaku-test", Key="elsewhere/documents/x.pdf", Body=b"x")
    keys = list(s3.iter_keys())
    assert "documents/listed.pdf" in keys and not any("x.pdf" in k for k in keys)
    size, stream = s3.open_stored("documents/listed.pdf")
    assert size == len(b"%PDF-1.7 listed") and stream.read() == b"%PDF-1.7 listed"
