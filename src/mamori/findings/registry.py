"""The finding rules' registry shared by the apps, their specifications, and the rule context."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mamori.engines.rules import WHOLE_RULE, Registry, RuleError, Specs, load_specs

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


def validate_reads(rules: Specs) -> None:
    """Raise ``RuleError`` for a ``reads`` entry naming no model, or a path to the subject
    that is not a field of that model (checked at start-up, so a typo never goes unseen)."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    for spec in rules.rules.values():
        for label, path in spec.reads:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                raise RuleError(f"{spec.id}.reads: unknown model '{label}'") from None
            if path in (WHOLE_RULE, "id", "pk"):
                continue
            try:
                model._meta.get_field(path.split("__")[0])
            except FieldDoesNotExist:
                raise RuleError(f"{spec.id}.reads.{label}: no field '{path}'") from None


@dataclass(frozen=True)
class RuleContext:
    """What a rule may depend on besides the database: today's date, and when only some
    subjects are re-evaluated after a change, their ids (``None``: every subject).

    A rule function may ignore ``subjects`` (its hits are filtered afterwards); honouring
    it with ``narrow`` only makes the targeted re-evaluation faster.
    """

    today: datetime.date
    subjects: frozenset[str] | None = None

    def narrow(self, queryset: Any, field: str = "pk") -> Any:
        """Return ``queryset`` limited to the subjects re-evaluated (``field`` holds their
        id), or unchanged in a full run."""
        if self.subjects is None:
            return queryset
        return queryset.filter(**{f"{field}__in": sorted(self.subjects)})


# Who works a finding: owner key (a rule's ``owner``) -> function of the finding's subject
# id returning a user id or ``None`` (then the officer). Apps register theirs in ready().
OwnerResolver = Callable[[list[str]], dict[str, int | None]]
owner_resolvers: dict[str, OwnerResolver] = {}


def owner_resolver(key: str) -> Callable[[OwnerResolver], OwnerResolver]:
    """Register the function that finds the owners of findings for rules with ``owner: key``;
    it gets the subject ids of many findings at once and returns subject id -> user id."""

    def register(function: OwnerResolver) -> OwnerResolver:
        owner_resolvers[key] = function
        return function

    return register


# Object type -> other types naming the same object on another app's page (a person as
# the departure watch sees them, ``watch.person``): their findings are listed on the
# object's page too, for those allowed to see their rules.
object_aliases: dict[str, list[str]] = {}


def object_alias(object_type: str, alias: str) -> None:
    """List the findings about ``alias`` objects on the pages of ``object_type`` objects."""
    aliases = object_aliases.setdefault(object_type, [])
    if alias not in aliases:
        aliases.append(alias)
