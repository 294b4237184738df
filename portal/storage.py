"""Uploaded files behind one interface: ``LocalStorage`` (encrypted at rest) or ``S3Storage``.

The backend is chosen by configuration (``PORTAL_STORAGE_BACKEND``: ``local`` or ``s3``).
Keys are chosen by the portal (e.g. ``documents/<uuid>.pdf``), never taken from a user's file
name. Both backends stream in both directions and return the size and SHA-256 of what they
stored, so that nothing has to hold a whole file in memory.

Local file format (one file per key): a header, then length-prefixed AES-256-GCM chunks::

    b"ITKENC" | version (1 byte) | key id length (1 byte) | key id | nonce prefix (8 bytes)
    then per chunk: ciphertext length (4 bytes, big endian) | ciphertext+tag

Chunk ``i`` is sealed with the nonce ``prefix | i`` and the header plus ``i`` and a "last"
flag as associated data, so chunks cannot be reordered, dropped or truncated unnoticed
(the STREAM construction). The key id in the header names the key that sealed the file, so
that keys can be rotated: new files use the first key of ``PORTAL_STORAGE_KEY``; older files
stay readable as long as their key is still listed.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import io
import logging
import os
import re
import secrets
import struct
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

# Key parsing lives apart (it needs none of the storage); callers find it here as before.
from portal.storage_keys import dev_storage_key as dev_storage_key
from portal.storage_keys import new_key_entry as new_key_entry
from portal.storage_keys import parse_keys as parse_keys

CHUNK_SIZE = 64 * 1024
_MAGIC = b"ITKENC"
_VERSION = 1
_NONCE_PREFIX = 8
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_.-]*)*$")
log = logging.getLogger(__name__)


class StorageError(RuntimeError):
    """A stored object is missing, damaged, or cannot be read with the configured keys."""


class StorageUnavailable(StorageError):
    """The storage backend cannot be reached (e.g. the S3 endpoint is down): try later."""


class StorageFull(StorageError):
    """The storage has no room left for the file (disk full, quota or file size limit)."""


# Errors of a full disk: no space, quota exceeded, file larger than the process may write.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@dataclass(frozen=True)
class StoredObject:
    """What ``put`` stored: the plaintext's size in bytes and its SHA-256 (hex)."""

    size: int
    sha256: str


class PrefixedStream(io.RawIOBase):
    """The bytes already read (e.g. for a magic-number check), then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        if not self._head:
            return self._rest.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        if len(data) < size and not self._head:
            data += self._rest.read(size - len(data))
        return data


class Storage(ABC):
    """Where uploaded files live."""

    @abstractmethod
    def put(self, key: str, stream: BinaryIO) -> StoredObject:
        """Store everything ``stream`` yields under ``key``."""

    @abstractmethod
    def open(self, key: str) -> Iterator[bytes]:
        """The object's bytes, chunk by chunk (integrity is checked while streaming)."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove ``key`` (no error when it is already gone)."""

    def read_bytes(self, key: str) -> bytes:
        """The whole object (for the worker, which hands bytes to the analysis)."""
        return b"".join(self.open(key))

    # Backups copy objects as they are stored (for LocalStorage: still encrypted), so that
    # a backup neither needs nor holds the storage key.

    @abstractmethod
    def iter_keys(self) -> Iterator[str]:
        """Every stored key, in sorted order."""

    @abstractmethod
    def open_stored(self, key: str) -> tuple[int, BinaryIO]:
        """The object's stored bytes as they are at rest: their size and a stream to read."""

    @abstractmethod
    def put_stored(self, key: str, stream: BinaryIO) -> None:
        """Store bytes read with ``open_stored`` (from a backup) under ``key`` unchanged."""


def check_key(key: str) -> str:
    """``key`` if it is a portal-made key: lower-case segments, no ``..``, no leading slash."""
    if not _KEY.match(key) or ".." in key or len(key) > 200:
        raise ValueError(f"invalid storage key {key!r}")
    return key


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk


# --- local, encrypted -------------------------------------------------------------------


