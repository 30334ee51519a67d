"""Template helpers for showing audit entries in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext

from mamori.audit.models import AuditEntry

register = template.Library()

HIDDEN_FIELDS = {"id"}
EMPTY = "—"


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _model(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model(entry.object_type) if entry.object_type else None
    except (LookupError, ValueError):
        return None


def _shown(field: models.Field | None, value: Any) -> str:
    if value in (None, ""):
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@register.filter
def change_rows(entry: AuditEntry) -> list[ChangeRow]:
    """Return an entry's field changes as (label, old, new), labels as the user knows them."""
    if not isinstance(entry.changes, dict):
        return []
    model = _model(entry)
    rows = []
    for name, change in entry.changes.items():
        if name in HIDDEN_FIELDS:
            continue
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else gettext(name)
        if isinstance(change, list) and len(change) == 2:
            old = "" if entry.action == "create" else _shown(field, change[0])
            rows.append(ChangeRow(label, old, _shown(field, change[1])))
        else:
            rows.append(ChangeRow(label, "", _shown(None, change)))
    return rows


@register.filter
def changed_fields(entry: AuditEntry) -> list[str]:
    """Return the labels of the fields an entry changed."""
    return [row.label for row in change_rows(entry)]
