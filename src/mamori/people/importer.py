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

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from mamori.core.errors import ApplicationError
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
# Rows read (blank ones included) before giving up on a sheet padded with empty rows.
MAX_ROWS_READ = 2 * MAX_ROWS + 1


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
    Column("is_key_engineer", "重要技術者", "key_engineer", ("key engineer",)),
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
TRUE_WORDS = {"はい", "○", "〇", "1", "true", "yes", "y"}
FALSE_WORDS = {"いいえ", "×", "0", "false", "no", "n"}
DATE_PATTERN = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


class PeopleFileError(ApplicationError):
    """The file as a whole cannot be read (not a spreadsheet, too large, too many rows)."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


@dataclass(frozen=True)
class RowError:
    """One problem: the row as numbered in the file (header = 1), the column, the message."""

    row: int
    column: str
    message: str


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
    csv.writer(buffer, lineterminator="\r\n").writerow([c.header_ja for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def parse_people_file(content: bytes, filename: str = "") -> ParsedFile:
    """Read and check every row of a people file (CSV or .xlsx).

    Return the rows and every error found; the rows are to be written only when there
    is no error. Raise ``PeopleFileError`` when the file cannot be read at all.
    """
    table = _read_table(content, filename)
    header_row, header = next(table, (0, None))
    if header is None:
        raise PeopleFileError(_("The file is empty."))
    result = ParsedFile()
    columns = _map_header(header_row, header, result.errors)
    if result.errors:
        return result
    _check_rows(table, header_row, columns, result)
    return result


# --- reading ------------------------------------------------------------------------------


def _read_table(content: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, cells) for the non-blank rows of the file's first sheet."""
    if not content:
        raise PeopleFileError(_("The file is empty."))
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        return _non_blank(_read_xlsx(content))
    if content.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise PeopleFileError(
            _(
                "This is the old Excel format (.xls). "
                "Save the file as .xlsx or as CSV and upload it again."
            )
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise PeopleFileError(_("The file is not an Excel workbook (.xlsx)."))
    return _non_blank(_read_csv(content))


def _non_blank(rows: Iterable[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    data_rows = 0
    seen_header = False
    for number, cells in rows:
        if number > MAX_ROWS_READ:
            raise _too_many_rows()
        if all(_is_blank(cell) for cell in cells):
            continue
        if seen_header:
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise _too_many_rows()
        seen_header = True
        yield number, cells


def _too_many_rows() -> PeopleFileError:
    return PeopleFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files.")
        % {"limit": f"{MAX_ROWS:,}"}
    )


def _not_a_spreadsheet() -> PeopleFileError:
    return PeopleFileError(
        _(
            "The file is neither a CSV file nor an Excel workbook (.xlsx). "
            "Save the list as CSV or .xlsx."
        )
    )


def _read_csv(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    if b"\x00" in content[:65536]:
        # Binary files and UTF-16 text ("Unicode text" in Excel) both contain NUL bytes.
        raise _not_a_spreadsheet()
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, record[:MAX_COLUMNS]
    except csv.Error as exc:
        raise PeopleFileError(
            _("Row %(row)d cannot be read as CSV: %(problem)s")
            % {"row": number + 1, "problem": exc}
        ) from exc


def _decode(content: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else Shift_JIS as Japanese Excel saves it."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PeopleFileError(
        _("The file's characters cannot be read. Save it as CSV in UTF-8 or Shift_JIS.")
    )


def _check_zip(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_a_spreadsheet() from exc
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            raise _not_a_spreadsheet()
        if len(members) > MAX_XLSX_MEMBERS or (
            sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED
        ):
            raise PeopleFileError(
                _(
                    "The workbook unpacks to more than %(limit)d MB, far more than a people list "
                    "needs. Save only the list as a new workbook or as CSV."
                )
                % {"limit": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}
            )


def _read_xlsx(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    _check_zip(content)
    # Imported here: openpyxl is only needed for workbooks.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise PeopleFileError(_("The Excel workbook is damaged and cannot be read.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        for number, values in enumerate(rows, start=1):
            yield number, list(values)
    except PeopleFileError:
        raise
    except Exception as exc:
        raise PeopleFileError(_("The Excel workbook is damaged and cannot be read.")) from exc
    finally:
        workbook.close()


# --- checking -----------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").strip().lower()
    text = re.sub(r"[\s*＊]|\(必須\)|（必須）", "", text)
    return text


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


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: Any) -> str:
    """Return a cell as text; Excel stores numbers such as 1001 as 1001.0."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell).strip()


class _CellError(ValueError):
    pass


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


def _parse_bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    value = _text(cell)
    word = _normalise(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _CellError(
        _("“%(value)s” is not yes or no; write はい or いいえ (or 1 / 0).") % {"value": value}
    )


def _parse_date(cell: Any) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    value = _text(cell)
    match = DATE_PATTERN.match(unicodedata.normalize("NFKC", value))
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise _CellError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD or YYYY/MM/DD.") % {"value": value}
    )


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
