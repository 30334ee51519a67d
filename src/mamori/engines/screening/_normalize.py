from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mamori.engines.screening._fold import fold_text

if TYPE_CHECKING:
    from mamori.engines.screening._config import ScreeningConfig

# Deleted rather than turned into a space, so that "S.A.", "L.L.C." and "McDonald's" stay
# one word.
_JOINERS = re.compile(r"[./'’`]")
_REPEATED_VOWEL = re.compile(r"([aeiou])\1+")
_KANA_PUNCTUATION = {"・", "゠"}


def _is_kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" and char not in _KANA_PUNCTUATION


def _is_cjk(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff"
        or "\u3400" <= char <= "\u4dbf"
        or "\uf900" <= char <= "\ufaff"
        or "\uac00" <= char <= "\ud7af"
        or char == "々"
        or _is_kana(char)
    )


def _spaces_for_punctuation(text: str) -> str:
    text = _JOINERS.sub("", text)
    return "".join(
        " " if unicodedata.category(char)[0] in "PSZC" or char in _KANA_PUNCTUATION else char
        for char in text
    )


@functools.cache
def _tokenizer():
    # Imported and built once: Janome loads its dictionary (shipped in the wheel) here.
    from janome.tokenizer import Tokenizer

    return Tokenizer()


_LONG_VOWEL = re.compile(r"([aeiou])[-ー]")
_KATAKANA_WORD = re.compile(r"[\u30a0-\u30ffー]+")


def _hepburn(kana: str) -> str:
    import jaconv

    # The long-vowel mark repeats the vowel before it (ソニー → sonii), as Hepburn spells it.
    return _LONG_VOWEL.sub(r"\1\1", jaconv.kana2alphabet(jaconv.kata2hira(kana)))


def romanize(text: str) -> str:
    """Return Japanese text in Hepburn romaji (kana and the kanji mixed with it).

    Kanji are read by Janome's dictionary (IPADIC); a run of katakana stays one word,
    however the dictionary splits it, so that トウシバ reads "toushiba", not "tou shiba".
    """
    words: list[str] = []
    katakana_run = False
    for token in _tokenizer().tokenize(text):
        surface = token.surface
        reading = token.reading if token.reading not in ("", "*") else surface
        is_katakana = bool(_KATAKANA_WORD.fullmatch(surface))
        word = _hepburn(reading).strip()
        if not word:
            katakana_run = False
            continue
        if is_katakana and katakana_run and words:
            words[-1] += word
        else:
            words.append(word)
        katakana_run = is_katakana
    return " ".join(words)


def fold_romaji(token: str) -> str:
    """Fold the ways one sound is written in Latin letters: long vowels ("ou", "oo", "aa")
    become one vowel, so that トウシバ (toushiba) and Toshiba meet."""
    return _REPEATED_VOWEL.sub(r"\1", token.replace("ou", "o"))


@dataclass(frozen=True)
class NameKeys:
    """A name reduced to what matching compares.

    ``latin`` holds the words in Latin letters (romanized from kana when the name has kana),
    ``compact`` the same without spaces, ``ordered`` the words sorted (so word order does
    not count) and ``cjk`` the CJK and kana characters without spaces.
    """

    name: str
    latin: str
    compact: str
    ordered: str
    cjk: str
    transliterated: bool

    @property
    def empty(self) -> bool:
        return not (self.compact or self.cjk)


def _strip_forms(tokens: list[str], forms: frozenset[str]) -> list[str]:
    start, end = 0, len(tokens)
    while start < end and tokens[start] in forms:
        start += 1
    while end > start and tokens[end - 1] in forms:
        end -= 1
    return tokens[start:end]


def _tokens(name: str, config: ScreeningConfig, remove_forms: bool) -> list[str]:
    text = fold_text(name)
    if remove_forms:
        for form in config.cjk_legal_forms:
            if form in text:
                text = text.replace(form, " ")
    tokens = _spaces_for_punctuation(text).split()
    return _strip_forms(tokens, config.latin_legal_forms) if remove_forms else tokens


def normalize_name(name: str, config: ScreeningConfig) -> NameKeys:
    """Return the matching keys of ``name``: width, case and punctuation folded, legal-form
    words (Co., Ltd., 株式会社, 有限公司...) removed, kana romanized."""
    tokens = _tokens(name, config, remove_forms=True) or _tokens(name, config, remove_forms=False)
    joined = "".join(tokens)
    has_cjk = any(_is_cjk(char) for char in joined)
    has_kana = any(_is_kana(char) for char in joined)
    if has_kana:
        romaji = _spaces_for_punctuation(romanize(" ".join(tokens))).split()
        latin_tokens = _strip_forms(romaji, config.latin_legal_forms) or romaji
    elif not has_cjk:
        latin_tokens = tokens
    else:
        latin_tokens = []
    latin_tokens = [fold_romaji(token) for token in latin_tokens]
    latin = " ".join(latin_tokens)
    return NameKeys(
        name=name,
        latin=latin,
        compact="".join(latin_tokens),
        ordered=" ".join(sorted(latin_tokens)),
        cjk=joined if has_cjk else "",
        transliterated=has_kana,
    )
