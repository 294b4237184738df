"""The second factor: time-based one-time passwords (TOTP, RFC 6238) and recovery codes.

Codes are the 6-digit, 30-second codes every authenticator app makes. A code is accepted one
time-step either side of now (clock drift), and only for a step later than the last one the
user used, so that an overheard code cannot be replayed.

Secrets are sealed at rest with AES-256-GCM, bound to the user's id (a sealed secret copied to
another row does not open). Keys come from ``PORTAL_TOTP_KEY`` in the same ``id:base64key``
list form as ``PORTAL_STORAGE_KEY``: the first key seals, every listed key opens, so a key is
rotated by putting a new one first, running ``portal accounts reseal-totp``, then removing the
old one. Without ``PORTAL_TOTP_KEY`` a key derived from ``PORTAL_SECRET_KEY`` is used (id
``sk``); it stays readable as the last key of the ring, so a deployment can move to its own key
with the same re-seal. Changing ``PORTAL_SECRET_KEY`` while secrets are sealed under ``sk``
makes them unreadable: those users then need an administrator's reset and enrol again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from portal.storage import parse_keys

DIGITS = 6
INTERVAL = 30
VALID_WINDOW = 1  # one step either side of now
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_GROUPS, _RECOVERY_GROUP_LENGTH = 4, 4  # 16 characters, about 79 bits
_SEALED_VERSION = "v1"
DERIVED_KEY_ID = "sk"


class TotpKeyError(RuntimeError):
    """A sealed secret cannot be opened with the configured keys."""


def new_secret() -> str:
    """A fresh random base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=account, issuer_name=issuer
    )


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI (the CSP allows ``img-src data:``)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalize_code(code: str) -> str:
    """Full-width digits (from a Japanese input method) folded, spaces and hyphens dropped."""
    folded = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in folded if not ch.isspace() and ch != "-").lower()


def time_step(at: datetime) -> int:
    """The RFC 6238 time-step number of ``at``."""
    return int(at.timestamp()) // INTERVAL


def matching_step(secret: str, code: str, *, at: datetime, after_step: int | None) -> int | None:
    """The time-step ``code`` belongs to if it is valid at ``at`` and later than ``after_step``.

    Returns None for a wrong, expired or already used code.
    """
    code = normalize_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    now = time_step(at)
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, at: datetime) -> str:
    """The code an authenticator app shows at ``at`` (for the CLI and tests)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).at(at)


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Random one-time recovery codes such as ``k7mq-2x9d-hf4t-8bnc``."""
    return [
        "-".join(
            "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
            for _ in range(_RECOVERY_GROUPS)
        )
        for _ in range(count)
    ]


def hash_recovery_code(code: str) -> str:
    """The stored form of a recovery code: SHA-256 of its normalised text.

    The codes carry about 79 random bits, so a fast hash suffices (unlike passwords).
    """
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    """Whether ``code`` has the shape of a recovery code (rather than a 6-digit code)."""
    return len(normalize_code(code)) == _RECOVERY_GROUPS * _RECOVERY_GROUP_LENGTH


# --- sealing secrets at rest ------------------------------------------------------------


def derived_key(secret_key: str) -> bytes:
    """A 32-byte key for TOTP secrets derived from the app's secret key (HKDF-SHA256)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"itaku-portal totp secrets v1"
    ).derive(secret_key.encode())


@dataclass(frozen=True)
class KeyRing:
    """The keys that seal and open TOTP secrets; the first one seals."""

    keys: Mapping[str, bytes]

    @classmethod
    def from_config(cls, *, totp_keys: str, secret_key: str) -> KeyRing:
        """``PORTAL_TOTP_KEY`` entries first, then the key derived from the secret key."""
        keys = dict(parse_keys(totp_keys)) if totp_keys.strip() else {}
        if secret_key:
            keys.setdefault(DERIVED_KEY_ID, derived_key(secret_key))
        if not keys:
            raise ValueError("no key for TOTP secrets: set PORTAL_TOTP_KEY or PORTAL_SECRET_KEY")
        return cls(keys=keys)

    @property
    def current_key_id(self) -> str:
        return next(iter(self.keys))

    @staticmethod
    def _aad(user_id: int) -> bytes:
        return f"itaku-portal totp user {user_id}".encode()

    def seal(self, secret: str, *, user_id: int) -> str:
        """``v1:<key id>:<base64(nonce | ciphertext)>``."""
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self.keys[self.current_key_id]).encrypt(
            nonce, secret.encode(), self._aad(user_id)
        )
        payload = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{_SEALED_VERSION}:{self.current_key_id}:{payload}"

    def open(self, sealed: str, *, user_id: int) -> str:
        """The secret inside ``sealed``; TotpKeyError when no configured key opens it."""
        version, _, rest = sealed.partition(":")
        key_id, _, payload = rest.partition(":")
        if version != _SEALED_VERSION or key_id not in self.keys:
            raise TotpKeyError(f"TOTP secret sealed with an unknown key {key_id!r}")
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            plain = AESGCM(self.keys[key_id]).decrypt(raw[:12], raw[12:], self._aad(user_id))
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise TotpKeyError("TOTP secret does not open (damaged or wrong key)") from exc
        return plain.decode()

    def needs_reseal(self, sealed: str) -> bool:
        """Whether ``sealed`` was sealed with a key other than the current one."""
        return sealed.split(":", 2)[1:2] != [self.current_key_id]
