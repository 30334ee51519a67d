"""The rule registry shared by the apps, the specifications, and the rule context."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format

from mamori.engines.rules import Registry, Specs, load_specs

SPECS_FILE = Path(__file__).resolve().parent / "rules.yaml"
APP_SPECS_NAME = "findings.yaml"  # an app's own rules, beside its rules.py

registry = Registry()


def spec_files() -> list[Path]:
    """Return ``findings/rules.yaml`` and every installed app's ``findings.yaml``."""
    from django.apps import apps

    extra = [Path(config.path) / APP_SPECS_NAME for config in apps.get_app_configs()]
    return [SPECS_FILE, *(path for path in extra if path.is_file())]


@functools.cache
def specs() -> Specs:
    return load_specs(*spec_files())


@dataclass(frozen=True)
class RuleContext:
    """What a rule may depend on besides the database: today's date."""

    today: datetime.date


def bilingual(text: object) -> dict[str, str]:
    """Return a (lazily translated) text in both languages, for a finding's parameters."""
    values = {}
    for language in ("ja", "en"):
        with translation.override(language):
            values[language] = str(text)
    return values


def bilingual_date(day: datetime.date | None, *, missing: object = "") -> dict[str, str]:
    """Return a date as each language writes it (2026年11月19日 / 19 Nov 2026)."""
    if day is None:
        return bilingual(missing)
    values = {}
    for language in ("ja", "en"):
        with translation.override(language):
            values[language] = date_format(day, "DATE_FORMAT")
    return values