class LocalStorage(Storage):
    """Files in a folder, each sealed with AES-256-GCM in chunks (see the module docstring)."""

    def __init__(self, root: str | os.PathLike[str], keys: Mapping[str, bytes]) -> None:
        self.root = Path(root)
        self.keys = dict(keys)
        self.current_key_id = next(iter(self.keys))

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    @staticmethod
    def _aad(header: bytes, index: int, last: bool) -> bytes:
        return header + struct.pack(">IB", index, 1 if last else 0)

    @staticmethod
    def _nonce(prefix: bytes, index: int) -> bytes:
        return prefix + struct.pack(">I", index)

    def put(self, key: str, stream: BinaryIO) -> StoredObject:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        aead = AESGCM(self.keys[self.current_key_id])
        key_id = self.current_key_id.encode()
        prefix = secrets.token_bytes(_NONCE_PREFIX)
        header = _MAGIC + bytes([_VERSION, len(key_id)]) + key_id + prefix
        size, digest = 0, hashlib.sha256()
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header)
                index, pending = 0, b""
                # One chunk is held back so that the last one can be sealed as last.
                for chunk in _chunks(stream):
                    size += len(chunk)
                    digest.update(chunk)
                    if pending:
                        self._write_chunk(out, aead, header, prefix, index, pending, last=False)
                        index += 1
                    pending = chunk
                self._write_chunk(out, aead, header, prefix, index, pending, last=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException as error:
            Path(temp).unlink(missing_ok=True)
            if isinstance(error, OSError) and error.errno in FULL_ERRNOS:
                raise StorageFull(f"no room to store {key!r}: {error}") from error
            raise
        return StoredObject(size=size, sha256=digest.hexdigest())

    def _write_chunk(
        self,
        out: BinaryIO,
        aead: Any,
        header: bytes,
        prefix: bytes,
        index: int,
        data: bytes,
        *,
        last: bool,
    ) -> None:
        sealed = aead.encrypt(self._nonce(prefix, index), data, self._aad(header, index, last))
        out.write(struct.pack(">I", len(sealed)) + sealed)

    def open(self, key: str) -> Iterator[bytes]:
        path = self._path(key)
        if not path.exists():
            raise StorageError(f"no stored object {key!r}")
        return self._decrypt(path)

    def _decrypt(self, path: Path) -> Iterator[bytes]:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        with path.open("rb") as source:
            start = source.read(len(_MAGIC) + 2)
            if len(start) < len(_MAGIC) + 2 or not start.startswith(_MAGIC):
                raise StorageError(f"{path.name}: not an encrypted portal file")
            if start[len(_MAGIC)] != _VERSION:
                raise StorageError(f"{path.name}: unknown format version")
            key_id = source.read(start[-1])
            prefix = source.read(_NONCE_PREFIX)
            key = self.keys.get(key_id.decode(errors="replace"))
            if key is None:
                raise StorageError(f"{path.name}: sealed with key {key_id!r}, not configured")
            header = start + key_id + prefix
            aead = AESGCM(key)
            index, record = 0, self._record(source)
            while record is not None:
                following = self._record(source)
                try:
                    yield aead.decrypt(
                        self._nonce(prefix, index),
                        record,
                        self._aad(header, index, following is None),
                    )
                except InvalidTag:
                    raise StorageError(f"{path.name}: chunk {index} fails authentication") from None
                index, record = index + 1, following
            if index == 0:
                raise StorageError(f"{path.name}: truncated")

    @staticmethod
    def _record(source: BinaryIO) -> bytes | None:
        head = source.read(4)
        if not head:
            return None
        if len(head) < 4:
            raise StorageError("truncated chunk header")
        (length,) = struct.unpack(">I", head)
        data = source.read(length)
        if len(data) != length:
            raise StorageError("truncated chunk")
        return data

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def iter_keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".upload-"):
                key = path.relative_to(self.root).as_posix()
                if _KEY.match(key):
                    yield key

    def open_stored(self, key: str) -> tuple[int, BinaryIO]:
        path = self._path(key)
        try:
            source = path.open("rb")
        except FileNotFoundError:
            raise StorageError(f"no stored object {key!r}") from None
        return os.fstat(source.fileno()).st_size, source

    def put_stored(self, key: str, stream: BinaryIO) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(stream):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def key_id_of(self, key: str) -> str:
        """The id of the key that sealed ``key`` (for rotation reports)."""
        with self._path(key).open("rb") as source:
            start = source.read(len(_MAGIC) + 2)
            if len(start) < len(_MAGIC) + 2 or not start.startswith(_MAGIC):
                raise StorageError(f"{key}: not an encrypted portal file")
            return source.read(start[-1]).decode(errors="replace")

    def reseal(self, key: str) -> bool:
        """Re-encrypt ``key`` with the current key if an older one sealed it (rotation).

        The plaintext streams from the old file into a new temporary file that replaces it
        atomically: it never lies on disk unencrypted, and an interrupted reseal leaves the
        object sealed with either the old key or the new one, never damaged.
        """
        if self.key_id_of(key) == self.current_key_id:
            return False
        digest = hashlib.sha256()

        def plaintext() -> Iterator[bytes]:
            for chunk in self.open(key):
                digest.update(chunk)
                yield chunk

        stored = self.put(key, IteratorStream(plaintext()))  # type: ignore[arg-type]
        if stored.sha256 != digest.hexdigest():  # pragma: no cover - put hashes what it read
            raise StorageError(f"{key}: content changed while resealing")
        return True

    def stored_keys(self) -> Iterator[str]:
        """Every object's key (temporary files of unfinished writes left out), sorted."""
        if not self.root.exists():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".upload-"):
                yield path.relative_to(self.root).as_posix()


