"""Free space for backups and restores: checked up front where the size is known, and a
full disk met while writing turned into the same Japanese message (never a traceback)."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from portal.storage import FULL_ERRNOS, LocalStorage, Storage, StorageFull

_MB = 1024 * 1024
# Tar headers, the sealed stream's per-chunk tags and the manifest: a generous allowance.
_OVERHEAD = 2 * _MB


class NoSpaceError(RuntimeError):
    """Not enough room at a place; ``message`` is Japanese and names the place."""

    def __init__(self, label: str, place: Path, needed: int | None) -> None:
        self.label, self.place, self.needed = label, place, needed
        self.free = free_bytes(place)
        needed_text = f"必要 約 {_mb(needed)} MB、" if needed is not None else ""
        self.message = (
            f"{label} {place} の空き容量が不足しています（{needed_text}空き {_mb(self.free)} MB）。"
            "空きを増やすか、別の場所を指定してください。"
        )
        super().__init__(self.message)


def _mb(size: int) -> str:
    return f"{max(size, 0) / _MB:,.1f}"


def _existing(path: Path) -> Path:
    """``path`` or its nearest existing ancestor (a folder not made yet has its parent's room)."""
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_bytes(path: Path) -> int:
    """Bytes free to an unprivileged writer on the file system that holds ``path``."""
    return shutil.disk_usage(_existing(path)).free


def is_full(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a full disk or an exceeded quota."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, StorageFull):
            return True
        if isinstance(seen, OSError) and seen.errno in FULL_ERRNOS:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def require(needs: Iterable[tuple[str, Path, int]]) -> None:
    """Raise NoSpaceError for the first place lacking room; places that share a file system
    need the sum of what is written to them."""
    by_device: dict[int, list[tuple[str, Path, int]]] = {}
    for label, place, size in needs:
        by_device.setdefault(_existing(place).stat().st_dev, []).append((label, place, size))
    for group in by_device.values():
        total = sum(size for _label, _place, size in group) + _OVERHEAD
        label, place, _size = max(group, key=lambda need: need[2])
        if free_bytes(place) < total:
            raise NoSpaceError(label, place, total)


def stored_bytes(storage: Storage) -> int | None:
    """The stored objects' size as a backup copies them (None where listing sizes is costly)."""
    if not isinstance(storage, LocalStorage):
        return None
    total = 0
    for key in storage.iter_keys():
        size, stream = storage.open_stored(key)
        stream.close()
        total += size
    return total


def local_root(storage: Storage) -> Path | None:
    """The folder a LocalStorage writes into (None for object stores)."""
    return storage.root if isinstance(storage, LocalStorage) else None
