"""Folding of width, case and kana, which the settings and the names share."""

from __future__ import annotations

import unicodedata

_HIRAGANA = range(0x3041, 0x3097)


def fold_text(text: str) -> str:
    """Return ``text`` with width, case and kana folded: NFKC (full-width Latin and
    half-width katakana become ordinary), case-folded, hiragana turned into katakana."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(chr(ord(c) + 0x60) if ord(c) in _HIRAGANA else c for c in text)
