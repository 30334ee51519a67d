"""Read a people file (CSV or Excel) into checked rows, or into every error it holds.

Nothing here writes. ``parse_people_file`` returns the rows to import together with
every problem found, each named by the row number the user sees in the file and the
column header; ``mamori.people.services.people_import`` writes the rows, all or none.

Uploads are parsed defensively: a size limit applies before this module is reached,
an .xlsx whose zip entries would inflate beyond ``MAX_XLSX_UNCOMPRESSED`` is refused
before openpyxl opens it, and openpyxl reads cached values only (no formula is ever
evaluated, no external link followed).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from mamori.core.cells import CellError as _CellError
from mamori.core.cells import csv_writer
from mamori.core.cells import is_blank as _is_blank
from mamori.core.cells import normalise as _normalise
from mamori.core.cells import parse_bool as _parse_bool
from mamori.core.cells import parse_date as _parse_date
from mamori.core.cells import text as _text
from mamori.core.progress import Progress
from mamori.core.tabular import FileError, Limits, RowError, read_sheets
from mamori.people.models import Department, Person, PersonKind, PersonStatus

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "ParsedFile",
    "PeopleFileError",
    "PersonRow",
    "RowError",
    "parse_people_file",
    "template_csv",
]

MAX_ROWS = 10_000
# A 10,000-row sheet unpacks to a few megabytes; anything near this is not a people list.
MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_XLSX_MEMBERS = 1_000
MAX_COLUMNS = 60


@dataclass(frozen=True)
class Column:
    field: str
    header_ja: str
    header_en: str
    aliases: tuple[str, ...] = ()
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("employee_number", "社員番号", "employee_number", ("従業員番号", "employee number"), 40),
    Column("name", "氏名", "name", ("名前",), 120),
    Column("name_kana", "ふりがな", "name_kana", ("フリガナ", "よみがな", "kana"), 120),
    Column("email", "メール", "email", ("メールアドレス", "e-mail", "mail"), 254),
    Column("kind", "区分", "kind", ("雇用区分",)),
    Column("department", "部署", "department", ("所属",)),
    Column("title", "役職", "title", ("position",), 120),
    Column(
        "is_key_engineer", "ノウハウを持つ技術者", "key_engineer", ("key engineer", "重要技術者")
    ),
    Column("joined_on", "入社日", "joined_on", ("joined on",)),
)
REQUIRED_FIELDS = ("name",)

KIND_WORDS = {
    "役員": PersonKind.EXECUTIVE,
    "従業員": PersonKind.EMPLOYEE,
    "社員": PersonKind.EMPLOYEE,
    "契約社員": PersonKind.CONTRACTOR,
    "業務委託": PersonKind.CONTRACTOR,
    "インターン": PersonKind.INTERN,
    "顧問": PersonKind.ADVISOR,
}


# Kept under its old name: callers catch it around ``parse_people_file``.
PeopleFileError = FileError


@dataclass(frozen=True)
class PersonRow:
    """A checked row: the values it gives (blank cells left out) and the person it updates."""

    row: int
    values: dict[str, Any]
    person: Person | None = None


@dataclass
class ParsedFile:
    rows: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Field name -> the header as written in the file, to name columns in errors.
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if row.person is None)

    @property
    def to_update(self) -> int:
        return sum(1 for row in self.rows if row.person is not None)


def template_csv() -> bytes:
    """Return an empty people file with the Japanese headers, UTF-8 with a BOM for Excel."""
    buffer = io.StringIO()
    csv_writer(buffer, lineterminator="\r\n").writerow([c.header_ja for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def parse_people_file(
    content: bytes, filename: str = "", *, progress: Progress | None = None
) -> ParsedFile:
    """Read and check every row of a people file (CSV or .xlsx).

    Return the rows and every error found; the rows are to be written only when there
    is no error. Raise ``PeopleFileError`` when the file cannot be read at all.
    ``progress`` advances by one for each row checked.
    """
    rows = _read_table(content, filename)
    table = iter(rows)
    header_row, header = next(table, (0, None))
    if header is None:
        raise PeopleFileError(_("The file is empty."))
    result = ParsedFile()
    columns = _map_header(header_row, header, result.errors)
    if result.errors:
        return result
    progress = progress or Progress()
    progress.step(_("Checking rows"), total=len(rows) - 1)
    _check_rows(table, header_row, columns, result, progress)
    return result


# --- reading ------------------------------------------------------------------------------


def _read_table(content: bytes, filename: str) -> list[tuple[int, list[Any]]]:
    """Return (row number, cells) for the non-blank rows of the file's first sheet."""
    # The limits are read here, not at import time, so that tests can lower them.
    limits = Limits(
        max_rows=MAX_ROWS,
        max_total_rows=MAX_ROWS,
        max_uncompressed=MAX_XLSX_UNCOMPRESSED,
        max_members=MAX_XLSX_MEMBERS,
        max_columns=MAX_COLUMNS,
    )
    return read_sheets(content, filename, limits, first_only=True)[0].rows


# --- checking -----------------------------------------------------------------------------


def _header_lookup() -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in COLUMNS:
        for header in (column.header_ja, column.header_en, column.field, *column.aliases):
            lookup[_normalise(header)] = column
            lookup[_normalise(header).replace("_", "")] = column
    return lookup


