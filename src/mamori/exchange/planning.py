"""Check an import file completely before anything is written.

``plan_import`` reads every sheet, tells which register each holds, reads every cell,
resolves every reference against mamori and against the other sheets of the file, finds
the record each row updates (its natural key), and returns an ``ImportPlan``: the rows to
write, or every error, each named by sheet, row (as Excel numbers it: the header is row
1) and column header. Nothing here writes; ``mamori.exchange.services.exchange_import``
writes a plan without errors, all rows or none.

Queries do not grow with the number of rows: each register's keys are read once, and
composite keys (person + asset + start date) are read for the people the file names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from mamori.accounts.models import User
from mamori.core.cells import CellError, is_blank, key_text, normalise, text
from mamori.core.tabular import FileError, Limits, Sheet, read_sheets
from mamori.exchange.convert import ChoiceReader, parse_cell
from mamori.exchange.spec import Column, ColumnType, Register, Registry, get_registry

__all__ = [
    "EXCHANGE_LIMITS",
    "ImportPlan",
    "Pending",
    "PlannedRow",
    "RowError",
    "SheetPlan",
    "plan_import",
]

# A register maintained elsewhere (HR, IT) fits in far fewer rows; a full export of a large
# installation is imported register by register.
EXCHANGE_LIMITS = Limits(
    max_rows=50_000,
    max_total_rows=50_000,
    max_uncompressed=256 * 1024 * 1024,
    max_members=2_000,
    max_columns=80,
    max_sheets=40,
)
NOTES_SHEET = {"ja": "説明", "en": "Notes"}  # the templates' notes, never imported
NOTES_SHEETS = {normalise(name) for name in (*NOTES_SHEET.values(), "記入方法", "readme")}
CHUNK = 500


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet, the row as Excel numbers it, the column header, the message."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class Pending:
    """A reference to a record that another row of the file adds."""

    register: str
    key: str


@dataclass
class PlannedRow:
    row: int
    values: dict[str, Any]  # field -> value; references as text until resolved in ``refs``
    refs: dict[str, Any] = field(default_factory=dict)  # field -> pk, Pending or a list
    instance_pk: Any = None  # the record the row updates


@dataclass
class SheetPlan:
    register: Register
    sheet: str
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written
    rows: list[PlannedRow] = field(default_factory=list)

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if row.instance_pk is None)

    @property
    def to_update(self) -> int:
        return sum(1 for row in self.rows if row.instance_pk is not None)

    def header_of(self, name: str | None) -> str:
        if not name:
            return ""
        if name in self.headers:
            return self.headers[name]
        try:
            return self.register.column(name).header(translation.get_language() or "ja")
        except KeyError:
            return ""


@dataclass
class ImportPlan:
    sheets: list[SheetPlan] = field(default_factory=list)  # in import order
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sheets left out, by name

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets)


def plan_import(
    content: bytes,
    filename: str = "",
    *,
    register: str | None = None,
    user: User | None = None,
    registry: Registry | None = None,
    limits: Limits | None = None,
) -> ImportPlan:
    """Read and check every row of an import file (CSV or .xlsx); write nothing.

    ``register`` names the register of a CSV file (or the one sheet of a workbook to
    import); without it the sheet's or file's name, else the headers, tell. ``user``
    ``None`` is the command line, with the officer's rights. Raise ``FileError`` when the
    file cannot be read at all or holds nothing to import.
    """
    registry = registry or get_registry()
    wanted = None
    if register:
        wanted = registry.find(register)
        if wanted is None or not wanted.importable:
            raise FileError(_unknown_register(register, registry))
    sheets = read_sheets(content, filename, limits or EXCHANGE_LIMITS)
    planner = _Planner(registry, user)
    is_csv = not content.startswith(b"PK\x03\x04")
    planner.assign(sheets, wanted, is_csv)
    if not planner.plan.errors and not planner.plan.sheets:
        raise FileError(
            _("The file holds no sheet mamori can import. The sheets that can be: %(names)s.")
            % {"names": "、".join(r.sheet(_language()) for r in registry.importable)}
        )
    if not planner.plan.errors and planner.plan.row_count == 0:
        raise FileError(_("The file has headers but no rows to import."))
    planner.check()
    return planner.plan


def _stored_equals(record: Any, name: str, row: PlannedRow) -> bool:
    """Return whether ``record`` already holds the row's value of field ``name``."""
    field_ = record._meta.get_field(name)
    if name in row.refs:
        ref = row.refs[name]
        if field_.many_to_many:
            items = ref if isinstance(ref, list) else [ref]
            if any(isinstance(item, Pending) for item in items):
                return False
            return set(getattr(record, name).values_list("pk", flat=True)) == set(items)
        if isinstance(ref, Pending):
            return False
        return getattr(record, field_.attname) == ref
    return getattr(record, name) == row.values[name]


