"""The codename dictionary: terms, their categories, codenames and variants."""

from __future__ import annotations

import bisect
import itertools
import re
import string
import unicodedata
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from typing import Any

from mamori.engines.codenames._errors import DictionaryError, DictionaryProblem
from mamori.engines.codenames._normalize import (
    JOINABLE,
    SEPARATORS,
    decompose_voiced,
    joined,
    normalize,
)

MAX_TERM_LENGTH = 200


class Category(StrEnum):
    MATERIAL = "material"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    PROCESS = "process"
    PROJECT = "project"
    PERSON = "person"
    OTHER = "other"


# The codename a category's terms get when none is set: prefix + A, B, … Z, AA, AB, …
CODENAME_PREFIXES: dict[Category, str] = {
    Category.MATERIAL: "素材",
    Category.SUPPLIER: "供給元",
    Category.CUSTOMER: "顧客",
    Category.PROCESS: "条件",
    Category.PROJECT: "案件",
    Category.PERSON: "人物",
    Category.OTHER: "項目",
}

# Legal-entity words around a company's name: "株式会社ナノフィルムテック" is also written
# "ナノフィルムテック", "(株)ナノフィルムテック" or "ナノフィルムテック社".
_ENTITY_WORDS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "一般社団法人",
    "国立大学法人",
    "学校法人",
    "(株)",
    "（株）",
    "㈱",
    "(有)",
    "（有）",
    "㈲",
    "co., ltd.",
    "co.,ltd.",
    "co. ltd.",
    "ltd.",
    "inc.",
    "corporation",
    "corp.",
    "gmbh",
    "l.p.",
)
_COMPANY_CATEGORIES = frozenset({Category.SUPPLIER, Category.CUSTOMER})


@dataclass(frozen=True)
class Term:
    """A proper noun to replace: the name as usually written, its category, the codename
    that replaces it, other spellings, and a key the caller uses to find it again."""

    text: str
    category: Category
    codename: str
    variants: tuple[str, ...] = ()
    key: Hashable = None


def codename_sequence(category: Category | str) -> Iterable[str]:
    """Yield the generated codenames of a category in order: 素材A, 素材B, … 素材AA, …"""
    prefix = CODENAME_PREFIXES[Category(category)]
    for width in itertools.count(1):
        for letters in itertools.product(string.ascii_uppercase, repeat=width):
            yield prefix + "".join(letters)


def next_codename(category: Category | str, taken: Collection[str]) -> str:
    """Return the first generated codename of ``category`` not in ``taken`` (compared
    ignoring width, case and hyphens)."""
    used = {normalize(name) for name in taken}
    return next(name for name in codename_sequence(category) if normalize(name) not in used)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_LETTER = re.compile(r"[^\W\d_]")


def text_problem(value: str) -> str | None:
    """Return why ``value`` cannot be a term, variant or codename (a problem code), or
    ``None`` when it can."""
    if not value.strip():
        return "empty"
    if len(value) > MAX_TERM_LENGTH:
        return "too_long"
    if _CONTROL.search(value):
        return "control"
    folded = normalize(value.strip())
    if len(folded) < 2:
        return "too_short"
    if not _LETTER.search(folded) and not any(
        unicodedata.category(char) == "So" for char in folded
    ):
        return "no_letter"
    return None


@cache
def _entity_keys() -> tuple[str, ...]:
    return tuple(normalize(word) for word in _ENTITY_WORDS)


def _without_entity(text: str) -> str:
    """Return a company name without its legal-entity words and the separators around."""
    folded = normalize(text)
    for key in _entity_keys():
        if folded.startswith(key):
            text, folded = text[len(key) :], folded[len(key) :]
        if folded.endswith(key):
            text, folded = text[: -len(key)], folded[: -len(key)]
    return text.strip("".join(SEPARATORS) + ",.、")


@dataclass(frozen=True)
class Pattern:
    """One folded spelling to look for and the term it stands for."""

    text: str
    term: int
    explicit: bool  # the term or a variant as given, not a derived spelling


