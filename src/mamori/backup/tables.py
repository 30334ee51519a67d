"""Which tables a backup holds, in which order, and how their values travel.

Every model of a ``mamori.*`` app is included — a register added later is backed up
without a line of code here. Of the other apps' tables only user groups, API tokens and
django-allauth's sign-in data (``EXTRA_MODELS``) come along: content types, permissions
and sessions are rebuilt by ``migrate`` or are worthless on another installation, e-mail
confirmations and lockouts (axes) are transient.

Values are written as JSON in a form every database reads back identically: dates and
times in ISO 8601, decimals as strings, JSON fields as JSON. ``to_python`` of the field
turns them back, ``get_db_prep_save`` prepares them for the target database, so an
archive made on SQLite restores into PostgreSQL and the other way round.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

__all__ = [
    "Table",
    "decode_value",
    "encode_value",
    "included_tables",
    "row_loader",
    "skipped_tables",
]

# Tables that are part of the data although not of a mamori app: user groups, and the
# sign-in data django-allauth keeps (second factors with their recovery codes, the links
# of accounts to the company's identity provider, e-mail addresses).
EXTRA_MODELS = frozenset(
    {
        "auth.group",
        "authtoken.token",
        "account.emailaddress",
        "mfa.authenticator",
        "socialaccount.socialapp",
        "socialaccount.socialaccount",
        "socialaccount.socialtoken",
    }
)
# Tables deliberately left out, reported in the manifest with their row count. The
# permissions of a user refer to permission rows that ``migrate`` numbers afresh on every
# installation; mamori grants rights by role and never uses them.
SKIPPED_MODELS = frozenset({"accounts.user_user_permissions"})


@dataclass(frozen=True)
class Table:
    """A database table of one model, with the columns a backup carries."""

    model: type[models.Model]
    fields: tuple[models.Field, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> list[str]:
        return [field.column for field in self.fields]

    @property
    def attnames(self) -> list[str]:
        return [field.attname for field in self.fields]

    def file_fields(self) -> list[models.FileField]:
        return [field for field in self.fields if isinstance(field, models.FileField)]


def _wanted(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.proxy or not meta.managed or meta.label_lower in SKIPPED_MODELS:
        return False
    config = meta.app_config
    return config.name.startswith("mamori.") or meta.label_lower in EXTRA_MODELS


def _dependencies(model: type[models.Model], labels: set[str]) -> set[str]:
    depends = set()
    for field in model._meta.local_concrete_fields:
        target = field.remote_field.model if field.remote_field else None
        if target is not None and target is not model:
            label = target._meta.concrete_model._meta.label_lower
            if label in labels:
                depends.add(label)
    return depends


def included_tables() -> list[Table]:
    """Return the tables to back up, each after the tables its foreign keys point to
    (by label where there is a cycle; the foreign keys are checked at commit anyway)."""
    found = {
        model._meta.label_lower: model
        for model in apps.get_models(include_auto_created=True)
        if _wanted(model)
    }
    labels = set(found)
    pending = {label: _dependencies(model, labels) for label, model in found.items()}
    ordered: list[str] = []
    while pending:
        ready = sorted(label for label, deps in pending.items() if not deps - set(ordered))
        if not ready:  # a cycle: take the first by name and carry on
            ready = [min(pending)]
        for label in ready:
            ordered.append(label)
            del pending[label]
    return [
        Table(model=found[label], fields=tuple(found[label]._meta.local_concrete_fields))
        for label in ordered
    ]


def skipped_tables() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower in SKIPPED_MODELS
    ]


def encode_value(value: Any) -> Any:
    """Return a database value in a JSON form (see the module's docstring)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list | dict):
        return value  # a JSON field's content
    return str(value)


def decode_value(field: models.Field, value: Any) -> Any:
    """Turn a value as written by ``encode_value`` back into the field's Python value."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DurationField):
        return datetime.timedelta(seconds=value)
    return field.to_python(value)


def _checked(kind: type | tuple[type, ...], exclude: type | None = None) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None or (isinstance(value, kind) and not isinstance(value, exclude or ())):
            return value
        raise ValueError(f"unexpected value {value!r:.40}")

    return check


def _aware(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"a time without its offset: {value!r:.40}")
    return moment


def row_loader(table: Table, connection: Any) -> Callable[[list[Any]], list[Any]]:
    """Return a function that turns a row read from the archive into the parameters of an
    INSERT on ``connection``. Text, whole numbers and booleans travel as they are (checked
    for their type); every other value goes through the field's own conversions."""
    converters: list[Callable[[Any], Any]] = []
    for field in table.fields:
        target = field.target_field if field.is_relation else field
        if isinstance(target, models.BooleanField):
            converters.append(_checked(bool))
        elif isinstance(target, models.IntegerField | models.AutoField):
            converters.append(_checked(int, exclude=bool))
        elif isinstance(target, models.CharField | models.TextField | models.FileField):
            converters.append(_checked(str))
        elif isinstance(target, models.DateTimeField) and settings.USE_TZ:
            # The common case, made cheap: ISO 8601 with its offset, as written.
            converters.append(
                lambda value: (
                    None
                    if value is None
                    else connection.ops.adapt_datetimefield_value(_aware(value))
                )
            )
        elif type(target) is models.DateField:
            converters.append(
                lambda value: (
                    None
                    if value is None
                    else connection.ops.adapt_datefield_value(datetime.date.fromisoformat(value))
                )
            )
        else:
            converters.append(
                lambda value, field=field: field.get_db_prep_save(
                    decode_value(field, value), connection
                )
            )

    def load(values: list[Any]) -> list[Any]:
        if len(values) != len(converters):
            raise ValueError(f"{len(values)} values for {len(converters)} columns")
        return [convert(value) for convert, value in zip(converters, values, strict=True)]

    return load