def _language() -> str:
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


def _unknown_register(name: str, registry: Registry) -> str:
    return _("There is no register “%(name)s” to import; the registers are: %(names)s.") % {
        "name": name,
        "names": ", ".join(r.name for r in registry.importable),
    }


def _component(value: Any) -> Any:
    """Return a key component in comparable form (a pk stays a number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return key_text(value)


class _Planner:
    def __init__(self, registry: Registry, user: User | None):
        self.registry = registry
        self.user = user
        self.plan = ImportPlan()
        self._db_keys: dict[tuple[str, str], dict[str, list[Any]]] = {}
        self._db_values: dict[tuple[str, str], dict[Any, Any]] = {}  # pk -> value as stored
        # register -> normalised refer_by value -> the rows of the file that give it
        self._file_keys: dict[str, dict[str, list[PlannedRow]]] = defaultdict(dict)
        # Registers whose sheet has a header error: references to them are not judged.
        self._broken: set[str] = set()

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.plan.errors.append(RowError(sheet, row, column, message))

    # --- which sheet is which register ---------------------------------------------------

    def assign(self, sheets: list[Sheet], wanted: Register | None, is_csv: bool) -> None:
        by_register: dict[str, SheetPlan] = {}
        content_sheets = [s for s in sheets if normalise(s.name) not in NOTES_SHEETS]
        for sheet in sheets:
            if normalise(sheet.name) in NOTES_SHEETS:
                self.plan.skipped.append(sheet.name)
                continue
            if not sheet.rows:
                continue
            register = self.registry.find(sheet.name) if sheet.name else None
            if register is None and wanted is not None and len(content_sheets) == 1:
                register = wanted
            if register is None and len(content_sheets) == 1:
                register = self._guess(sheet)
            if register is None:
                label = sheet.name or _("the file")
                where = _("file") if is_csv else _("sheet")
                self.error(
                    sheet.name,
                    None,
                    "",
                    _(
                        "mamori cannot tell which register the %(where)s “%(name)s” holds. "
                        "Name it after a register (%(names)s) or choose the register."
                    )
                    % {
                        "where": where,
                        "name": label,
                        "names": "、".join(r.sheet(_language()) for r in self.registry.importable),
                    },
                )
                continue
            if (wanted is not None and register is not wanted) or not register.importable:
                self.plan.skipped.append(sheet.name)
                continue
            if register.name in by_register:
                self.error(
                    sheet.name,
                    None,
                    "",
                    _("The sheets “%(first)s” and “%(second)s” both hold %(register)s.")
                    % {
                        "first": by_register[register.name].sheet,
                        "second": sheet.name,
                        "register": register.sheet(_language()),
                    },
                )
                continue
            plan = SheetPlan(register=register, sheet=sheet.name)
            if self._read(plan, sheet):
                by_register[register.name] = plan
            else:
                self._broken.add(register.name)
        order = {name: index for index, name in enumerate(self.registry.import_order)}
        self.plan.sheets = sorted(by_register.values(), key=lambda p: order[p.register.name])

    def _guess(self, sheet: Sheet) -> Register | None:
        """Return the one importable register all of whose headers the sheet's header uses."""
        _number, header = sheet.rows[0]
        titles = [normalise(text(cell)) for cell in header if not is_blank(cell)]
        fits = []
        for register in self.registry.importable:
            words = set().union(*(column.header_words() for column in register.columns))
            required = {c.field for c in register.import_columns if c.required}
            found = {
                column.field
                for column in register.columns
                for title in titles
                if title in column.header_words()
            }
            if all(title in words for title in titles) and required <= found:
                fits.append(register)
        return fits[0] if len(fits) == 1 else None

    # --- headers and cells ---------------------------------------------------------------

    def _read(self, plan: SheetPlan, sheet: Sheet) -> bool:
        header_row, header = sheet.rows[0]
        columns = self._map_header(plan, header_row, header)
        if columns is None:
            return False
        choices = {
            column.field: ChoiceReader(column)
            for column, _title in columns.values()
            if column.type == ColumnType.CHOICE
        }
        for number, cells in sheet.rows[1:]:
            first = next((cell for cell in cells if not is_blank(cell)), None)
            if isinstance(first, str) and first.lstrip().startswith("#"):
                continue  # a comment, such as the example row of a template
            values: dict[str, Any] = {}
            for index, (column, title) in columns.items():
                cell = cells[index] if index < len(cells) else None
                if is_blank(cell) or not column.importable:
                    continue
                try:
                    values[column.field] = parse_cell(column, cell, choices.get(column.field))
                except CellError as exc:
                    self.error(plan.sheet, number, title, str(exc))
            plan.rows.append(PlannedRow(row=number, values=values))
        return True

    def _map_header(
        self, plan: SheetPlan, row: int, header: list[Any]
    ) -> dict[int, tuple[Column, str]] | None:
        register = plan.register
        lookup: dict[str, Column] = {}
        for column in register.columns:
            for word in column.header_words():
                lookup.setdefault(word, column)
        columns: dict[int, tuple[Column, str]] = {}
        problems = len(self.plan.errors)
        for index, cell in enumerate(header):
            title = text(cell)
            if not title:
                continue
            key = normalise(title)
            column = lookup.get(key) or lookup.get(key.replace("_", ""))
            if column is None:
                self.error(
                    plan.sheet,
                    row,
                    title,
                    _("Unknown column; the columns are: %(columns)s.")
                    % {"columns": "、".join(c.header(_language()) for c in register.columns)},
                )
                continue
            if column.field in plan.headers:
                self.error(plan.sheet, row, title, _("This column appears twice."))
                continue
            plan.headers[column.field] = title
            columns[index] = (column, title)
        for column in register.import_columns:
            if column.required and column.field not in plan.headers:
                self.error(
                    plan.sheet,
                    row,
                    column.header(_language()),
                    _("The file has no “%(column)s” column; it is required.")
                    % {"column": column.header(_language())},
                )
        return None if len(self.plan.errors) > problems else columns

    def _may(self, capability: str) -> bool:
        return self.user is None or self.user.has_capability(capability)

    # --- references, keys and required values -----------------------------------------

    def check(self) -> None:
        for plan in self.plan.sheets:
            self._index_file(plan)
        for plan in self.plan.sheets:
            self._resolve(plan)
        for plan in self.plan.sheets:
            self._match(plan)
            self._check_restricted(plan)
            self._check_need_to_know(plan)
            self._check_required(plan)
        self._sort_errors()

    def _sort_errors(self) -> None:
        sheet_order = {plan.sheet: index for index, plan in enumerate(self.plan.sheets)}
        self.plan.errors.sort(key=lambda e: (sheet_order.get(e.sheet, -1), e.row or 0))

    def _index_file(self, plan: SheetPlan) -> None:
        index = self._file_keys[plan.register.name]
        for row in plan.rows:
            for name in plan.register.refer_by:
                value = row.values.get(name)
                if value not in (None, ""):
                    index.setdefault(key_text(value), []).append(row)

    def _db_index(self, register: Register, name: str) -> dict[str, list[Any]]:
        """Return normalised value -> pks for one field of a register (read once)."""
        cached = self._db_keys.get((register.name, name))
        if cached is None:
            cached = defaultdict(list)
            values: dict[Any, Any] = {}
            rows = register.model._default_manager.order_by().values_list("pk", name)
            for pk, value in rows.iterator(chunk_size=5000):
                if value not in (None, ""):
                    cached[key_text(value)].append(pk)
                    values[pk] = value
            self._db_keys[(register.name, name)] = cached
            self._db_values[(register.name, name)] = values
        return cached

    def _lookup(self, plan: SheetPlan, row: PlannedRow, column: Column, value: str) -> Any:
        """Return the pk or ``Pending`` the reference names, or ``None`` after an error."""
        target = self.registry[column.ref]
        key = key_text(value)
        title = plan.header_of(column.field)
        for name in target.refer_by:
            pks = self._db_index(target, name).get(key, [])
            if len(pks) == 1:
                return pks[0]
            if len(pks) > 1:
                self.error(
                    plan.sheet,
                    row.row,
                    title,
                    _(
                        "More than one record of %(register)s is called “%(value)s” in mamori; "
                        "name it by another key (%(keys)s) or rename one first."
                    )
                    % {
                        "register": target.sheet(_language()),
                        "value": value,
                        "keys": "、".join(self._key_headers(target)),
                    },
                )
                return None
        rows = self._file_keys.get(target.name, {}).get(key, [])
        if not rows and target.name in self._broken:
            return None
        if len(rows) == 1:
            return Pending(target.name, key)
        if len(rows) > 1:
            self.error(
                plan.sheet,
                row.row,
                title,
                _("“%(value)s” names several rows of the sheet %(register)s.")
                % {"value": value, "register": target.sheet(_language())},
            )
            return None
        self.error(
            plan.sheet,
            row.row,
            title,
            _(
                "There is no “%(value)s” in %(register)s, neither in mamori nor in this file. "
                "Correct it, or add it to the sheet %(register)s first."
            )
            % {"value": value, "register": target.sheet(_language())},
        )
        return None

    def _key_headers(self, register: Register) -> list[str]:
        headers = []
        for name in register.refer_by:
            try:
                headers.append(register.column(name).header(_language()))
            except KeyError:
                headers.append(name)
        return headers

    def _resolve(self, plan: SheetPlan) -> None:
        references = [c for c in plan.register.import_columns if c.ref]
        for row in plan.rows:
            for column in references:
                value = row.values.get(column.field)
                if value in (None, "", []):
                    continue
                if column.type == ColumnType.REFS:
                    found = [self._lookup(plan, row, column, item) for item in value]
                    if all(item is not None for item in found):
                        row.refs[column.field] = found
                else:
                    found_one = self._lookup(plan, row, column, value)
                    if found_one is not None:
                        row.refs[column.field] = found_one

    def _components(self, row: PlannedRow, key: tuple[str, ...]) -> tuple[Any, ...] | None:
        parts = []
        for name in key:
            if name in row.refs:
                parts.append(row.refs[name])
            elif row.values.get(name) not in (None, ""):
                parts.append(_component(row.values[name]))
            else:
                return None
        return tuple(parts)

    def _match(self, plan: SheetPlan) -> None:
        register = plan.register
        seen: dict[tuple[int, tuple[Any, ...]], int] = {}
        composite = {
            index: self._composite_index(register, key, plan.rows)
            for index, key in enumerate(register.keys)
            if len(key) > 1
        }
        for row in plan.rows:
            for index, key in enumerate(register.keys):
                parts = self._components(row, key)
                if parts is None:
                    continue
                first = seen.setdefault((index, parts), row.row)
                if first != row.row:
                    self.error(
                        plan.sheet,
                        row.row,
                        plan.header_of(key[0]),
                        _("This row repeats row %(row)d (the same %(columns)s).")
                        % {
                            "row": first,
                            "columns": "、".join(plan.header_of(name) for name in key),
                        },
                    )
                    break
                if row.instance_pk is not None or any(isinstance(p, Pending) for p in parts):
                    continue
                if len(key) == 1:
                    pks = self._db_index(register, key[0]).get(parts[0], [])
                else:
                    pks = composite[index].get(parts, [])
                if len(pks) > 1:
                    self.error(
                        plan.sheet,
                        row.row,
                        plan.header_of(key[0]),
                        _(
                            "More than one record in mamori has these %(columns)s; "
                            "mamori cannot tell which one to update."
                        )
                        % {"columns": "、".join(plan.header_of(name) for name in key)},
                    )
                elif pks:
                    row.instance_pk = pks[0]
                    self._check_earlier_keys(plan, row, index)

    def _check_earlier_keys(self, plan: SheetPlan, row: PlannedRow, matched: int) -> None:
        """Refuse a row found by a later key (the e-mail) whose earlier key (the employee
        number) names someone else: the import would overwrite that record's key."""
        register = plan.register
        for key in register.keys[:matched]:
            if len(key) != 1 or row.values.get(key[0]) in (None, ""):
                continue
            current = self._db_value(register, key[0], row.instance_pk)
            if current and key_text(current) != key_text(row.values[key[0]]):
                self.error(
                    plan.sheet,
                    row.row,
                    plan.header_of(key[0]),
                    _(
                        "The row matches a record by %(matched)s, but that record's %(column)s "
                        "is “%(current)s”. Correct one of them."
                    )
                    % {
                        "matched": "、".join(plan.header_of(n) for n in register.keys[matched]),
                        "column": plan.header_of(key[0]),
                        "current": current,
                    },
                )
                row.instance_pk = None

    def _db_value(self, register: Register, name: str, pk: Any) -> Any:
        """Return a record's value of one field (read once with the field's index)."""
        self._db_index(register, name)
        return self._db_values[(register.name, name)].get(pk)

    def _composite_index(
        self, register: Register, key: tuple[str, ...], rows: Iterable[PlannedRow]
    ) -> dict[tuple[Any, ...], list[Any]]:
        """Return key components -> pks for the records sharing the first reference the
        rows give (e.g. the grants of the people the file names)."""
        anchor = next((name for name in key if register.column(name).ref), None)
        index: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
        manager = register.model._default_manager.order_by()
        if anchor is None:
            chunks: list[Any] = [None]
        else:
            pks = sorted({r.refs[anchor] for r in rows if isinstance(r.refs.get(anchor), int)})
            chunks = [pks[i : i + CHUNK] for i in range(0, len(pks), CHUNK)]
        for chunk in chunks:
            records = manager if chunk is None else manager.filter(**{f"{anchor}__in": chunk})
            for pk, *values in records.values_list("pk", *key):
                if all(value not in (None, "") for value in values):
                    index[tuple(_component(value) for value in values)].append(pk)
        return index

    def _check_restricted(self, plan: SheetPlan) -> None:
        """Let a column the user may not set through only where it repeats what is stored
        (as in a workbook the officer exported); any other value there is an error."""
        restricted = [
            column
            for column in plan.register.import_columns
            if column.capability
            and column.field in plan.headers
            and not self._may(column.capability)
        ]
        for column in restricted:
            rows = [row for row in plan.rows if column.field in row.values]
            pks = [row.instance_pk for row in rows if row.instance_pk is not None]
            stored = dict(
                plan.register.model._default_manager.filter(pk__in=pks).values_list(
                    "pk", column.field
                )
            )
            for row in rows:
                value = row.values.pop(column.field)
                if row.instance_pk is None or stored.get(row.instance_pk) != value:
                    self.error(
                        plan.sheet,
                        row.row,
                        plan.header_of(column.field),
                        _("Only the officer may set this column; leave it as it is or blank."),
                    )

    def _check_need_to_know(self, plan: SheetPlan) -> None:
        """Refuse a row that changes a record whose secret details the user may not see
        (an asset without a grant in force, ownership or the officer's rights), as the
        API and the pages do. A row that repeats what is stored passes, so that a
        workbook exported by the same user imports back."""
        register = plan.register
        if register.details is None:
            return
        updates = [row for row in plan.rows if row.instance_pk is not None]
        if not updates:
            return
        visible = register.details(self.user)
        if visible is None:
            return
        hidden = [row for row in updates if row.instance_pk not in visible]
        records = register.model._default_manager.in_bulk([row.instance_pk for row in hidden])
        for row in hidden:
            record = records.get(row.instance_pk)
            changed = [
                name
                for name in [*row.values, *(n for n in row.refs if n not in row.values)]
                if record is None or not _stored_equals(record, name, row)
            ]
            if changed:
                self.error(
                    plan.sheet,
                    row.row,
                    plan.header_of(changed[0]),
                    _(
                        "Only those who need to know (a grant, the owner, the officer) may "
                        "change an asset's details."
                    ),
                )

    def _check_required(self, plan: SheetPlan) -> None:
        required = [c for c in plan.register.import_columns if c.required]
        # A cell that could not be read is already an error; "required" would repeat it.
        failed = {(e.row, e.column) for e in self.plan.errors if e.sheet == plan.sheet}
        for row in plan.rows:
            if row.instance_pk is not None:
                continue  # an update keeps what a blank cell leaves out
            for column in required:
                title = plan.header_of(column.field)
                if column.field not in row.values and (row.row, title) not in failed:
                    self.error(
                        plan.sheet, row.row, title, _("Enter a value; this column is required.")
                    )
