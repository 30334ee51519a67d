"""Text helpers: normalisation for matching, display cleaning, sentences, numbers, durations."""

from __future__ import annotations

import re
import unicodedata

# Japanese characters and punctuation: no space is kept between two of them.
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
TERMINATORS = ("。", ".", ":", "：", "．")

_KANJI_DIGITS = {
    "〇": 0,
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
_KANJI_UNITS = {"十": 10, "百": 100}


_SPACE_IN_QUOTES = re.compile(r'((?:^|[\s(\[])["“‘])\s+|\s+(["”’](?=[\s)\].,;:]|$))')


def clean(text: str) -> str:
    """Return ``text`` as quoted: runs of white space made one space, none between
    Japanese characters nor just inside quotation marks (so that a line wrapped in a PDF,
    or spaced by its text layer, reads as the Word paragraph)."""
    text = _SPACES.sub(" ", text.replace("\u3000", " ")).strip()
    text = _SPACE_IN_QUOTES.sub(lambda m: m.group(1) or m.group(2), text)
    return _SPACE_BETWEEN_CJK.sub("", text)


_FULL_STOP_IN_BRACKETS = re.compile(r"。(?=[)」』】])")
# A full stop followed by a word in lower case ends no sentence ("e.g. drawings", a stray
# "all. technical documentation" of a PDF), nor do those inside "e.g.": patterns' [^.;]*
# span them.
_FULL_STOP_INSIDE = re.compile(r"(?<=[A-Za-z])\.(?=\s+[a-z]|[a-z]\.)")


def normalise(text: str) -> str:
    """Return ``text`` as patterns see it: NFKC, lower case, cleaned, and without the 。 that
    closes a bracket (（以下「甲」という。）), so that [^。]* in a pattern spans it, nor a full
    stop inside an English sentence."""
    text = _FULL_STOP_INSIDE.sub("", unicodedata.normalize("NFKC", text))
    return _FULL_STOP_IN_BRACKETS.sub("", clean(text.lower()))


def is_japanese(text: str, threshold: float = 0.2) -> bool:
    """Return whether at least ``threshold`` of the non-space characters are Japanese."""
    letters = [char for char in text if not char.isspace()]
    if not letters:
        return False
    return sum(1 for char in letters if _CJK_CHAR.match(char)) / len(letters) >= threshold


def join_lines(first: str, second: str) -> str:
    """Join a wrapped line to the one before: no space between Japanese characters."""
    if not first:
        return second
    if _CJK_CHAR.match(first[-1]) or (second and _CJK_CHAR.match(second[0])):
        return first + second
    return f"{first} {second}"


_SENTENCE_END_EN = re.compile(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])")
_ABBREVIATIONS = re.compile(
    r"\b(e\.g|i\.e|etc|inc|co|ltd|no|art|sec|corp|jr|sr|mr|ms|dr|vs)\.$", re.IGNORECASE
)
_OPENING, _CLOSING = "（(「『【", "）)」』】"


def _split_japanese(text: str) -> list[str]:
    # 。 ends a sentence only outside brackets: （以下「甲」という。） stays in its sentence.
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif char == "。" and depth == 0:
            parts.append(text[start : index + 1])
            start = index + 1
    parts.append(text[start:])
    return parts


def sentences(text: str) -> list[str]:
    """Split a cleaned paragraph into sentences (after 。 outside brackets, or after . ! ?
    in English)."""
    result: list[str] = []
    for part in _split_japanese(text):
        pieces = _SENTENCE_END_EN.split(part)
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREVIATIONS.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        result.extend(piece.strip() for piece in merged if piece.strip())
    return result


def kanji_number(text: str) -> int | None:
    """Return the value of a number in ASCII, full-width or kanji digits (二十三), or None."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[char] if current else _KANJI_DIGITS[char]
        elif char in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[char]
            current = 0
        else:
            return None
    return total + current if text else None


_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty"]
# A number in words up to forty-nine ("fourteen", "Twenty-One"), for a regular expression.
WORD_NUMBER = rf"(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS + _UNITS)}"


def word_number(text: str) -> int | None:
    """Return the value of a number in words ("fourteen", "Twenty-One"), or None."""
    words = re.split(r"[-\s]+", text.lower())
    if len(words) == 1 and words[0] in _UNITS + _TEENS:
        return (_UNITS + _TEENS).index(words[0]) + 1
    if words[0] in _TENS and (len(words) == 1 or (len(words) == 2 and words[1] in _UNITS)):
        ones = _UNITS.index(words[1]) + 1 if len(words) == 2 else 0
        return (_TENS.index(words[0]) + 2) * 10 + ones
    return None


_ENGLISH_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "thirty-six": 36,
}
_DURATION_JA = re.compile(
    r"([0-9]+|[一二三四五六七八九十〇]+) ?(年|か月|ヶ月|ヵ月|カ月|箇月|ケ月|月間)"
)
_DURATION_EN = re.compile(
    r"\b([0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|"
    r"twenty[- ]four|thirty[- ]six)\s*(?:\([0-9]+\)\s*)?(years?|months?)\b"
)
INDEFINITE = re.compile(
    r"期間の定めなく|無期限|永久|永続|営業秘密に該当する(間|限り)|indefinite|perpetu|"
    r"for so long as|as long as|"
    r"at any time (after|following) (the )?(termination|expiration|expiry)"
)


def durations_in_months(norm: str) -> list[int]:
    """Return every duration in a normalised text, in months (3年 → 36, six months → 6)."""
    found: list[int] = []
    for number, unit in _DURATION_JA.findall(norm):
        value = kanji_number(number)
        if value is not None:
            found.append(value * 12 if unit == "年" else value)
    for number, unit in _DURATION_EN.findall(norm):
        value = _ENGLISH_NUMBERS.get(number.replace(" ", "-")) or (
            int(number) if number.isdigit() else None
        )
        if value is not None:
            found.append(value * 12 if unit.startswith("year") else value)
    return found


_SEGMENT = re.compile(r"[、,;；]|\band\b")


def segments(norm: str) -> list[str]:
    """Split a normalised sentence at commas and 、 (to tie a duration to its context)."""
    return [part for part in _SEGMENT.split(norm) if part.strip()]
