"""Backup and restore of a whole instance: the database and the stored files, encrypted.

A backup is one file, ``itaku-portal-<UTC time>.itkbak``: a tar stream sealed with the
backup key (``portal/backup/crypto.py``). The tar holds, in this order::

    database/portal.sqlite3 | database/portal.pgdump   the database copy
    files/<storage key> …                               every stored object, as stored
    manifest.json                                       what all of the above is

The manifest comes last because it records what was really written (row counts of the
copy, SHA-256 of every member). Reading a backup therefore takes two passes: the first
authenticates every chunk and checks every member against the manifest without writing
anything; only then does the second pass restore.

Stored files are copied as they are at rest. For ``LocalStorage`` that means still encrypted
with the storage key: the backup key alone cannot read them, and the storage key (kept
separately, in escrow) is needed to use a restored instance.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine

from portal.backup import database, space
from portal.backup.crypto import BackupAuthenticationError, DecryptingReader, EncryptingWriter
from portal.storage import LocalStorage, Storage, StorageError, check_key, parse_keys

FORMAT = "itaku-portal-backup"
FORMAT_VERSION = 1
NAME_PREFIX = "itaku-portal-"
SUFFIX = ".itkbak"
MANIFEST = "manifest.json"
FILES = "files/"
_MANIFEST_LIMIT = 512 * 2**20
COPY_CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupResult:
    """A written backup: its path, its manifest, and what retention removed."""

    path: Path
    manifest: dict[str, Any]
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- keys and places --------------------------------------------------------------------


def backup_keys(config: Mapping[str, Any]) -> dict[str, bytes]:
    """The backup keys (``PORTAL_BACKUP_KEY``); the first seals new backups."""
    value = config.get("BACKUP_KEY") or ""
    if not value:
        raise BackupError(
            "PORTAL_BACKUP_KEY が設定されていません（保存ファイルの鍵とは別の鍵を設定して"
            "ください: portal backup new-key）。"
        )
    try:
        keys = parse_keys(value, setting="PORTAL_BACKUP_KEY")
    except ValueError as error:
        raise BackupError(f"PORTAL_BACKUP_KEY が正しくありません: {error}") from error
    storage_value = config.get("STORAGE_KEY") or ""
    if storage_value:
        try:
            storage_keys = set(parse_keys(storage_value).values())
        except ValueError:
            storage_keys = set()
        if storage_keys & set(keys.values()):
            raise BackupError(
                "PORTAL_BACKUP_KEY に保存ファイルの鍵 (PORTAL_STORAGE_KEY) と同じ鍵があります。"
                "別の鍵にしてください。"
            )
    return keys


def _protected_places(config: Mapping[str, Any], engine: Engine) -> dict[str, Path]:
    places = {"インスタンスフォルダ": Path(config["INSTANCE_DIR"])}
    if (config.get("STORAGE_BACKEND") or "local") == "local":
        places["保存ファイルのフォルダ"] = Path(config["STORAGE_DIR"])
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        places["データベースのフォルダ"] = Path(str(engine.url.database)).parent
    return {label: path.expanduser().resolve() for label, path in places.items()}


def check_destination(*, config: Mapping[str, Any], engine: Engine, destination: Path) -> Path:
    """``destination`` resolved, if it lies apart from the data it backs up."""
    target = destination.expanduser().resolve()
    for label, place in _protected_places(config, engine).items():
        if target == place or place in target.parents or target in place.parents:
            raise BackupError(
                f"バックアップ先 {target} は{label} ({place}) と重なっています。"
                "別の場所（別のディスクや別のマシン）を指定してください。"
            )
    return target


def same_filesystem_warnings(
    *, config: Mapping[str, Any], engine: Engine, target: Path
) -> list[str]:
    """Warnings for each protected place on the file system of ``target`` (which must exist:
    call it after creating the folder, so that the first backup is warned too)."""
    warnings = []
    for label, place in _protected_places(config, engine).items():
        if place.exists() and place.stat().st_dev == target.stat().st_dev:
            warnings.append(
                f"バックアップ先は{label}と同じファイルシステムにあります。"
                "ディスクの故障に備えて、別の場所にもコピーしてください。"
            )
    return sorted(set(warnings))


# --- writing ----------------------------------------------------------------------------


class HashingReader:
    """Reads from ``stream`` and keeps the SHA-256 and size of what passed through."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_stream(
    tar: tarfile.TarFile, name: str, size: int, stream: BinaryIO, mtime: float
) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    reader = HashingReader(stream)
    try:
        tar.addfile(info, reader)  # type: ignore[arg-type]
    except OSError as error:
        if space.is_full(error):
            raise  # the destination filled up: create_backup says so
        raise BackupError(f"{name} の読み取り中に大きさが変わりました: {error}") from error
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def _app_version() -> str:
    try:
        return importlib.metadata.version("itaku-portal")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        return "unknown"


