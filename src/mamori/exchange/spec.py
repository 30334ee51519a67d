"""Register specs: which registers mamori exchanges as sheets, their columns and keys.

The specs are data (``registers.yaml``): per register the model (or a function giving
the rows), the sheet name in Japanese and English, the natural keys that identify a
record, the fields a reference to it may name, and the columns. A column's type,
whether it is required and the register it refers to follow from the model field
unless the spec says otherwise. ``load_registers`` checks every spec against the models
once, so that a spec naming an unknown field, register or function fails when it is
loaded, never in the middle of an export or an import.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from mamori.core.cells import normalise

__all__ = [
    "DEFAULT_PATH",
    "Column",
    "ColumnType",
    "Register",
    "Registry",
    "SpecError",
    "get_registry",
    "load_registers",
]

DEFAULT_PATH = Path(__file__).with_name("registers.yaml")


class ColumnType(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"
    REF = "ref"  # one record of another register, named by its natural key
    REFS = "refs"  # several records of another register, one per line


# Column widths in Excel's units (about one half-width character) when the spec sets none.
WIDTHS = {
    ColumnType.INT: 10,
    ColumnType.DECIMAL: 10,
    ColumnType.BOOL: 10,
    ColumnType.DATE: 12,
    ColumnType.DATETIME: 18,
    ColumnType.CHOICE: 16,
    ColumnType.REF: 22,
    ColumnType.REFS: 30,
}
TEXT_FIELD_WIDTH = 40  # multi-line text (TextField)


class SpecError(ValueError):
    """The register specs are inconsistent with the models or with themselves."""


@dataclass(frozen=True)
class Column:
    field: str  # a model field, or a dotted path through relations for export-only columns
    header_ja: str
    header_en: str
    type: ColumnType
    required: bool = False
    importable: bool = False
    ref: str | None = None
    choices: tuple[tuple[Any, Any], ...] = ()  # (stored value, label, translated lazily)
    words: Mapping[str, Any] = field(default_factory=dict)  # more words for a choice
    aliases: tuple[str, ...] = ()  # more headers accepted on import
    secret: bool = False  # need-to-know: blank for rows whose details the user may not see
    capability: str | None = None  # needed to see (export) and to set (import) the column
    example: Any = None
    note_ja: str = ""
    note_en: str = ""
    width: int = 16
    upper: bool = False  # upper-case imported text (country codes)
    # The model field at the end of ``field`` (``None`` for a computed column); an imported
    # cell is checked by it.
    model_field: models.Field | None = field(default=None, compare=False, repr=False)

    def header(self, language: str) -> str:
        return self.header_en if language == "en" else self.header_ja

    def note(self, language: str) -> str:
        return self.note_en if language == "en" else self.note_ja

    def header_words(self) -> set[str]:
        """Return every header this column is recognised by, normalised."""
        words = {self.header_ja, self.header_en, self.field, *self.aliases}
        found = {normalise(word) for word in words}
        return found | {word.replace("_", "") for word in found}


@dataclass(frozen=True)
class Register:
    name: str
    sheet_ja: str
    sheet_en: str
    columns: tuple[Column, ...]
    model: type[models.Model] | None = None
    keys: tuple[tuple[str, ...], ...] = ()  # natural keys, tried in order to find a record
    refer_by: tuple[str, ...] = ()  # fields a reference may name; exported: the first set
    order_by: tuple[str, ...] = ()
    source: Callable[..., Any] | None = None  # rows for a register without a plain model
    details: Callable[..., Any] | None = None  # pks whose secret columns the user may see
    writer: Callable[..., Any] | None = None
    finish: Callable[..., Any] | None = None  # runs once every register has been written
    capability: str | None = None
    aliases: tuple[str, ...] = ()
    note_ja: str = ""
    note_en: str = ""

    @property
    def importable(self) -> bool:
        return self.writer is not None

    def sheet(self, language: str) -> str:
        return self.sheet_en if language == "en" else self.sheet_ja

    def note(self, language: str) -> str:
        return self.note_en if language == "en" else self.note_ja

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.field == name:
                return column
        raise KeyError(name)

    @property
    def import_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.importable)

    def own_references(self) -> tuple[str, ...]:
        """Return the imported columns naming another row of this register (a person's
        manager): written by the ``finish`` step, once every row exists."""
        return tuple(c.field for c in self.import_columns if c.ref == self.name)

    def depends_on(self) -> set[str]:
        """Return the registers this one's imported references point to."""
        return {c.ref for c in self.import_columns if c.ref and c.ref != self.name}

    def names(self) -> set[str]:
        return {normalise(n) for n in (self.name, self.sheet_ja, self.sheet_en, *self.aliases)}