@dataclass(frozen=True)
class Dictionary:
    """A checked list of terms, ready to compile into matchers.

    Raise ``DictionaryError`` listing every problem: a text that cannot be a term, two
    terms or variants that are the same once width, case and hyphens are ignored, a
    codename used twice, a codename that is a term or contains one.
    """

    terms: tuple[Term, ...]
    patterns: tuple[Pattern, ...] = field(init=False, repr=False, compare=False)
    sanitizer: Any = field(init=False, repr=False, compare=False)

    def __init__(self, terms: Iterable[Term]):
        from mamori.engines.codenames._matcher import Matcher

        object.__setattr__(self, "terms", tuple(terms))
        object.__setattr__(self, "patterns", _patterns(self.terms))
        sanitizer = Matcher(
            [(p.text, p.term) for p in self.patterns],
            [term.codename for term in self.terms],
            check_straddles=True,
        )
        # A codename containing a term would be replaced again by the next sanitization.
        problems = []
        starts, position = [], 0
        for term in self.terms:
            starts.append(position)
            position += len(term.codename) + 1
        hits = sanitizer.find("\n".join(term.codename for term in self.terms))
        flagged: set[int] = set()
        for pattern, start, _ in hits.tuples():
            index = bisect.bisect_right(starts, start) - 1
            if index in flagged:
                continue
            flagged.add(index)
            other = self.terms[self.patterns[pattern].term].text
            problems.append(
                DictionaryProblem(
                    index, "codename", "codename_contains_term", self.terms[index].codename, other
                )
            )
        if problems:
            raise DictionaryError(problems)
        object.__setattr__(self, "sanitizer", sanitizer)

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"<Dictionary of {len(self.terms)} terms, {len(self.patterns)} spellings>"

    @cached_property
    def restorer(self):
        """The matcher that turns codenames back into the terms."""
        from mamori.engines.codenames._matcher import Matcher

        return Matcher(
            [(normalize(term.codename), index) for index, term in enumerate(self.terms)],
            [term.text for term in self.terms],
        )

    def term_of_pattern(self, pattern_index: int) -> Term:
        return self.terms[self.patterns[pattern_index].term]

    def companies_named(self, name: str) -> tuple[Term, ...]:
        """Return the company terms (customer, supplier) that ``name`` spells: the terms a
        document addressed to that company may keep, since it is the recipient's own name."""
        matches = self.sanitizer.find(name)
        found = {self.patterns[pattern].term for pattern, _, _ in matches.tuples()}
        return tuple(
            self.terms[index]
            for index in sorted(found)
            if self.terms[index].category in _COMPANY_CATEGORIES
        )

    def without(self, terms: Iterable[Term]) -> Dictionary:
        """Return this dictionary less ``terms`` (the same if there are none)."""
        leave = set(map(id, terms))
        if not leave:
            return self
        return Dictionary(term for term in self.terms if id(term) not in leave)


def _spellings(term: Term) -> list[tuple[str, bool]]:
    """Return the spellings to match for a term: the term and its variants as given, then
    derived ones (joined parts, decomposed voiced kana, a company name without 株式会社)."""
    given = [term.text, *term.variants]
    derived: list[str] = []
    for text in given:
        derived.append(decompose_voiced(text))
        if any(char in JOINABLE for char in text):
            derived.append(joined(text))
            derived.append(decompose_voiced(joined(text)))
    if term.category in _COMPANY_CATEGORIES:
        for text in given:
            bare = _without_entity(text)
            if bare != text:
                derived.extend([bare, decompose_voiced(bare)])
    return [(text, True) for text in given] + [(text, False) for text in derived]


def _patterns(terms: Sequence[Term]) -> tuple[Pattern, ...]:
    problems: list[DictionaryProblem] = []
    seen: dict[str, tuple[int, bool, str]] = {}  # folded -> (term index, explicit, as written)
    patterns: dict[str, Pattern] = {}
    for index, term in enumerate(terms):
        for field_name, values in (("term", [term.text]), ("variants", list(term.variants))):
            for value in values:
                code = text_problem(value)
                if code:
                    problems.append(DictionaryProblem(index, field_name, code, value))
        for text, explicit in _spellings(term):
            text = text.strip()
            if text_problem(text):
                continue  # reported above, or a derived spelling too short to be safe
            folded = normalize(text)
            earlier = seen.get(folded)
            if earlier is None:
                seen[folded] = (index, explicit, text)
                patterns[folded] = Pattern(folded, index, explicit)
                continue
            other_index, other_explicit, _ = earlier
            if other_index == index:
                continue
            if explicit and other_explicit:
                problems.append(
                    DictionaryProblem(index, "term", "duplicate", text, terms[other_index].text)
                )
            elif explicit:
                # An explicit spelling wins over another term's derived one.
                seen[folded] = (index, True, text)
                patterns[folded] = Pattern(folded, index, True)
    problems.extend(_codename_problems(terms, seen))
    if problems:
        raise DictionaryError(problems)
    return tuple(patterns.values())


def _codename_problems(
    terms: Sequence[Term], seen: dict[str, tuple[int, bool, str]]
) -> list[DictionaryProblem]:
    problems: list[DictionaryProblem] = []
    codenames: dict[str, int] = {}
    for index, term in enumerate(terms):
        code = text_problem(term.codename)
        if code:
            problems.append(DictionaryProblem(index, "codename", code, term.codename))
            continue
        folded = normalize(term.codename.strip())
        if folded in codenames:
            other = terms[codenames[folded]].text
            problems.append(
                DictionaryProblem(index, "codename", "codename_taken", term.codename, other)
            )
            continue
        codenames[folded] = index
        if folded in seen and seen[folded][1]:
            other = terms[seen[folded][0]].text
            problems.append(
                DictionaryProblem(index, "codename", "codename_is_term", term.codename, other)
            )
    return problems
