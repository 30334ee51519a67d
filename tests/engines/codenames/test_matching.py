"""Matching: leftmost-longest over the whole text, insensitive to width, case and hyphen
or space variants, Latin word boundaries, offsets in the original text — checked by
examples and by properties against an independent brute-force search."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mamori.engines.codenames import Category, Dictionary, Term, normalize
from mamori.engines.codenames._matcher import Matcher
from mamori.engines.codenames._normalize import JOINABLE, SEPARATORS

TERMS = [
    Term("PF-200", Category.PROCESS, "条件A"),
    Term("ガドリニウム錯体", Category.MATERIAL, "素材A"),
    Term("株式会社ナノフィルムテック", Category.SUPPLIER, "供給元A", ("NFT社",)),
    Term("ABS樹脂", Category.MATERIAL, "素材B"),
    Term("焼成1250℃", Category.PROCESS, "条件B"),
]


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return Dictionary(TERMS)


def replaced(dictionary: Dictionary, text: str) -> str:
    return dictionary.sanitizer.replace(text)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PF-200を使う", "条件Aを使う"),
        ("ＰＦ－２００を使う", "条件Aを使う"),  # full width
        ("pf-200を使う", "条件Aを使う"),  # case
        ("PF‐200／PF—200／PF−200", "条件A／条件A／条件A"),  # hyphen, em dash, minus
        ("PF 200とPF　200", "条件Aと条件A"),  # ASCII and ideographic space
        ("PFー200", "条件A"),  # the long-vowel mark an input method gives for "-"
        ("PF200", "条件A"),  # joined
        ("ｶﾞﾄﾞﾘﾆｳﾑ錯体", "素材A"),  # half-width katakana with voiced marks
        ("カ\u3099ト\u3099リニウム錯体", "素材A"),  # decomposed (NFD)
        ("(株)ナノフィルムテック社", "(株)供給元A社"),  # a company without 株式会社
        ("ＮＦＴ社と", "供給元Aと"),  # a variant, full width
        ("abs樹脂の板", "素材Bの板"),
        ("焼成1250℃で", "条件Bで"),
        ("当社のガドリニウム錯体を東京で", "当社の素材Aを東京で"),  # inside a Japanese sentence
    ],
)
def test_variants_are_replaced(dictionary, text, expected):
    assert replaced(dictionary, text) == expected


@pytest.mark.parametrize(
    "text",
    ["PF2000", "XPF-200", "PF-2001", "MABS樹脂"],
    ids=["longer-number", "letter-before", "digit-after", "letter-before-latin"],
)
def test_latin_names_inside_longer_words_are_not_matched(dictionary, text):
    assert replaced(dictionary, text) == text


def test_only_the_term_is_replaced_and_offsets_are_those_of_the_original(dictionary):
    text = "😀前文ＰＦ－２００後文\r\n次の行 pf200"
    matches = dictionary.sanitizer.find(text).tuples()
    assert [text[start:end] for _, start, end in matches] == ["ＰＦ－２００", "pf200"]
    assert replaced(dictionary, text) == "😀前文条件A後文\r\n次の行 条件A"


def test_leftmost_longest_prefers_the_longer_term():
    dictionary = Dictionary(
        [
            Term("ナノフィルム", Category.MATERIAL, "素材A"),
            Term("ナノフィルムテック", Category.SUPPLIER, "供給元A"),
            Term("フィルムテック工法", Category.PROCESS, "条件A"),
        ]
    )
    assert replaced(dictionary, "ナノフィルムテック工法") == "供給元A工法"
    assert replaced(dictionary, "ナノフィルム工法") == "素材A工法"


def test_a_shorter_term_is_found_where_the_longer_one_is_not_a_word():
    dictionary = Dictionary(
        [Term("ナノ", Category.MATERIAL, "素材A"), Term("ナノX", Category.MATERIAL, "素材B")]
    )
    # "ナノX" is followed by a letter, so it is no match; "ナノ" (not Latin at its end) is.
    assert replaced(dictionary, "ナノXY") == "素材AXY"
    assert replaced(dictionary, "ナノX。") == "素材B。"


def test_a_codename_next_to_text_that_forms_a_term_is_sanitized_again():
    dictionary = Dictionary(
        [Term("炭素", Category.MATERIAL, "素材A"), Term("PF-200", Category.PROCESS, "素材B")]
    )
    from mamori.engines.codenames._text import replace_until_stable

    # "炭" + "素材B" reads "炭素材B", where 炭素 is a term: it is replaced too.
    final, passes = replace_until_stable("炭PF-200", dictionary.sanitizer)
    assert len(passes) == 2 and final == "素材A材B"
    assert replaced(dictionary, final) == final


# --- properties ------------------------------------------------------------------------------

FULL_WIDTH = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}
HALF_KATAKANA = {
    unicodedata.normalize("NFKC", chr(code)): chr(code)
    for code in range(0xFF66, 0xFF9E)
    if len(unicodedata.normalize("NFKC", chr(code))) == 1
}
NAMES = st.text(
    alphabet="アイカキサシタナハマランガザダバパーABCDEFXYZ0123456789-材料社", min_size=2
)
FILLER = st.text(alphabet="のはをにで、。「」 \n\r漢字テスト東京1ａｂ-", max_size=12)


def spelling(rng: random.Random, term: str) -> str:
    """Write ``term`` as a person might, character by character: another width, case,
    hyphen or space, half-width katakana (with its voiced mark)."""
    out = []
    for char in term:
        roll = rng.random()
        if char in SEPARATORS and roll < 0.5:
            out.append(rng.choice(sorted(JOINABLE)))
        elif char in FULL_WIDTH and roll < 0.3:
            out.append(FULL_WIDTH[char])
        elif char.isalpha() and char.isascii() and roll < 0.6:
            out.append(char.swapcase())
        elif roll < 0.4:
            parts = unicodedata.normalize("NFD", char)
            half = "".join(HALF_KATAKANA.get(p, p) for p in parts)
            voiced = half.replace("\u3099", "\uff9e").replace("\u309a", "\uff9f")
            out.append(voiced if half != parts else char)
        else:
            out.append(char)
    return "".join(out)


def brute_force_terms(dictionary: Dictionary, text: str) -> list[str]:
    """Return the terms whose folded form occurs in the folded text as a match would
    (Latin word boundaries respected), with a plain substring search."""
    folded = normalize(text)
    found = []
    for pattern in dictionary.patterns:
        start = folded.find(pattern.text)
        while start != -1:
            end = start + len(pattern.text)
            left = not pattern.text[0].isascii() or not pattern.text[0].isalnum()
            right = not pattern.text[-1].isascii() or not pattern.text[-1].isalnum()
            before_ok = left or start == 0 or not _latin(folded[start - 1])
            after_ok = right or end == len(folded) or not _latin(folded[end])
            if before_ok and after_ok:
                found.append(pattern.text)
            start = folded.find(pattern.text, start + 1)
    return found


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@st.composite
def documents(draw):
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique_by=normalize))
    names = [name for name in names if normalize(name).strip("-") == normalize(name)]
    assume(names)
    terms = [Term(name, Category.MATERIAL, f"〔素材{index}〕") for index, name in enumerate(names)]
    try:
        dictionary = Dictionary(terms)
    except ValueError:
        assume(False)
    rng = random.Random(draw(st.integers(0, 2**32)))
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        pieces.append(draw(FILLER))
        pieces.append(spelling(rng, rng.choice(names)))
    pieces.append(draw(FILLER))
    return dictionary, "".join(pieces), names


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(documents())
def test_no_term_remains_in_any_spelling(document):
    dictionary, text, _names = document
    from mamori.engines.codenames._text import replace_until_stable

    final, _ = replace_until_stable(text, dictionary.sanitizer)
    assert brute_force_terms(dictionary, final) == []


@PROPERTY
@given(documents())
def test_text_outside_the_matches_is_unchanged(document):
    dictionary, text, _names = document
    matcher = dictionary.sanitizer
    matches = matcher.find(text)
    rebuilt, position = [], 0
    targets = matcher.targets(matches).tolist()
    for (pattern, start, end), target in zip(matches.tuples(), targets, strict=True):
        assert normalize(text[start:end]) == dictionary.patterns[pattern].text
        rebuilt.append(text[position:start])
        rebuilt.append(matcher.replacements[target])
        position = end
    rebuilt.append(text[position:])
    assert matcher.apply(text, matches) == "".join(rebuilt)
    # What lies between matches, byte for byte, is the original.
    assert "".join(rebuilt[0::2]) == "".join(
        text[a:b]
        for a, b in zip(
            [0, *matches.ends.tolist()], [*matches.starts.tolist(), len(text)], strict=True
        )
    )


@PROPERTY
@given(documents())
def test_sanitizing_twice_changes_nothing_more(document):
    dictionary, text, _names = document
    from mamori.engines.codenames._text import replace_until_stable

    once, _ = replace_until_stable(text, dictionary.sanitizer)
    twice, passes = replace_until_stable(once, dictionary.sanitizer)
    assert twice == once and passes == []


@st.composite
def canonical_documents(draw):
    """Texts holding the terms as the dictionary writes them, and no codename (the
    codenames are bracketed, and no filler holds a bracket)."""
    dictionary, _text, names = draw(documents())
    pieces = []
    for _ in range(draw(st.integers(1, 5))):
        pieces.append(draw(FILLER))
        pieces.append(draw(st.sampled_from(names)))
    pieces.append(draw(FILLER))
    return dictionary, "".join(pieces)


@PROPERTY
@given(canonical_documents())
def test_restore_of_sanitize_gives_the_text_back(document):
    dictionary, text = document
    sanitized, matches = dictionary.sanitizer.replace(text)
    # Each match must be a term as written for the round trip to be exact.
    assume(
        all(
            text[start:end] == dictionary.terms[dictionary.patterns[p].term].text
            for p, start, end in matches.tuples()
        )
    )
    restored, _ = dictionary.restorer.replace(sanitized)
    assert restored == text


# --- the resolution of invalid raw matches, against a brute-force search --------------------


def reference(patterns: list[str], text: str) -> list[tuple[int, int, int]]:
    """Leftmost-longest valid matches, found position by position."""
    folded = normalize(text)
    out, position = [], 0
    while position < len(folded):
        best = None
        for start in range(position, len(folded)):
            for index, pattern in enumerate(patterns):
                end = start + len(pattern)
                if folded[start:end] != pattern:
                    continue
                if _latin(pattern[0]) and start > 0 and _latin(folded[start - 1]):
                    continue
                if _latin(pattern[-1]) and end < len(folded) and _latin(folded[end]):
                    continue
                if best is None or end - start > best[2] - best[1]:
                    best = (index, start, end)
            if best is not None:
                break
        if best is None:
            break
        out.append(best)
        position = best[2]
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(alphabet="ab1あい", min_size=1, max_size=4), min_size=1, max_size=6, unique=True
    ),
    st.text(alphabet="ab1あい x", max_size=60),
)
def test_matches_equal_a_brute_force_search(patterns, text):
    matcher = Matcher(
        [(p, i) for i, p in enumerate(patterns)], [str(i) for i in range(len(patterns))]
    )
    assert matcher.find(text).tuples() == reference(patterns, text)


def test_long_texts_resolve_invalid_matches_the_same_way():
    rng = random.Random(7)
    patterns = ["ab", "ab1", "b1", "あab", "1あ", "ba"]
    text = "".join(rng.choice("ab1あ x") for _ in range(6_000))
    matcher = Matcher([(p, i) for i, p in enumerate(patterns)], ["X"] * len(patterns))
    assert matcher.find(text).tuples() == reference(patterns, text)


def test_a_long_text_searched_in_parallel_pieces_finds_the_same(monkeypatch):
    from mamori.engines.codenames import _matcher
    from mamori.engines.codenames._normalize import haystack, text_units

    dictionary = Dictionary(TERMS)
    rng = random.Random(3)
    words = ["PF-200", "ＰＦ２００", "ガドリニウム錯体", "PF2000", "の", "\n", "x", "ABS樹脂", "、"]
    text = "".join(rng.choice(words) for _ in range(4_000))
    folded = haystack(text_units(text))
    serial = dictionary.sanitizer.find_units(folded)
    monkeypatch.setattr(_matcher, "PARALLEL_UNITS", 100)
    assert len(_matcher._pieces(folded)) == 2
    assert dictionary.sanitizer.find_units(folded).tolist() == serial.tolist()
