"""Keys of the file storage: ``PORTAL_STORAGE_KEY`` entries (``id:base64key``), new ones, and
the development key kept in the instance folder."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from pathlib import Path

_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def parse_keys(value: str, setting: str = "PORTAL_STORAGE_KEY") -> dict[str, bytes]:
    """``"id1:base64key,id2:base64key"`` → {id: 32-byte key}; the first id seals new files."""
    keys: dict[str, bytes] = {}
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise ValueError(f"{setting} entries look like id:base64key")
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"{setting}: key {key_id!r} is not base64") from exc
        if len(raw) != 32:
            raise ValueError(f"{setting}: key {key_id!r} must be 32 bytes (AES-256)")
        keys[key_id] = raw
    if not keys:
        raise ValueError(f"{setting} holds no key")
    return keys


def new_key_entry(key_id: str | None = None) -> str:
    """A fresh ``id:base64key`` entry for ``PORTAL_STORAGE_KEY``."""
    key_id = key_id or "k" + secrets.token_hex(4)
    return f"{key_id}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip('=')}"


def dev_storage_key(instance: Path) -> str:
    """A key kept in the instance folder so that development files survive restarts."""
    path = instance / "storage_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    entry = new_key_entry("dev")
    path.write_text(entry)
    path.chmod(0o600)
    return entry