@dataclass(frozen=True)
class Registry:
    registers: dict[str, Register]  # in export order
    import_order: tuple[str, ...]

    def __iter__(self) -> Iterator[Register]:
        return iter(self.registers.values())

    def __getitem__(self, name: str) -> Register:
        return self.registers[name]

    def find(self, name: str) -> Register | None:
        """Return the register named ``name`` (code, sheet name in either language or an
        alias, in any width or case), or ``None``."""
        wanted = normalise(name)
        for register in self.registers.values():
            if wanted in register.names():
                return register
        return None

    @property
    def importable(self) -> list[Register]:
        return [self.registers[name] for name in self.import_order]


# --- loading -------------------------------------------------------------------------------

_TYPES_OF_FIELDS: tuple[tuple[type[models.Field], ColumnType], ...] = (
    (models.BooleanField, ColumnType.BOOL),
    (models.DateTimeField, ColumnType.DATETIME),
    (models.DateField, ColumnType.DATE),
    (models.DecimalField, ColumnType.DECIMAL),
    (models.IntegerField, ColumnType.INT),
    (models.FloatField, ColumnType.DECIMAL),
)


def _import(path: str, where: str) -> Any:
    """Return the object at ``module:attribute`` (or ``module.attribute``)."""
    module, _, attribute = path.rpartition(":") if ":" in path else path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError, ValueError) as exc:
        raise SpecError(f"{where}: cannot import {path!r}") from exc


def _walk(model: type[models.Model], path: str, where: str) -> models.Field | None:
    """Return the model field at the end of ``path``, or ``None`` when the last part is a
    plain attribute (a property); raise ``SpecError`` for a path that leads nowhere."""
    parts = path.split(".")
    current = model
    for index, part in enumerate(parts):
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            if index == len(parts) - 1 and hasattr(current, part):
                return None
            raise SpecError(f"{where}: {current.__name__} has no field {part!r}") from None
        if index == len(parts) - 1:
            return found
        if not found.is_relation or found.many_to_many:
            raise SpecError(f"{where}: {part!r} is not a relation to follow")
        current = found.related_model
    return None  # pragma: no cover - the loop always returns


def _infer_type(model_field: models.Field | None, raw: dict, where: str) -> ColumnType:
    if "type" in raw:
        try:
            return ColumnType(raw["type"])
        except ValueError:
            raise SpecError(f"{where}: unknown type {raw['type']!r}") from None
    if model_field is None:
        raise SpecError(f"{where}: a column that is not a model field must give its type")
    if model_field.many_to_many:
        return ColumnType.REFS
    if model_field.is_relation:
        return ColumnType.REF if raw.get("ref") else ColumnType.TEXT
    if model_field.choices:
        return ColumnType.CHOICE
    for field_class, column_type in _TYPES_OF_FIELDS:
        if isinstance(model_field, field_class):
            return column_type
    return ColumnType.TEXT


def _choices(raw: dict, model_field: models.Field | None, where: str) -> tuple:
    if "choices" in raw:
        return tuple(_import(raw["choices"], where).choices)
    if model_field is not None and model_field.choices:
        return tuple(model_field.choices)
    raise SpecError(f"{where}: a choice column needs choices")


