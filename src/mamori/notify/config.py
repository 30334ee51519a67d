"""The digest's rules (``digest.yaml``), parsed and checked once.

A wrong model, field, lookup or URL name fails when the file is loaded, naming the
source, not half-way through sending the morning's mail.
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.urls import NoReverseMatch, reverse

from mamori.findings.registry import specs
from mamori.notify.texts import DUE_TEXTS

__all__ = ["CONFIG_FILE", "ConfigError", "DigestConfig", "DueSource", "OwnedObjects", "config"]

CONFIG_FILE = Path(__file__).resolve().parent / "digest.yaml"
OFFICER_MODES = ("always", "unowned", "never")
# ``{row_id:row}`` in a label: the value is a checklist row id, shown as the row's title.
LABEL_KINDS = ("row",)
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")


class ConfigError(ValueError):
    """``digest.yaml`` is not valid; the message names the entry and what is wrong."""


@dataclass(frozen=True)
class OwnedObjects:
    """Objects of one findings type whose owner gets the findings about them."""

    type: str
    model: type[models.Model]
    owner: str


@dataclass(frozen=True)
class DueSource:
    """Rows of one register whose date comes due, and to whom they go."""

    key: str
    model: type[models.Model]
    date: str
    label: str
    url: str
    url_arg: str = ""
    owner: str = ""
    officer: str = "always"
    overdue: bool = False
    filter: dict[str, Any] = field(default_factory=dict)
    exclude: dict[str, Any] = field(default_factory=dict)
    latest_group: str = ""
    latest_by: str = ""

    @property
    def label_fields(self) -> list[tuple[str, str]]:
        """Return the (field path, kind) pairs the label template uses."""
        return [
            (name, spec or "")
            for _, name, spec, _ in string.Formatter().parse(self.label)
            if name is not None
        ]

    def values_fields(self) -> list[str]:
        names = ["pk", self.date, *(name for name, _ in self.label_fields)]
        if self.url_arg:
            names.append(self.url_arg)
        if self.owner:
            names.append(self.owner)
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class DigestConfig:
    horizon_days: int
    top_findings: int
    first_digest_new_days: int
    owned_objects: tuple[OwnedObjects, ...]
    own_findings: frozenset[str]
    due: tuple[DueSource, ...]


def _model(label: str, where: str) -> type[models.Model]:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        raise ConfigError(f"{where}: unknown model '{label}'") from None


def _check_paths(model: type[models.Model], paths: list[str], where: str) -> None:
    for path in paths:
        if not all(_FIELD.match(part) for part in path.split("__")):
            raise ConfigError(f"{where}: '{path}' is not a field path")
    try:
        # Building the query resolves every path without touching the database.
        str(model._default_manager.values(*paths).query)
    except (FieldError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _check_lookups(model: type[models.Model], lookups: dict[str, Any], where: str) -> None:
    try:
        str(model._default_manager.filter(**lookups).query)
    except (FieldError, ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping")
    return value


def _source(raw: dict[str, Any], index: int) -> DueSource:
    where = f"due[{index}]"
    key = raw.get("key")
    if not isinstance(key, str) or key not in DUE_TEXTS:
        raise ConfigError(f"{where}: key '{key}' has no text in notify/texts.py")
    where = f"due '{key}'"
    model = _model(str(raw.get("model", "")), where)
    link = _mapping(raw.get("link"), f"{where} link")
    latest = _mapping(raw.get("latest_per"), f"{where} latest_per")
    source = DueSource(
        key=key,
        model=model,
        date=str(raw.get("date", "")),
        label=str(raw.get("label", "")),
        url=str(link.get("url", "")),
        url_arg=str(link.get("arg", "")),
        owner=str(raw.get("owner", "")),
        officer=str(raw.get("officer", "always")),
        overdue=bool(raw.get("overdue", False)),
        filter=_mapping(raw.get("filter"), f"{where} filter"),
        exclude=_mapping(raw.get("exclude"), f"{where} exclude"),
        latest_group=str(latest.get("group", "")),
        latest_by=str(latest.get("by", "")),
    )
    if source.officer not in OFFICER_MODES:
        raise ConfigError(f"{where}: officer must be one of {', '.join(OFFICER_MODES)}")
    if not source.owner and source.officer != "always":
        raise ConfigError(f"{where}: a source without an owner must go to the officer (always)")
    if not source.label or not source.label_fields:
        raise ConfigError(f"{where}: the label names no field")
    unknown = {kind for _, kind in source.label_fields if kind and kind not in LABEL_KINDS}
    if unknown:
        raise ConfigError(f"{where}: unknown label kind {sorted(unknown)}")
    try:
        date_field = model._meta.get_field(source.date)
    except FieldDoesNotExist:
        date_field = None
    if not isinstance(date_field, models.DateField) or isinstance(date_field, models.DateTimeField):
        raise ConfigError(f"{where}: '{source.date}' is not a date field")
    paths = source.values_fields()
    if source.latest_group:
        paths += [source.latest_group, source.latest_by]
    _check_paths(model, paths, where)
    _check_lookups(model, source.filter, f"{where} filter")
    _check_lookups(model, source.exclude, f"{where} exclude")
    try:
        reverse(source.url, args=[1] if source.url_arg else [])
    except NoReverseMatch:
        try:
            reverse(source.url, args=["x"] if source.url_arg else [])
        except NoReverseMatch:
            raise ConfigError(f"{where}: cannot build links with '{source.url}'") from None
    return source


def _owned(raw: dict[str, Any], index: int) -> OwnedObjects:
    where = f"owned_objects[{index}]"
    owned = OwnedObjects(
        type=str(raw.get("type", "")),
        model=_model(str(raw.get("model", "")), where),
        owner=str(raw.get("owner", "")),
    )
    if owned.type != owned.model._meta.label_lower:
        raise ConfigError(f"{where}: type '{owned.type}' does not name the model")
    _check_paths(owned.model, [owned.owner], where)
    return owned


def load_config(path: Path = CONFIG_FILE) -> DigestConfig:
    """Read and check ``digest.yaml``; raise ``ConfigError`` naming what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    if not isinstance(raw, dict) or raw.get("version") != 1:
        raise ConfigError(f"{path.name}: expected a mapping with version: 1")
    due = tuple(_source(item, i) for i, item in enumerate(raw.get("due") or []))
    own_findings = frozenset(raw.get("own_findings") or [])
    unknown = own_findings - set(specs().rules)
    if unknown:
        raise ConfigError(f"{path.name}: own_findings names unknown rules {sorted(unknown)}")
    keys = [source.key for source in due]
    if len(keys) != len(set(keys)):
        raise ConfigError(f"{path.name}: a due key appears twice")
    return DigestConfig(
        horizon_days=int(raw.get("horizon_days", 14)),
        top_findings=int(raw.get("top_findings", 10)),
        first_digest_new_days=int(raw.get("first_digest_new_days", 7)),
        owned_objects=tuple(
            _owned(item, i) for i, item in enumerate(raw.get("owned_objects") or [])
        ),
        own_findings=own_findings,
        due=due,
    )


@functools.cache
def config() -> DigestConfig:
    """Return the digest rules, loaded once."""
    return load_config()