def _map_header(
    row: int, header: list[Any], errors: list[RowError]
) -> dict[int, tuple[Column, str]]:
    lookup = _header_lookup()
    columns: dict[int, tuple[Column, str]] = {}
    seen: dict[str, int] = {}
    expected = "、".join(c.header_ja for c in COLUMNS)
    for index, cell in enumerate(header):
        title = _text(cell)
        if not title:
            continue
        key = _normalise(title)
        column = lookup.get(key) or lookup.get(key.replace("_", "").replace(" ", ""))
        if column is None:
            errors.append(
                RowError(
                    row,
                    title,
                    _("Unknown column; the columns are: %(columns)s.") % {"columns": expected},
                )
            )
            continue
        if column.field in seen:
            errors.append(RowError(row, title, _("This column appears twice.")))
            continue
        seen[column.field] = index
        columns[index] = (column, title)
    for required in REQUIRED_FIELDS:
        if required not in seen:
            column = next(c for c in COLUMNS if c.field == required)
            errors.append(
                RowError(
                    row,
                    column.header_ja,
                    _("The file has no “%(column)s” column; it is required.")
                    % {"column": column.header_ja},
                )
            )
    return columns


def _kind_lookup() -> dict[str, str]:
    lookup = {_normalise(word): code for word, code in KIND_WORDS.items()}
    for code, label in PersonKind.choices:
        lookup[_normalise(code)] = code
        lookup[_normalise(str(label))] = code
    return lookup


def _parse_kind(cell: Any, kinds: dict[str, str]) -> str:
    value = _text(cell)
    code = kinds.get(_normalise(value))
    if code is None:
        raise _CellError(
            _("“%(value)s” is not a kind; use one of %(choices)s.")
            % {
                "value": value,
                "choices": "、".join(KIND_WORDS_SHOWN) + " (" + ", ".join(PersonKind.values) + ")",
            }
        )
    return code


KIND_WORDS_SHOWN = ("役員", "従業員", "契約社員", "インターン", "顧問")


def _department_lookup() -> dict[str, Department]:
    lookup: dict[str, Department] = {}
    for department in Department.objects.all():
        if department.code:
            lookup.setdefault(_normalise(department.code), department)
    for department in Department.objects.all():
        lookup[_normalise(department.name)] = department
    return lookup


def _parse_text(cell: Any, column: Column) -> str:
    value = _text(cell)
    if column.max_length and len(value) > column.max_length:
        raise _CellError(
            _("This is %(length)d characters long; at most %(limit)d are allowed.")
            % {"length": len(value), "limit": column.max_length}
        )
    if column.field == "email":
        try:
            EmailValidator()(value)
        except ValidationError as exc:
            raise _CellError(_("“%(value)s” is not an e-mail address.") % {"value": value}) from exc
    return value


def _check_rows(
    table: Iterator[tuple[int, list[Any]]],
    header_row: int,
    columns: dict[int, tuple[Column, str]],
    result: ParsedFile,
    progress: Progress,
) -> None:
    kinds = _kind_lookup()
    departments = _department_lookup()
    headers = {column.field: title for column, title in columns.values()}
    result.headers.update(headers)
    parsed: list[tuple[int, dict[str, Any]]] = []
    first_row_of_number: dict[str, int] = {}
    for number, cells in table:
        values: dict[str, Any] = {}
        for index, (column, title) in columns.items():
            cell = cells[index] if index < len(cells) else None
            if _is_blank(cell):
                continue
            try:
                values[column.field] = _parse_cell(cell, column, kinds, departments)
            except _CellError as exc:
                result.errors.append(RowError(number, title, str(exc)))
        if "name" not in values and not any(
            e.row == number and e.column == headers["name"] for e in result.errors
        ):
            result.errors.append(
                RowError(number, headers["name"], _("Enter a value; this column is required."))
            )
        employee_number = values.get("employee_number")
        if employee_number:
            first = first_row_of_number.setdefault(employee_number, number)
            if first != number:
                result.errors.append(
                    RowError(
                        number,
                        headers["employee_number"],
                        _("The employee number %(number)s also appears in row %(row)d.")
                        % {"number": employee_number, "row": first},
                    )
                )
        parsed.append((number, values))
        progress.advance()
    if not parsed and not result.errors:
        raise PeopleFileError(_("The file has a header but no rows of people."))
    existing = _existing_people(list(first_row_of_number))
    for number, values in parsed:
        person = existing.get(values.get("employee_number", ""))
        if person is not None:
            _check_update(number, values, person, headers, result)
        result.rows.append(PersonRow(row=number, values=values, person=person))
    if result.errors:
        result.errors.sort(key=lambda error: error.row)


def _parse_cell(
    cell: Any, column: Column, kinds: dict[str, str], departments: dict[str, Department]
) -> Any:
    if column.field == "kind":
        return _parse_kind(cell, kinds)
    if column.field == "is_key_engineer":
        return _parse_bool(cell)
    if column.field == "joined_on":
        return _parse_date(cell)
    if column.field == "department":
        value = _text(cell)
        department = departments.get(_normalise(value))
        if department is None:
            raise _CellError(
                _(
                    "There is no department “%(value)s” in mamori. "
                    "Correct the name, or add the department first."
                )
                % {"value": value}
            )
        return department
    return _parse_text(cell, column)


def _existing_people(numbers: list[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        for person in Person.objects.select_related("department", "user").filter(
            employee_number__in=chunk
        ):
            found[person.employee_number] = person
    return found


def _check_update(
    number: int, values: dict[str, Any], person: Person, headers: dict[str, str], result: ParsedFile
) -> None:
    department = values.get("department")
    if (
        department is not None
        and person.department_id is not None
        and department.pk != person.department_id
        and person.status == PersonStatus.DEPARTED
    ):
        result.errors.append(
            RowError(
                number,
                headers["department"],
                _("%(person)s has left the company; the department cannot change.")
                % {"person": person.name},
            )
        )
