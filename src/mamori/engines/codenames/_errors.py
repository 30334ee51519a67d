"""The engine's error family: one base, subclassing ``ValueError``."""

from __future__ import annotations

from dataclasses import dataclass


class CodenameError(ValueError):
    """Base of every error the codename engine raises."""


@dataclass(frozen=True)
class DictionaryProblem:
    """What is wrong with one term of a dictionary.

    ``index`` is the term's position in the list given, ``field`` the field at fault
    (``term``, ``codename`` or ``variants``), ``code`` a stable identifier callers
    translate, ``value`` the text at fault and ``other`` the text it collides with.
    """

    index: int
    field: str
    code: str
    value: str
    other: str = ""

    @property
    def message(self) -> str:
        return PROBLEM_MESSAGES[self.code].format(value=self.value, other=self.other)


PROBLEM_MESSAGES = {
    "empty": "The text is empty.",
    "too_long": "“{value}” is longer than 200 characters.",
    "control": "“{value}” contains a line break or another control character.",
    "too_short": "“{value}” is a single character; it would be replaced everywhere.",
    "no_letter": "“{value}” has no letter; a bare number or symbol would be replaced everywhere.",
    "duplicate": "“{value}” is the same as “{other}” once width, case and hyphens are ignored.",
    "codename_taken": "The codename “{value}” is already used for “{other}”.",
    "codename_is_term": "The codename “{value}” is itself a term or variant of “{other}”.",
    "codename_contains_term": "The codename “{value}” contains the term “{other}”.",
}


class DictionaryError(CodenameError):
    """The terms do not form a usable dictionary; ``problems`` lists every reason."""

    def __init__(self, problems: list[DictionaryProblem]):
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems[:5]))


class DocumentError(CodenameError):
    """A document cannot be read or written: corrupt, encrypted, too large, unsafe.

    ``code`` identifies the reason for callers that translate it; the English message
    names the problem and, where there is one, the part of the package at fault. Nothing
    is ever written when this is raised.
    """

    def __init__(self, code: str, message: str, *, part: str = ""):
        self.code = code
        self.part = part
        super().__init__(message)
