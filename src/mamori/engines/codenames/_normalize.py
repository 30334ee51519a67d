"""One-to-one character folding: the basis of matching that ignores width, case and dashes.

Every UTF-16 code unit maps to exactly one code unit, so a folded text is as long as the
original and a match found in it sits at the same offsets in the original: no offset map
is needed to replace only the term. The table folds

- full-width ASCII (ＡＢＣ１２３) to ASCII and half-width katakana (ｶﾀｶﾅ) to full width,
  the half-width voiced marks (ﾞﾟ) and the combining ones to the spacing marks ゛゜;
- Latin (and every other) case to lower case where that is one character;
- spaces and hyphens, dashes, minus signs and the long-vowel mark to one separator "-".

A half-width ｶﾞ is two units where ガ is one; the matcher adds the decomposed spelling
(カ゛) of such terms as a variant instead (``decompose_voiced``).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np

SEPARATOR = "-"
# Characters written between the parts of a name: spaces, hyphens, dashes, minus signs,
# and the long-vowel mark that Japanese input methods give for a hyphen ("PFー200").
SEPARATORS = frozenset(
    " \u3000\u00a0\u2002\u2003\u2009"  # spaces: ASCII, ideographic, no-break, en, em, thin
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe63\uff0d"  # hyphens and dashes
    "\u30fc\uff70"  # long-vowel mark, full and half width
)
# The separators dropped to form a name's joined spelling ("PF-200" -> "PF200"); the
# long-vowel mark is part of a katakana word and is kept.
JOINABLE = SEPARATORS - {"\u30fc", "\uff70"}

VOICED_MARK, SEMI_VOICED_MARK = "\u309b", "\u309c"
_MARKS = {
    "\uff9e": VOICED_MARK,  # half-width
    "\u3099": VOICED_MARK,  # combining
    "\u309b": VOICED_MARK,
    "\uff9f": SEMI_VOICED_MARK,
    "\u309a": SEMI_VOICED_MARK,
    "\u309c": SEMI_VOICED_MARK,
}
_WIDTH_RANGES = ((0xFF01, 0xFF5E), (0xFF61, 0xFF9F))
_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz"


def _fold(char: str) -> str:
    """Return the folded form of one character (itself when nothing applies)."""
    if char in SEPARATORS:
        return SEPARATOR
    if char in _MARKS:
        return _MARKS[char]
    code = ord(char)
    if any(low <= code <= high for low, high in _WIDTH_RANGES):
        wide = unicodedata.normalize("NFKC", char)
        if len(wide) == 1:
            char = wide
    lower = char.lower()
    return lower if len(lower) == 1 and ord(lower) <= 0xFFFF else char


@cache
def fold_table() -> np.ndarray:
    """Return the folding table: 65,536 UTF-16 code units to their folded unit.

    Surrogates map to themselves: astral characters are compared as they are."""
    changed: dict[int, int] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if char.lower() != char:
            changed[code] = ord(_fold(char))
    for char in (*SEPARATORS, *_MARKS):
        changed[ord(char)] = ord(_fold(char))
    for low, high in _WIDTH_RANGES:
        for code in range(low, high + 1):
            changed[code] = ord(_fold(chr(code)))
    table = np.arange(0x10000, dtype=np.uint16)
    codes = np.fromiter(changed.keys(), dtype=np.int64, count=len(changed))
    table[codes] = np.fromiter(changed.values(), dtype=np.uint16, count=len(changed))
    table.setflags(write=False)
    return table


@cache
def _translation() -> dict[int, int]:
    table = fold_table()
    changed = np.flatnonzero(table != np.arange(0x10000, dtype=np.uint16))
    return {int(code): int(table[code]) for code in changed}


def _swapped(values: np.ndarray) -> np.ndarray:
    return ((values & 0xFF) << 8) | (values >> 8)


@cache
def haystack_table() -> np.ndarray:
    """Return the folding table with its results byte-swapped: an array folded with it
    holds, in memory, the folded text in UTF-16 big-endian (the order the automaton
    reads fastest: a character's high byte first)."""
    table = _swapped(fold_table().astype(np.uint32)).astype(np.uint16)
    table.setflags(write=False)
    return table


@cache
def haystack_alnum() -> np.ndarray:
    """Return which haystack elements (byte-swapped folded units) are Latin word
    characters (a-z, 0-9)."""
    table = np.zeros(0x10000, dtype=bool)
    for char in _ALNUM:
        table[_swap(ord(char))] = True
    table.setflags(write=False)
    return table


def _swap(code: int) -> int:
    return ((code & 0xFF) << 8) | (code >> 8)


def haystack_code(element: int) -> int:
    """Return the folded code unit a haystack element stands for."""
    return _swap(int(element))


def is_alnum(char: str) -> bool:
    """Return whether a folded character is a Latin word character (a-z, 0-9)."""
    return char in _ALNUM and char != ""


def normalize(text: str) -> str:
    """Return ``text`` folded character by character; the result has the same length."""
    return text.translate(_translation())


_CHUNK = 1 << 15


def haystack(units: np.ndarray) -> np.ndarray:
    """Return the haystack of UTF-16 code units: folded, one element per unit, each
    holding its folded unit byte-swapped (so that the memory reads as UTF-16 BE).

    Folded in chunks: the lookup's index array then stays in the CPU cache."""
    table = haystack_table()
    if len(units) <= _CHUNK:
        return np.take(table, units)
    out = np.empty(len(units), dtype=np.uint16)
    for start in range(0, len(units), _CHUNK):
        np.take(table, units[start : start + _CHUNK], out=out[start : start + _CHUNK])
    return out


def text_units(text: str) -> np.ndarray:
    """Return the UTF-16 code units of ``text`` (values; big-endian in memory)."""
    return np.frombuffer(text.encode("utf-16-be", "surrogatepass"), dtype=">u2")


def pattern_bytes(text: str) -> bytes:
    """Return a folded pattern as the automaton reads it (UTF-16 BE)."""
    return text.encode("utf-16-be", "surrogatepass")


def spelling_key(text: str) -> str:
    """Return the key under which two spellings count as the same term: folded, with
    voiced kana decomposed (ポリシラザン, ﾎﾟﾘｼﾗｻﾞﾝ and ＰＯＬＹ-1 / poly 1 pair up)."""
    return normalize(decompose_voiced(text.strip()))


def joined(text: str) -> str:
    """Return ``text`` without the separators between its parts ("PF-200" -> "PF200")."""
    return "".join(char for char in text if char not in JOINABLE)


def decompose_voiced(text: str) -> str:
    """Return ``text`` with voiced kana written as base + mark (ガ -> カ゛), the way a
    half-width ｶﾞ or a decomposed (NFD) text folds."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        if len(parts) == 2 and parts[1] in "\u3099\u309a":
            out.append(parts[0] + _MARKS[parts[1]])
        else:
            out.append(char)
    return "".join(out)
