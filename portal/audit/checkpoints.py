"""Signed checkpoints of the chain head, kept outside the database.

``keygen`` writes an Ed25519 private key (mode 0600) and its public key. ``checkpoint``
signs (seq, hash, time) of the head and appends it, one JSON line, to ``checkpoints.jsonl``
in the checkpoint folder. Someone who can rewrite the database cannot forge a checkpoint
without the key, so truncating or rewriting the chain behind a checkpoint is detected.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CHECKPOINT_FILE = "checkpoints.jsonl"
PUBLIC_KEY_FILE = "audit-signing.pub"


class CheckpointError(Exception):
    """A key or checkpoint problem, with a message for the operator."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    signed_at: str
    signature: str
    line: int = 0

    def payload(self) -> bytes:
        return signed_payload(self.seq, self.hash, self.signed_at)


def signed_payload(seq: int, head_hash: str, signed_at: str) -> bytes:
    """The exact bytes a checkpoint signs."""
    return json.dumps(
        {"hash": head_hash, "seq": seq, "signed_at": signed_at},
        sort_keys=True,
        separators=(",", ":"),
    ).encode("ascii")


def public_key_path(config: dict[str, Any]) -> Path:
    """Where the public key is: configured, or beside the checkpoints."""
    configured = config.get("AUDIT_PUBLIC_KEY_FILE")
    return (
        Path(configured) if configured else Path(config["AUDIT_CHECKPOINT_DIR"]) / PUBLIC_KEY_FILE
    )


def generate_keys(*, private_path: Path, public_path: Path) -> None:
    """Create the key pair; the private key is written with mode 0600 and never overwritten."""
    if private_path.exists():
        raise CheckpointError(f"{private_path} already exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    private_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    public_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key; refuses a key file that others may read."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        raise CheckpointError(f"signing key {path} not found (run `portal audit keygen`)") from None
    if mode & 0o077:
        raise CheckpointError(
            f"signing key {path} is readable by others (mode {mode:o}); chmod 600"
        )
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The verification key."""
    if not path.exists():
        raise CheckpointError(f"public key {path} not found")
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} is not an Ed25519 public key")
    return key


def append_checkpoint(
    *, directory: Path, key: Ed25519PrivateKey, seq: int, head_hash: str, signed_at: str
) -> Checkpoint:
    """Sign the head and append the checkpoint to the file (fsynced)."""
    signature = base64.b64encode(key.sign(signed_payload(seq, head_hash, signed_at))).decode()
    checkpoint = Checkpoint(seq=seq, hash=head_hash, signed_at=signed_at, signature=signature)
    directory.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {"seq": seq, "hash": head_hash, "signed_at": signed_at, "signature": signature},
        sort_keys=True,
    )
    with open(directory / CHECKPOINT_FILE, "a", encoding="ascii") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())
    return checkpoint


def read_checkpoints(directory: Path) -> list[Checkpoint]:
    """Every checkpoint in the file, in the order written."""
    path = directory / CHECKPOINT_FILE
    if not path.exists():
        return []
    checkpoints = []
    for number, raw in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            checkpoints.append(
                Checkpoint(
                    seq=int(data["seq"]),
                    hash=str(data["hash"]),
                    signed_at=str(data["signed_at"]),
                    signature=str(data["signature"]),
                    line=number,
                )
            )
        except (ValueError, KeyError, TypeError):
            raise CheckpointError(f"{path}:{number}: not a checkpoint line") from None
    return checkpoints


def signature_valid(key: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    """Whether the checkpoint was signed by the key's private half."""
    try:
        key.verify(base64.b64decode(checkpoint.signature), checkpoint.payload())
    except (InvalidSignature, ValueError):
        return False
    return True