def _database_member(dialect: str) -> str:
    return "database/portal.sqlite3" if dialect == "sqlite" else "database/portal.pgdump"


def _open_private(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def staging_folder(config: Mapping[str, Any], prefix: str) -> Iterator[Path]:
    """A private folder for the plaintext database copy, inside the instance folder: the copy
    lives only beside the data it copies, never in a shared /tmp or at the destination."""
    instance = Path(config["INSTANCE_DIR"])
    instance.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=instance) as temp:
        yield Path(temp)


def _new_name(destination: Path, created: datetime) -> Path:
    stamp = created.strftime("%Y%m%dT%H%M%SZ")
    path, n = destination / f"{NAME_PREFIX}{stamp}{SUFFIX}", 1
    while path.exists():
        n += 1
        path = destination / f"{NAME_PREFIX}{stamp}-{n}{SUFFIX}"
    return path


def create_backup(
    *,
    engine: Engine,
    storage: Storage,
    config: Mapping[str, Any],
    destination: Path,
    keep: int | None = None,
) -> BackupResult:
    """Write an encrypted backup of the database and the stored files into ``destination``."""
    keys = backup_keys(config)
    key_id = next(iter(keys))
    target_dir = check_destination(config=config, engine=engine, destination=destination)
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        if space.is_full(error):
            raise BackupError(
                space.NoSpaceError("バックアップ先", target_dir, None).message
            ) from None
        raise
    warnings = same_filesystem_warnings(config=config, engine=engine, target=target_dir)
    created = datetime.now(UTC)
    path = _new_name(target_dir, created)
    partial = target_dir / f".{path.name}.partial"
    mtime = created.timestamp()
    instance = Path(config["INSTANCE_DIR"])
    stored = space.stored_bytes(storage) or 0
    db_size = _sqlite_bytes(engine)
    needed = (db_size or 0) + stored
    try:
        if db_size is not None:  # the plaintext copy beside the instance, and the backup
            space.require(
                [
                    ("インスタンスフォルダ", instance, db_size),
                    ("バックアップ先", target_dir, needed),
                ]
            )
        with staging_folder(config, ".itaku-backup-") as temp:
            dump = temp / "database"
            try:
                snapshot = database.dump(engine, dump)
            except database.DatabaseBackupError as error:
                raise BackupError(str(error)) from error
            needed = dump.stat().st_size + stored
            space.require([("バックアップ先", target_dir, needed)])
            with _open_private(partial) as raw:
                writer = EncryptingWriter(raw, key_id, keys[key_id])
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    member = _database_member(snapshot.dialect)
                    with dump.open("rb") as stream:
                        copied = _add_stream(tar, member, dump.stat().st_size, stream, mtime)
                    dump.unlink()
                    objects, key_ids = _add_objects(tar, storage, mtime)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": created.isoformat().replace("+00:00", "Z"),
                        "app_version": _app_version(),
                        "alembic_revision": snapshot.alembic_revision,
                        "database": {
                            "dialect": snapshot.dialect,
                            "member": member,
                            **copied,
                            "tables": snapshot.tables,
                        },
                        "storage": {
                            "backend": backend_name(storage),
                            "key_ids": sorted(key_ids),
                            "objects": objects,
                        },
                        "backup_key_id": key_id,
                    }
                    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    _add_stream(tar, MANIFEST, len(body), io.BytesIO(body), mtime)
                writer.close()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, path)
        _fsync_dir(target_dir)
    except space.NoSpaceError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(error.message) from None
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError | BackupError) and space.is_full(error):
            # Found on write (the estimate was short, or the disk filled meanwhile): the
            # space is measured again now that the partial file is gone.
            place, label = (target_dir, "バックアップ先")
            if _under(error, instance):
                place, label = instance, "インスタンスフォルダ"
            raise BackupError(space.NoSpaceError(label, place, needed).message) from None
        raise
    removed = prune_backups(target_dir, keep) if keep else []
    return BackupResult(path=path, manifest=manifest, removed=removed, warnings=warnings)


