"""Restoring a backup into an empty instance: all or nothing, verified, then migrated.

The backup is authenticated whole (``check_backup``) before anything is written; a failure at
any point, a full disk included, takes back exactly what the restore wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine
from sqlmodel import Session

from portal.audit.verify import verify_chain
from portal.backup import database, space
from portal.backup.operations import (
    COPY_CHUNK,
    FILES,
    BackupError,
    HashingReader,
    backend_name,
    check_backup,
    hash_stream,
    read_members,
    staging_folder,
)
from portal.storage import LocalStorage, Storage, StorageError


@dataclass(frozen=True)
class RestoreResult:
    """A finished restore: the manifest restored and whether migrations ran after it."""

    manifest: dict[str, Any]
    upgraded: bool
    warnings: list[str] = field(default_factory=list)


def _check_revision(engine: Engine, revisions: list[str]) -> bool:
    """Whether the backup's schema is older than the code's (so needs an upgrade)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from portal import migrate

    if not revisions:
        raise BackupError("バックアップのデータベースにスキーマのリビジョンがありません。")
    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    for revision in revisions:
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise BackupError(
                f"バックアップのスキーマ ({revision}) をこの版のポータルは知りません。"
                "より新しい版のポータルで作られたバックアップです。その版で復元してください。"
            )
    return set(revisions) != set(script.get_heads())


def _check_empty(engine: Engine, storage: Storage) -> None:
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        Path(str(engine.url.database)).parent.mkdir(parents=True, exist_ok=True)
    filled = database.rows_in(engine)
    if filled:
        tables = ", ".join(f"{name} ({n}行)" for name, n in sorted(filled.items()))
        raise BackupError(
            "復元先のデータベースが空ではありません: "
            f"{tables}。空のインスタンスにだけ復元できます。"
        )
    if next(iter(storage.iter_keys()), None) is not None:
        raise BackupError(
            "復元先の保存ファイルの場所が空ではありません。空のインスタンスにだけ復元できます。"
        )


def restore_backup(
    *,
    engine: Engine,
    storage: Storage,
    config: Mapping[str, Any],
    path: Path,
    keys: Mapping[str, bytes],
) -> RestoreResult:
    """Restore the backup at ``path`` into an empty instance, verify it, then migrate it."""
    manifest = check_backup(path=path, keys=keys)
    if manifest["storage"]["backend"] != backend_name(storage):
        raise BackupError(
            f"このバックアップの保存ファイルは {manifest['storage']['backend']} のものです。"
            f"設定された保存先 ({backend_name(storage)}) には復元できません。"
        )
    if manifest["database"]["dialect"] != engine.dialect.name:
        raise BackupError(
            f"このバックアップは {manifest['database']['dialect']} のデータベースのものです。"
            f"設定されたデータベース ({engine.dialect.name}) には復元できません。"
        )
    needs_upgrade = _check_revision(engine, manifest["alembic_revision"])
    _check_empty(engine, storage)
    places = _restore_places(engine, storage, config, manifest)
    try:
        space.require(places.values())
    except space.NoSpaceError as error:
        raise BackupError(error.message) from None
    with engine.connect() as connection:
        schema_before = database.alembic_revision(connection)

    objects = {FILES + item["key"]: item for item in manifest["storage"]["objects"]}
    written: list[str] = []
    database_touched = False
    try:
        with staging_folder(config, ".itaku-restore-") as temp:
            dump = temp / "database"
            with read_members(path, keys) as members:
                for name, stream in members:
                    if name == manifest["database"]["member"]:
                        _save_dump(stream, dump, manifest["database"]["sha256"])
                    elif name in objects:
                        written.append(name[len(FILES) :])
                        storage.put_stored(written[-1], stream)
            # The database last: by now the second pass has authenticated the whole file.
            database_touched = True
            try:
                database.restore(engine, dump, manifest["database"]["dialect"])
            except database.DatabaseBackupError as error:
                raise BackupError(str(error)) from error
        problems = verify_restored(engine=engine, storage=storage, manifest=manifest)
        if problems:
            raise BackupError("復元後の検証で不一致があります: " + " / ".join(problems))
    except BaseException as error:
        # All or nothing: take back only what this restore wrote, so the target is exactly
        # as it was (an empty instance, with its migrated schema if it had one).
        for key in written:
            storage.delete(key)
        if database_touched:
            database.clear(engine)
            for revision in schema_before:
                from portal import migrate

                migrate.upgrade(engine, revision)
        if isinstance(error, OSError | StorageError | BackupError) and space.is_full(error):
            label, place, size = _full_place(error, places, storage)
            raise BackupError(space.NoSpaceError(label, place, size).message) from None
        raise
    warnings = _missing_storage_keys(storage, manifest)
    if needs_upgrade:
        from portal import migrate

        migrate.upgrade(engine)
    return RestoreResult(manifest=manifest, upgraded=needs_upgrade, warnings=warnings)


