"""Password hashing (argon2id) and the password policy.

The policy follows current guidance: a minimum length, any characters (Japanese included),
no composition rules, and a refusal of passwords that are known to be common.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A valid hash to verify against when the account does not exist, so that an unknown user
# costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("dummy password for timing equalisation")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(_normalize(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; spends the same work when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, _normalize(password)) and bool(
            password_hash
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with parameters older than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def _normalize(password: str) -> str:
    # NFC so that the same Japanese text typed on different systems verifies.
    return unicodedata.normalize("NFC", password)


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, email: str = "") -> list[str]:
    """Japanese messages for each way ``password`` breaks the policy (empty when it is fine)."""
    problems: list[str] = []
    text = _normalize(password)
    if len(text) < MIN_LENGTH:
        problems.append(_("パスワードは%(n)d文字以上にしてください。", n=MIN_LENGTH))
    if len(text) > MAX_LENGTH:
        problems.append(_("パスワードは%(n)d文字以下にしてください。", n=MAX_LENGTH))
    folded = unicodedata.normalize("NFKC", text).lower()
    local_part = email.split("@", 1)[0].lower()
    if folded in _common_passwords() or len(set(folded)) <= 2:
        problems.append(_("よく使われるパスワードや推測されやすいパスワードは使えません。"))
    elif local_part and len(local_part) >= 4 and local_part in folded:
        problems.append(_("メールアドレスを含むパスワードは使えません。"))
    return problems
