"""Texts and dates in both languages at once, for values stored and shown later in either.

A finding's parameters and a change's audit entry are written once and read in Japanese
or English, so they keep both renderings rather than the language of the request.
"""

from __future__ import annotations

import datetime
import functools

from django.db.models import Choices
from django.utils import translation
from django.utils.formats import date_format

__all__ = ["bilingual", "bilingual_choice", "bilingual_date"]


def bilingual(text: object) -> dict[str, str]:
    """Return a (lazily translated) text in both languages, for a finding's parameters."""
    values = {}
    for language in ("ja", "en"):
        with translation.override(language):
            values[language] = str(text)
    return values


def bilingual_choice(choice: Choices) -> dict[str, str]:
    """Return a choice's label in both languages (a findings run names the same few choices
    thousands of times; each is translated once)."""
    return dict(_choice_labels(choice))


# Typed: members of two enums with the same value are equal strings, not the same choice.
@functools.lru_cache(maxsize=1024, typed=True)
def _choice_labels(choice: Choices) -> tuple[tuple[str, str], ...]:
    return tuple(bilingual(choice.label).items())


def bilingual_date(day: datetime.date | None, *, missing: object = "") -> dict[str, str]:
    """Return a date as each language writes it (2026年11月19日 / 19 Nov 2026)."""
    if day is None:
        return bilingual(missing)
    return dict(_formatted(day))


@functools.lru_cache(maxsize=4096)
def _formatted(day: datetime.date) -> tuple[tuple[str, str], ...]:
    # A findings run formats the same few hundred dates thousands of times; switching the
    # language for each costs more than the query that found them.
    values = []
    for language in ("ja", "en"):
        with translation.override(language):
            values.append((language, date_format(day, "DATE_FORMAT")))
    return tuple(values)