@dataclass
class ResealReport:
    """What ``reseal_all`` did: objects re-encrypted, already current, and failures."""

    resealed: int = 0
    current: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # key -> reason
    before: dict[str, int] = field(default_factory=dict)  # key id -> objects, before


def reseal_all(storage: LocalStorage, *, dry_run: bool = False) -> ResealReport:
    """Re-encrypt every object sealed with an older key under the current one.

    Idempotent and resumable: objects already under the current key are skipped, so running
    it again after an interruption (or twice) finishes the rest and changes nothing else.
    """
    report = ResealReport()
    for key in storage.stored_keys():
        try:
            key_id = storage.key_id_of(key)
            report.before[key_id] = report.before.get(key_id, 0) + 1
            if key_id == storage.current_key_id:
                report.current += 1
            elif dry_run or storage.reseal(key):
                report.resealed += 1
            else:
                report.current += 1
        except (StorageError, OSError, ValueError) as error:
            report.failed[key] = str(error) or type(error).__name__
    return report


class IteratorStream(io.RawIOBase):
    """A readable stream over an iterator of byte chunks (to ``put`` what ``open`` yields)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._buffer = chunks, b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        if size is None or size < 0:
            data, self._buffer = self._buffer + b"".join(self._chunks), b""
            return data
        while len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


# --- S3 ---------------------------------------------------------------------------------


class S3Storage(Storage):
    """Objects in an S3(-compatible) bucket; SHA-256 checksums verified on upload and read."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, stream: BinaryIO) -> StoredObject:
        # Spooled so that the checksum is known before the upload starts and the store can
        # verify it; files up to 8 MiB stay in memory, larger ones go to a temporary file.
        with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as spool:
            size, digest = 0, hashlib.sha256()
            for chunk in _chunks(stream):
                size += len(chunk)
                digest.update(chunk)
                spool.write(chunk)
            spool.seek(0)
            checksum = base64.b64encode(digest.digest()).decode()
            try:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self._name(key),
                    Body=spool,
                    ContentLength=size,
                    ChecksumSHA256=checksum,
                    Metadata={"sha256": digest.hexdigest()},
                )
            except _unreachable_errors() as error:
                raise StorageUnavailable(f"S3 did not store {key!r}: {error}") from error
        return StoredObject(size=size, sha256=digest.hexdigest())

    def open(self, key: str) -> Iterator[bytes]:
        try:
            response = self.client.get_object(
                Bucket=self.bucket, Key=self._name(key), ChecksumMode="ENABLED"
            )
        except self.client.exceptions.NoSuchKey:
            raise StorageError(f"no stored object {key!r}") from None
        return self._verified(key, response)

    @staticmethod
    def _verified(key: str, response: Mapping[str, Any]) -> Iterator[bytes]:
        expected = response.get("Metadata", {}).get("sha256")
        digest = hashlib.sha256()
        body = response["Body"]
        try:
            for chunk in body.iter_chunks(CHUNK_SIZE):
                digest.update(chunk)
                yield chunk
        finally:
            body.close()
        if expected and digest.hexdigest() != expected:
            raise StorageError(f"{key}: SHA-256 mismatch")

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        except _unreachable_errors() as error:
            raise StorageUnavailable(f"S3 did not delete {key!r}: {error}") from error

    def iter_keys(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        keys = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix) :]
                if _KEY.match(key):
                    keys.append(key)
        yield from sorted(keys)

    def open_stored(self, key: str) -> tuple[int, BinaryIO]:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey:
            raise StorageError(f"no stored object {key!r}") from None
        return int(response["ContentLength"]), response["Body"]

    def put_stored(self, key: str, stream: BinaryIO) -> None:
        # S3 objects are stored as they are: ``put`` records their checksum again.
        self.put(key, stream)


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    """botocore's errors for an endpoint that cannot be reached or drops the connection."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    return (BotoConnectionError, HTTPClientError)


# --- objects stored by a transaction that rolls back ------------------------------------

_STORED_KEY = "portal.stored_keys"
_cleanup_listening = False


def delete_on_rollback(session: Session, storage: Storage, key: str) -> None:
    """Remove ``key`` from ``storage`` if ``session``'s transaction rolls back.

    Call right after ``storage.put``: a file is stored before the row that names it, so a
    failed flush or commit (the database gone mid-request, a constraint) would otherwise
    leave an object that no row points to.
    """
    _listen_for_cleanup()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(_STORED_KEY, []).append((storage, key))


def _listen_for_cleanup() -> None:
    global _cleanup_listening
    if _cleanup_listening:
        return
    _cleanup_listening = True

    @event.listens_for(Session, "after_commit")
    def _kept(session: Session) -> None:
        # A released SAVEPOINT fires after_commit too: only the real commit keeps the files.
        if not session.in_nested_transaction():
            session.info.pop(_STORED_KEY, None)

    @event.listens_for(Session, "after_soft_rollback")
    def _removed(session: Session, previous_transaction: SessionTransaction) -> None:
        if previous_transaction.nested:
            return
        for storage, key in session.info.pop(_STORED_KEY, []):
            try:
                storage.delete(key)
            except Exception:
                # The rollback must finish; the object is logged for `portal` clean-up.
                log.exception("could not remove %r after a rollback", key)


# --- configuration ----------------------------------------------------------------------


def make_storage(config: Mapping[str, Any]) -> Storage:
    """The storage the configuration chooses."""
    backend = (config.get("STORAGE_BACKEND") or "local").lower()
    if backend == "local":
        return LocalStorage(config["STORAGE_DIR"], parse_keys(config["STORAGE_KEY"]))
    if backend == "s3":
        import boto3
        from botocore.config import Config

        if not config.get("S3_BUCKET"):
            raise ValueError("PORTAL_S3_BUCKET must be set for the s3 storage backend")
        client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            config=Config(
                s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_supported",
            ),
        )
        return S3Storage(client, config["S3_BUCKET"], config.get("S3_PREFIX") or "")
    raise ValueError(f"PORTAL_STORAGE_BACKEND must be local or s3, not {backend!r}")


def init_app(app: Flask) -> None:
    """Create the app's storage."""
    app.extensions["portal.storage"] = make_storage(app.config)


def get_storage() -> Storage:
    """The current app's storage."""
    return current_app.extensions["portal.storage"]
