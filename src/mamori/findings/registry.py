"""The finding rules' registry shared by the apps, their specifications, and the rule context."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

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