def _column(raw: dict, model: type[models.Model] | None, importable: bool, where: str) -> Column:
    unknown = set(raw) - {
        "field",
        "ja",
        "en",
        "type",
        "required",
        "import",
        "ref",
        "choices",
        "words",
        "aliases",
        "secret",
        "capability",
        "example",
        "note_ja",
        "note_en",
        "width",
        "upper",
    }
    if unknown:
        raise SpecError(f"{where}: unknown keys {sorted(unknown)}")
    name = raw.get("field")
    if not name or not raw.get("ja") or not raw.get("en"):
        raise SpecError(f"{where}: a column needs field, ja and en")
    where = f"{where} {name}"
    model_field = _walk(model, name, where) if model is not None else None
    column_type = _infer_type(model_field, raw, where)
    wants_import = importable and raw.get("import", True)
    if wants_import and (
        "." in name
        or model_field is None
        or not model_field.editable
        or model_field.primary_key
        # A relation is imported only as a reference to a register (not to an account).
        or (model_field.is_relation and not raw.get("ref"))
    ):
        wants_import = False
        if raw.get("import") is True:
            raise SpecError(f"{where}: only an editable field of the model can be imported")
    if column_type in (ColumnType.REF, ColumnType.REFS) and not raw.get("ref"):
        raise SpecError(f"{where}: a reference column must name the register it refers to")
    required = raw.get("required")
    if required is None:
        required = bool(
            wants_import
            and model_field is not None
            and not model_field.blank
            and not model_field.has_default()
        )
    width = raw.get("width")
    if width is None:
        is_long_text = isinstance(model_field, models.TextField)
        width = TEXT_FIELD_WIDTH if is_long_text else WIDTHS.get(column_type)
        width = width or min(max(2 * len(raw["ja"]) + 4, 14), 30)
    return Column(
        field=name,
        header_ja=str(raw["ja"]),
        header_en=str(raw["en"]),
        type=column_type,
        required=bool(required),
        importable=bool(wants_import),
        ref=raw.get("ref"),
        choices=_choices(raw, model_field, where) if column_type == ColumnType.CHOICE else (),
        words=dict(raw.get("words") or {}),
        aliases=tuple(raw.get("aliases") or ()),
        secret=bool(raw.get("secret", False)),
        capability=raw.get("capability"),
        example=raw.get("example"),
        note_ja=str(raw.get("note_ja", "")),
        note_en=str(raw.get("note_en", "")),
        width=int(width),
        upper=bool(raw.get("upper", False)),
        model_field=model_field,
    )


def _writer(raw: Any, where: str) -> Callable[..., Any] | None:
    if raw is None:
        return None
    if "writer" in raw:
        return _import(raw["writer"], where)
    if "save" in raw and "instance" in raw:
        from mamori.exchange.writers import save_writer

        return save_writer(_import(raw["save"], where), raw["instance"])
    raise SpecError(f"{where}: import needs a writer, or a save service and its instance argument")


