"""Benchmark: backup and restore of an instance with many outsourcings and a large store.

    .venv/bin/python bench/bench_backup.py [--nodes 5000] [--files 200] [--file-mb 1]

Builds a SQLite instance (demo data plus ``--nodes`` outsourcings) whose encrypted local
storage holds ``--files`` objects of ``--file-mb`` MiB each, then backs it up, verifies the
backup and restores it into an empty instance. Prints each step's time and throughput, the
backup's size, and the peak of Python memory allocated during each step (tracemalloc), which
stays near the 1 MiB chunk size however large the store is: everything streams.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PORTAL_RATELIMIT_ENABLED", "0")

from sqlmodel import Session

from portal import create_app, demo, migrate
from portal.backup.operations import check_backup, create_backup
from portal.backup.restore import restore_backup
from portal.storage import new_key_entry, parse_keys

STORAGE_KEY = new_key_entry("bench")
BACKUP_KEY = new_key_entry("bench-backup")


def instance(root: Path):
    (root / "db").mkdir(parents=True, exist_ok=True)
    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{root / 'db' / 'portal.db'}",
            "INSTANCE_DIR": str(root / "instance"),
            "STORAGE_DIR": str(root / "storage"),
            "HUEY_SQLITE_PATH": str(root / "jobs.db"),
            "STORAGE_KEY": STORAGE_KEY,
            "BACKUP_KEY": BACKUP_KEY,
            "TESTING": True,
        }
    )


def measured(label: str, megabytes: float, action):
    tracemalloc.start()
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:8} {elapsed:7.2f} s  {megabytes / elapsed:7.1f} MiB/s  "
        f"peak Python memory {peak / 2**20:6.1f} MiB"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--file-mb", type=float, default=1.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-backup-") as temp:
        root = Path(temp)
        source = instance(root / "source")
        engine = source.extensions["portal.db"]
        storage = source.extensions["portal.storage"]
        migrate.upgrade(engine)
        with source.app_context(), Session(engine) as session:
            demo.load(session=session)
            demo.load_large(session=session, nodes=args.nodes)
            session.commit()
        size = int(args.file_mb * 2**20)
        for n in range(args.files):
            storage.put(f"documents/bench-{n:05d}.pdf", io.BytesIO(os.urandom(size)))
        store_mb = sum(p.stat().st_size for p in (root / "source" / "storage").rglob("*")) / 2**20
        db_mb = sum(p.stat().st_size for p in (root / "source" / "db").iterdir()) / 2**20
        total = store_mb + db_mb
        print(
            f"instance: {args.nodes} generated outsourcings, database {db_mb:.1f} MiB, "
            f"{args.files} stored files {store_mb:.1f} MiB"
        )

        result = measured(
            "backup",
            total,
            lambda: create_backup(
                engine=engine, storage=storage, config=source.config, destination=root / "out"
            ),
        )
        print(f"backup file {result.path.stat().st_size / 2**20:.1f} MiB")
        keys = parse_keys(BACKUP_KEY)
        measured("verify", total, lambda: check_backup(path=result.path, keys=keys))
        target = instance(root / "target")
        restored = measured(
            "restore",
            total,
            lambda: restore_backup(
                engine=target.extensions["portal.db"],
                storage=target.extensions["portal.storage"],
                config=target.config,
                path=result.path,
                keys=keys,
            ),
        )
        tables = restored.manifest["database"]["tables"]
        print(f"restored and verified: {len(tables)} tables, {sum(tables.values())} rows")


if __name__ == "__main__":
    main()
