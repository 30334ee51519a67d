"""A column's values to cells (export) and cells to values (import).

Choices are written as their labels in the file's language and read back from the code,
the Japanese or the English label, or a word the spec adds (社員 for employee). Yes/no is
written はい / いいえ (yes / no). References are written as the referred record's natural
key (``refer_by``) and read back as text, resolved later against mamori and the file.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mamori.core import cells
from mamori.core.cells import CellError
from mamori.exchange.spec import Column, ColumnType, Register, Registry

__all__ = ["ChoiceReader", "export_value", "parse_cell", "ref_text", "split_refs"]

YES_NO = {"ja": ("はい", "いいえ"), "en": ("yes", "no")}
REF_SEPARATORS = re.compile(r"[\r\n;；]+")


def ref_text(register: Register, record: models.Model) -> str:
    """Return how a record is named in another register's sheet: its first natural key
    that is set (an employee number, else the e-mail, else the name)."""
    for name in register.refer_by:
        value = getattr(record, name, "")
        if value not in (None, ""):
            return str(value)
    return str(record)


def _choice_label(column: Column, value: Any) -> str:
    for code, label in column.choices:
        if code == value:
            return str(label)
    return str(value)


def export_value(column: Column, value: Any, registry: Registry, language: str) -> Any:
    """Return the cell for ``value`` (already read from the record) in ``language``.

    A reference may be given as the record or as its text (``ref_text``).
    """
    if value is None or value == "":
        return None
    kind = column.type
    if kind == ColumnType.REF:
        return value if isinstance(value, str) else ref_text(registry[column.ref], value)
    if kind == ColumnType.REFS:
        target = registry[column.ref]
        items = value.all() if isinstance(value, models.Manager) else value
        texts = (item if isinstance(item, str) else ref_text(target, item) for item in items)
        return "\n".join(sorted(texts)) or None
    if kind == ColumnType.CHOICE:
        return _choice_label(column, value)
    if kind == ColumnType.BOOL:
        yes, no = YES_NO["en" if language == "en" else "ja"]
        return yes if value else no
    if kind == ColumnType.DATETIME:
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if kind == ColumnType.DATE:
        return value.date() if isinstance(value, datetime.datetime) else value
    if kind == ColumnType.DECIMAL:
        return value if isinstance(value, Decimal | int | float) else Decimal(str(value))
    if kind == ColumnType.INT:
        return int(value)
    return str(value)


class ChoiceReader:
    """Read a choice cell: the code, either label or an extra word, in any width or case."""

    def __init__(self, column: Column):
        self.column = column
        self.lookup: dict[str, Any] = {}
        for code, label in column.choices:
            self.lookup[cells.normalise(code)] = code
            for language in ("en", "ja"):
                with translation.override(language):
                    self.lookup.setdefault(cells.normalise(str(label)), code)
        for word, code in column.words.items():
            self.lookup[cells.normalise(word)] = code

    def read(self, cell: Any) -> Any:
        value = cells.text(cell)
        code = self.lookup.get(cells.normalise(value))
        if code is None:
            shown = "、".join(str(label) for _code, label in self.column.choices)
            raise CellError(
                _("“%(value)s” is not one of the choices: %(choices)s.")
                % {"value": value, "choices": shown}
            )
        return code


def split_refs(cell: Any) -> list[str]:
    """Return the names in a cell that lists several records (one per line, or ``;``)."""
    names: list[str] = []
    for part in REF_SEPARATORS.split(cells.text(cell)):
        part = part.strip()
        if part and part not in names:
            names.append(part)
    return names


def parse_cell(column: Column, cell: Any, choices: ChoiceReader | None = None) -> Any:
    """Return the value a non-blank cell gives the column; raise ``CellError``.

    References come back as text (``REF``) or a list of texts (``REFS``). Every other
    value is also checked by the model field itself (length, e-mail and URL form, country
    code, ranges), so that a row is refused here rather than by the service later.
    """
    kind = column.type
    if kind == ColumnType.REF:
        return cells.text(cell)
    if kind == ColumnType.REFS:
        return split_refs(cell)
    if kind == ColumnType.CHOICE:
        value: Any = (choices or ChoiceReader(column)).read(cell)
    elif kind == ColumnType.BOOL:
        value = cells.parse_bool(cell)
    elif kind == ColumnType.DATE:
        value = cells.parse_date(cell)
    elif kind == ColumnType.INT:
        value = cells.parse_int(cell)
    elif kind == ColumnType.DECIMAL:
        value = cells.parse_decimal(cell)
    else:
        value = cells.text(cell)
        if column.upper:
            value = value.upper()
    if column.model_field is not None and column.importable:
        try:
            value = column.model_field.clean(value, None)
        except ValidationError as exc:
            raise CellError(" ".join(exc.messages)) from exc
    return value