def _restore_places(
    engine: Engine, storage: Storage, config: Mapping[str, Any], manifest: Mapping[str, Any]
) -> dict[str, tuple[str, Path, int]]:
    """Where a restore writes, and how much: the database copy in the instance folder, the
    SQLite file, and the stored files of a local storage."""
    size = int(manifest["database"]["size"])
    places = {"staging": ("インスタンスフォルダ", Path(config["INSTANCE_DIR"]), size)}
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        db_folder = Path(str(engine.url.database)).parent
        places["database"] = ("データベースのフォルダ", db_folder, size)
    root = space.local_root(storage)
    if root is not None:
        stored = sum(int(item["size"]) for item in manifest["storage"]["objects"])
        places["storage"] = ("保存ファイルの場所", root, stored)
    return places


def _full_place(
    error: BaseException, places: Mapping[str, tuple[str, Path, int]], storage: Storage
) -> tuple[str, Path, int | None]:
    """The place that filled up during a restore (the stored files' unless a path says else)."""
    filename = None
    seen: BaseException | None = error
    while seen is not None and filename is None:
        filename = getattr(seen, "filename", None)
        seen = seen.__cause__ or seen.__context__
    if filename:
        failing = Path(str(filename)).resolve()
        for label, place, size in places.values():
            if failing == place.resolve() or place.resolve() in failing.parents:
                return label, place, size
    if "storage" in places:
        return places["storage"]
    return places.get("database", places["staging"])


def _save_dump(stream: BinaryIO, target: Path, sha256: str) -> None:
    reader = HashingReader(stream)
    with target.open("wb") as out:
        while chunk := reader.read(COPY_CHUNK):
            out.write(chunk)
    if reader.digest.hexdigest() != sha256:
        raise BackupError("データベースの写しが一度目の検査の後に変わりました。")


def _missing_storage_keys(storage: Storage, manifest: Mapping[str, Any]) -> list[str]:
    if not isinstance(storage, LocalStorage):
        return []
    missing = sorted(set(manifest["storage"].get("key_ids", [])) - set(storage.keys))
    if not missing:
        return []
    return [
        f"保存ファイルの鍵 {', '.join(missing)} が PORTAL_STORAGE_KEY にありません。"
        "その鍵で暗号化されたファイルは、鍵を設定するまで開けません。"
    ]


def verify_restored(*, engine: Engine, storage: Storage, manifest: Mapping[str, Any]) -> list[str]:
    """What differs between a restored instance and the backup's manifest (empty: all equal).

    Checks the row count of every table and the SHA-256 of every stored object.
    """
    problems = []
    with engine.connect() as connection:
        counts = database.row_counts(connection)
    recorded = manifest["database"]["tables"]
    for name in sorted(set(counts) | set(recorded)):
        if counts.get(name) != recorded.get(name):
            problems.append(
                f"テーブル {name}: 復元後 {counts.get(name, 'なし')} 行、"
                f"バックアップ {recorded.get(name, 'なし')} 行"
            )
    listed = {item["key"]: item for item in manifest["storage"]["objects"]}
    for key, item in listed.items():
        try:
            _size, stream = storage.open_stored(key)
        except StorageError:
            problems.append(f"保存ファイル {key} がありません")
            continue
        with closing(stream):
            found = hash_stream(stream)
        if (found["size"], found["sha256"]) != (item["size"], item["sha256"]):
            problems.append(f"保存ファイル {key} の SHA-256 が一致しません")
    extra = sorted(set(storage.iter_keys()) - set(listed))
    if extra:
        problems.append(f"バックアップにない保存ファイルがあります: {', '.join(extra[:5])}")

    # The access-record chain (アクセス記録) must still verify end to end after the restore:
    # every record's hash, every link, and the chain head. Its row count is compared above.
    # (A backup from before the access log has no such table until it is migrated.)
    if "access_events" in counts:
        with Session(engine) as session:
            _summary, breaks = verify_chain(session)
        problems.extend(f"アクセス記録 ({b.kind}, seq={b.seq}): {b.message}" for b in breaks)
    return problems
