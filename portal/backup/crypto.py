"""The backup file's encryption: AES-256-GCM in chunks, streamed in both directions.

The same STREAM construction as the encrypted storage (``portal/storage.py``), with its own
magic and a larger chunk::

    b"ITKBAK" | version (1 byte) | key id length (1 byte) | key id | nonce prefix (8 bytes)
    then per chunk: ciphertext length (4 bytes, big endian) | ciphertext+tag

Chunk ``i`` is sealed with the nonce ``prefix | i`` and the header plus ``i`` and a "last"
flag as associated data: a changed, reordered, dropped or truncated chunk, and anything
appended after the last one, fail authentication. The key id names which entry of
``PORTAL_BACKUP_KEY`` sealed the file, so that the backup key can be rotated.
"""

from __future__ import annotations

import io
import secrets
import struct
from collections.abc import Mapping
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CHUNK_SIZE = 1024 * 1024
MAGIC = b"ITKBAK"
VERSION = 1
_NONCE_PREFIX = 8
# A sealed chunk is its plaintext plus the 16-byte tag; anything larger is not ours.
_MAX_RECORD = CHUNK_SIZE + 16


class BackupAuthenticationError(ValueError):
    """The backup file is damaged, truncated, tampered with, or sealed with another key."""


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">IB", index, 1 if last else 0)


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that seals what is written into ``out``; ``close`` seals the end."""

    def __init__(self, out: BinaryIO, key_id: str, key: bytes) -> None:
        self._out = out
        self._aead = AESGCM(key)
        encoded = key_id.encode()
        self._prefix = secrets.token_bytes(_NONCE_PREFIX)
        self._header = MAGIC + bytes([VERSION, len(encoded)]) + encoded + self._prefix
        self._buffer = bytearray()
        self._index = 0
        out.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        # Keep at least one byte back: only ``close`` knows which chunk is the last.
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _seal(self, data: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(
            _nonce(self._prefix, self._index), data, _aad(self._header, self._index, last)
        )
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


def read_key_id(source: BinaryIO) -> tuple[bytes, str]:
    """Read the header of a backup file: (header bytes, key id)."""
    start = source.read(len(MAGIC) + 2)
    if len(start) < len(MAGIC) + 2 or not start.startswith(MAGIC):
        raise BackupAuthenticationError("ポータルのバックアップファイルではありません。")
    if start[len(MAGIC)] != VERSION:
        raise BackupAuthenticationError("バックアップファイルの形式の版が不明です。")
    key_id = source.read(start[-1])
    prefix = source.read(_NONCE_PREFIX)
    if len(key_id) != start[-1] or len(prefix) != _NONCE_PREFIX:
        raise BackupAuthenticationError("バックアップファイルが途中で切れています。")
    return start + key_id + prefix, key_id.decode(errors="replace")


class DecryptingReader(io.RawIOBase):
    """A read-only stream of the plaintext; every chunk is authenticated before it is given out.

    Reading to the end also proves that the file is complete (the last chunk is marked).
    """

    def __init__(self, source: BinaryIO, keys: Mapping[str, bytes]) -> None:
        self._source = source
        self._header, key_id = read_key_id(source)
        key = keys.get(key_id)
        if key is None:
            raise BackupAuthenticationError(
                f"このバックアップは鍵 {key_id!r} で暗号化されています。"
                "PORTAL_BACKUP_KEY にその鍵がありません。"
            )
        self._aead = AESGCM(key)
        self._prefix = self._header[-_NONCE_PREFIX:]
        self._index = 0
        self._pending = self._record()
        if self._pending is None:
            raise BackupAuthenticationError("バックアップファイルが途中で切れています。")
        self._plain = b""
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _record(self) -> bytes | None:
        head = self._source.read(4)
        if not head:
            return None
        (length,) = struct.unpack(">I", head.ljust(4, b"\0"))
        if len(head) < 4 or length > _MAX_RECORD:
            raise BackupAuthenticationError("バックアップファイルが壊れています（長さの欄）。")
        data = self._source.read(length)
        if len(data) != length:
            raise BackupAuthenticationError("バックアップファイルが途中で切れています。")
        return data

    def _next_chunk(self) -> bytes:
        record = self._pending
        assert record is not None
        following = self._record()
        last = following is None
        try:
            plain = self._aead.decrypt(
                _nonce(self._prefix, self._index), record, _aad(self._header, self._index, last)
            )
        except InvalidTag:
            if last:
                message = (
                    "バックアップファイルの認証に失敗しました（途中で切れているか、"
                    "改ざんされているか、別の鍵で暗号化されています）。"
                )
            else:
                message = (
                    f"バックアップファイルの認証に失敗しました（チャンク {self._index}: "
                    "改ざんされているか、別の鍵で暗号化されています）。"
                )
            raise BackupAuthenticationError(message) from None
        self._index += 1
        self._pending = following
        self._done = last
        return plain

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        # The current chunk and a position in it: slicing a 1 MiB chunk anew on every small
        # read (tarfile reads 10 KiB at a time) would copy the whole chunk each time.
        parts, wanted = [], size if size is not None and size >= 0 else None
        while wanted is None or wanted > 0:
            if self._pos >= len(self._plain):
                if self._done:
                    break
                self._plain, self._pos = self._next_chunk(), 0
                continue
            end = len(self._plain) if wanted is None else min(len(self._plain), self._pos + wanted)
            parts.append(self._plain[self._pos : end])
            if wanted is not None:
                wanted -= end - self._pos
            self._pos = end
        return b"".join(parts)

    def drain(self) -> None:
        """Read (and so authenticate) everything up to the marked last chunk."""
        while not self._done:
            self._next_chunk()
        self._plain, self._pos = b"", 0
