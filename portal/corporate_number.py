"""法人番号 (corporate number): 13 digits, the first being a check digit."""

from __future__ import annotations

import unicodedata


def normalize_corporate_number(value: str) -> str:
    """Full-width digits to ASCII, separators (spaces, hyphens) removed."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if ch not in " -\u2010\u2011\u2012\u2013\u2212\u30fc")


def check_digit(base12: str) -> int:
    """The check digit of the 12-digit base number (National Tax Agency's formula)."""
    digits = [int(ch) for ch in reversed(base12)]  # P1 is the lowest digit
    total = sum(d * (1 if n % 2 == 1 else 2) for n, d in enumerate(digits, start=1))
    return 9 - total % 9


def is_valid_corporate_number(value: str) -> bool:
    """Whether ``value`` (already normalised) is 13 digits with a correct check digit."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    return int(value[0]) == check_digit(value[1:])
