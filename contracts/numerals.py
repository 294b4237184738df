"""Numbers as Japanese contracts write them: kanji, full-width digits, circled, kana order."""

from __future__ import annotations

import unicodedata

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANA_ORDER = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_NUM = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"


def kanji_to_int(s: str) -> int:
    """Convert a number written in digits (half/full width) or kanji to an int."""
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[ch] if current else _KANJI_DIGITS[ch]
        elif ch in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
        else:
            return 0
    return total + current


def item_number(kind: str, n: str) -> int:
    """The ordinal of an item label of ``kind`` (イ → 1, ③ → 3, (b) → 2, 十二 → 12)."""
    if kind in ("paren_kana", "kana"):
        return _KANA_ORDER.find(n) + 1
    if kind == "circled":
        if n in CIRCLED:
            return CIRCLED.index(n) + 1
        return PAREN_NUM.index(n) + 1
    if kind == "paren_alpha":
        return ord(unicodedata.normalize("NFKC", n)) - ord("a") + 1
    return kanji_to_int(n)
