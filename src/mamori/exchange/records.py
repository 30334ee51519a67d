"""Read a register's rows for export as plain values, in a few queries per thousand rows.

Model instances are not built: at the size of a real installation (500,000 grants) that
alone would take minutes. Each column becomes a database path read with ``values_list``;
a reference becomes the referred record's natural keys (joined in the same query), a
list of references is read per chunk from the link table, and a relation to something
that is not a register (an account) is shown as that record's text, read once per chunk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from mamori.accounts.models import User
from mamori.exchange.spec import Column, ColumnType, Register, Registry

__all__ = ["register_count", "register_records"]

CHUNK = 2000


@dataclass(frozen=True)
class _Reader:
    """How to get one column's value out of a ``values_list`` row."""

    column: Column
    start: int  # index of its first path in the row
    width: int  # how many paths it reads (several natural keys for a reference)
    field: models.Field | None  # the model field at the end of the path


def _path_field(model: type[models.Model], path: str) -> models.Field | None:
    current, found = model, None
    for part in path.split("."):
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if found.is_relation:
            current = found.related_model
    return found


def _first_set(values: Sequence[Any]) -> str | None:
    for value in values:
        if value not in (None, ""):
            return str(value)
    return None


def register_count(register: Register) -> int | None:
    """Return how many rows the register's sheet will have, when a query can tell."""
    if register.model is None:
        return None
    return register.model._default_manager.count()


def register_records(
    register: Register, user: User | None, columns: Sequence[Column], registry: Registry
) -> Iterator[tuple[Any, list[Any]]]:
    """Yield (pk, values) per record in the register's order; references as their text."""
    if register.source is not None:
        for row in register.source(user):
            yield None, [row.get(column.field) for column in columns]
        return
    model = register.model
    paths: list[str] = ["pk"]
    readers: list[_Reader] = []
    for column in columns:
        field = _path_field(model, column.field)
        base = column.field.replace(".", "__")
        if field is None:
            raise ValueError(f"{register.name}: {column.field} is not a field to export")
        if field.many_to_many:
            readers.append(_Reader(column, -1, 0, field))
        elif field.is_relation and column.type == ColumnType.REF:
            keys = registry[column.ref].refer_by
            readers.append(_Reader(column, len(paths), len(keys), field))
            paths += [f"{base}__{key}" for key in keys]
        else:
            readers.append(_Reader(column, len(paths), 1, field))
            paths.append(base)
    queryset = model._default_manager.order_by(*(register.order_by or model._meta.ordering))
    rows = queryset.values_list(*paths).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        pks = [row[0] for row in chunk]
        many = {
            r.column.field: _many(r.field, pks, registry[r.column.ref])
            for r in readers
            if r.start < 0
        }
        texts = {
            r.column.field: _texts(r.field, {row[r.start] for row in chunk})
            for r in readers
            if r.start >= 0 and r.field.is_relation and r.column.type != ColumnType.REF
        }
        for row in chunk:
            values = []
            for reader in readers:
                name = reader.column.field
                if reader.start < 0:
                    values.append(many[name].get(row[0], []))
                elif name in texts:
                    values.append(texts[name].get(row[reader.start]))
                elif reader.width > 1 or reader.column.type == ColumnType.REF:
                    values.append(_first_set(row[reader.start : reader.start + reader.width]))
                else:
                    values.append(row[reader.start])
            yield row[0], values


def _many(field: models.ManyToManyField, pks: list[Any], target: Register) -> dict[Any, list]:
    """Return pk -> the natural keys of the records it links to, for one chunk."""
    through = field.remote_field.through
    source, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = through._default_manager.filter(**{f"{source}__in": pks}).values_list(
        source, *[f"{other}__{key}" for key in target.refer_by]
    )
    found: dict[Any, list] = defaultdict(list)
    for pk, *keys in links:
        text = _first_set(keys)
        if text is not None:
            found[pk].append(text)
    return found


def _texts(field: models.Field, ids: set[Any]) -> dict[Any, str]:
    """Return id -> text of records that are not a register (accounts, stages), one query."""
    ids.discard(None)
    if not ids:
        return {}
    records = field.related_model._default_manager.in_bulk(list(ids))
    return {pk: str(record) for pk, record in records.items()}