def _sqlite_bytes(engine: Engine) -> int | None:
    """The SQLite file's size (what its copy needs), None for PostgreSQL (known after the dump)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    path = Path(str(engine.url.database))
    return path.stat().st_size if path.exists() else 0


def _under(error: BaseException, folder: Path) -> bool:
    """Whether the failing OSError names a file inside ``folder``."""
    filename = getattr(error, "filename", None)
    return bool(filename) and folder.resolve() in Path(str(filename)).resolve().parents


def backend_name(storage: Storage) -> str:
    return "local" if isinstance(storage, LocalStorage) else "s3"


def _add_objects(
    tar: tarfile.TarFile, storage: Storage, mtime: float
) -> tuple[list[dict[str, Any]], set[str]]:
    objects, key_ids = [], set()
    for key in storage.iter_keys():
        try:
            size, stream = storage.open_stored(key)
        except StorageError:
            continue  # deleted since it was listed: the database copy came first
        with closing(stream):
            copied = _add_stream(tar, FILES + key, size, stream, mtime)
        objects.append({"key": key, **copied})
        if isinstance(storage, LocalStorage):
            key_ids.add(storage.key_id_of(key))
    return objects, key_ids


def _backups_in(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first."""
    return sorted(folder.glob(f"{NAME_PREFIX}*{SUFFIX}"), key=lambda p: (p.stat().st_mtime, p.name))


def newest_backup(folder: Path) -> Path | None:
    """The most recent backup in ``folder`` (None when there is none)."""
    backups = _backups_in(folder) if folder.is_dir() else []
    return backups[-1] if backups else None


def prune_backups(destination: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``destination``; the deleted ones."""
    backups = _backups_in(destination)
    removed = backups[: max(len(backups) - keep, 0)]
    for path in removed:
        path.unlink()
    return removed


# --- reading ----------------------------------------------------------------------------


@contextmanager
def read_members(path: Path, keys: Mapping[str, bytes]) -> Iterator[Iterator[tuple[str, BinaryIO]]]:
    """The archive's members as (name, stream), after which the whole file is authenticated."""
    try:
        raw = path.open("rb")
    except OSError as error:
        raise BackupError(f"バックアップファイルを開けません: {error}") from error
    with raw:
        try:
            reader = DecryptingReader(raw, keys)
        except BackupAuthenticationError as error:
            raise BackupError(str(error)) from error

        def members() -> Iterator[tuple[str, BinaryIO]]:
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                for member in tar:
                    if not member.isfile():
                        raise BackupError(f"想定外の項目があります: {member.name}")
                    stream = tar.extractfile(member)
                    assert stream is not None
                    yield member.name, stream
            reader.drain()

        # Members are read by the caller, so errors surface in its loop as well as here.
        try:
            yield members()
        except BackupAuthenticationError as error:
            raise BackupError(str(error)) from error
        except tarfile.TarError as error:
            raise BackupError(f"バックアップの中身が壊れています: {error}") from error


def hash_stream(stream: BinaryIO) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(COPY_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    # In pieces: a buffered read(limit) would allocate ``limit`` bytes up front.
    parts, size = [], 0
    while chunk := stream.read(COPY_CHUNK):
        size += len(chunk)
        if size > limit:
            raise BackupError("manifest.json が大きすぎます。")
        parts.append(chunk)
    return b"".join(parts)


def check_backup(*, path: Path, keys: Mapping[str, bytes]) -> dict[str, Any]:
    """Authenticate the whole backup and check every member against its manifest; write nothing."""
    seen: dict[str, dict[str, Any]] = {}
    manifest_bytes = b""
    with read_members(path, keys) as members:
        for name, stream in members:
            if name in seen:
                raise BackupError(f"同じ項目が二度あります: {name}")
            if name == MANIFEST:
                manifest_bytes = _read_limited(stream, _MANIFEST_LIMIT)
                seen[name] = {}
            else:
                seen[name] = hash_stream(stream)
    if not manifest_bytes:
        raise BackupError("バックアップに manifest.json がありません。")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError(f"manifest.json を読めません: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError("バックアップの形式または版が、このポータルのものと違います。")
    expected = {manifest["database"]["member"]: manifest["database"]}
    for item in manifest["storage"]["objects"]:
        expected[FILES + check_key(item["key"])] = item
    if set(seen) - {MANIFEST} != set(expected):
        raise BackupError("バックアップの中身が manifest.json の一覧と一致しません。")
    for name, item in expected.items():
        if (seen[name]["size"], seen[name]["sha256"]) != (item["size"], item["sha256"]):
            raise BackupError(f"{name} の SHA-256 が manifest.json と一致しません。")
    return manifest
