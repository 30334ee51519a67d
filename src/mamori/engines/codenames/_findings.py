"""The terms and markings found in a run of plain text, shared by every document format."""

from __future__ import annotations

from mamori.engines.codenames._dictionary import Dictionary
from mamori.engines.codenames._markings import Markings
from mamori.engines.codenames._results import Finding, Location


def text_findings(text: str, dictionary: Dictionary, markings: Markings) -> list[Finding]:
    """Return the terms and markings in ``text``, each located by its string offset
    (``Location(kind="offset", ref=start)``), in order."""
    found: list[tuple[int, Finding]] = []
    for pattern, start, end in dictionary.sanitizer.find(text).tuples():
        term = dictionary.term_of_pattern(pattern)
        found.append(
            (start, Finding("term", Location("", "offset", str(start)), text[start:end], "", term))
        )
    for pattern, start, end in markings.matcher.find(text).tuples():
        found.append(
            (
                start,
                Finding(
                    "marking",
                    Location("", "offset", str(start)),
                    text[start:end],
                    markings.entries[markings.matcher_target(pattern)],
                ),
            )
        )
    found.sort(key=lambda item: item[0])
    return [finding for _, finding in found]