def _register(raw: dict, where: str) -> Register:
    name = raw.get("name")
    if not name:
        raise SpecError(f"{where}: a register needs a name")
    where = f"register {name}"
    sheet = raw.get("sheet") or {}
    if not sheet.get("ja") or not sheet.get("en"):
        raise SpecError(f"{where}: sheet needs ja and en")
    for length in (len(sheet["ja"]), len(sheet["en"])):
        if length > 31:  # Excel's limit for a sheet's name
            raise SpecError(f"{where}: a sheet name has at most 31 characters")
    model = None
    if raw.get("model"):
        try:
            model = apps.get_model(raw["model"])
        except (LookupError, ValueError):
            raise SpecError(f"{where}: unknown model {raw['model']!r}") from None
    source = _import(raw["source"], where) if raw.get("source") else None
    if (model is None) == (source is None):
        raise SpecError(f"{where}: give either a model or a source")
    writer = _writer(raw.get("import"), where)
    if writer is not None and model is None:
        raise SpecError(f"{where}: only a model register can be imported")
    columns = tuple(
        _column(column, model, writer is not None, where) for column in raw.get("columns", ())
    )
    if not columns:
        raise SpecError(f"{where}: no columns")
    fields = [column.field for column in columns]
    if len(set(fields)) != len(fields):
        raise SpecError(f"{where}: a column appears twice")
    headers: dict[str, str] = {}
    for column in columns:
        for word in column.header_words():
            if headers.setdefault(word, column.field) != column.field:
                raise SpecError(f"{where}: {headers[word]} and {column.field} share a header")
    imported = {column.field for column in columns if column.importable}
    keys = tuple(tuple(key) for key in raw.get("keys", ()))
    for key in keys:
        if not key or not set(key) <= imported:
            raise SpecError(f"{where}: key {list(key)} must consist of imported columns")
    refer_by = tuple(raw.get("refer_by", ()))
    for field_name in refer_by:
        if model is None:
            raise SpecError(f"{where}: only a model register can be referred to")
        _walk(model, field_name, where)
    details = _import(raw["details"], where) if raw.get("details") else None
    if any(column.secret for column in columns) and details is None:
        raise SpecError(f"{where}: secret columns need a details function")
    return Register(
        name=name,
        sheet_ja=sheet["ja"],
        sheet_en=sheet["en"],
        columns=columns,
        model=model,
        keys=keys,
        refer_by=refer_by,
        order_by=tuple(raw.get("order_by", ())),
        source=source,
        details=details,
        writer=writer,
        finish=_import(raw["finish"], where) if raw.get("finish") else None,
        capability=raw.get("capability"),
        aliases=tuple(raw.get("aliases", ())),
        note_ja=str(raw.get("note_ja", "")),
        note_en=str(raw.get("note_en", "")),
    )


def _check_references(registers: dict[str, Register]) -> None:
    for register in registers.values():
        for column in register.columns:
            if column.ref is None:
                continue
            target = registers.get(column.ref)
            if target is None:
                raise SpecError(
                    f"register {register.name} {column.field}: no register {column.ref!r}"
                )
            if not target.refer_by:
                raise SpecError(f"register {column.ref} is referred to but has no refer_by")
            related = column.model_field.related_model if column.model_field else None
            if target.model is None or (related is not None and related is not target.model):
                raise SpecError(
                    f"register {register.name} {column.field}: {column.ref} holds other records"
                )
            if column.importable and column.ref == register.name and register.finish is None:
                raise SpecError(
                    f"register {register.name} {column.field}: a reference to the register's "
                    "own rows is written by its finish step, and it has none"
                )


def _import_order(registers: dict[str, Register]) -> tuple[str, ...]:
    """Return the importable registers so that every one comes after those it refers to."""
    importable = {name: r for name, r in registers.items() if r.importable}
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise SpecError(f"register {name}: references go round in a circle")
        visiting.add(name)
        for dependency in sorted(importable[name].depends_on()):
            if dependency in importable:
                visit(dependency)
        visiting.discard(name)
        order.append(name)

    for name in importable:  # the spec's order decides among independent registers
        visit(name)
    return tuple(order)


def load_registers(path: Path | str = DEFAULT_PATH) -> Registry:
    """Read and check the register specs; raise ``SpecError`` naming the first problem."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict) or not isinstance(raw.get("registers"), list):
        raise SpecError(f"{path}: expected a mapping with a list under 'registers'")
    registers: dict[str, Register] = {}
    for index, entry in enumerate(raw["registers"], start=1):
        register = _register(entry, f"{path} #{index}")
        if register.name in registers:
            raise SpecError(f"register {register.name} appears twice")
        registers[register.name] = register
    _check_references(registers)
    seen: dict[str, str] = {}
    for register in registers.values():
        for word in register.names():
            if seen.setdefault(word, register.name) != register.name:
                raise SpecError(f"registers {seen[word]} and {register.name} share a name")
    return Registry(registers=registers, import_order=_import_order(registers))


@functools.cache
def get_registry() -> Registry:
    """Return the shipped register specs, loaded and checked once."""
    return load_registers(DEFAULT_PATH)
