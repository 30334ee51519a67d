"""Read an uploaded CSV file or Excel workbook into sheets of rows, defensively.

A size limit applies before this module is reached (``mamori.core.uploads``). Here an
.xlsx whose zip entries would inflate beyond ``Limits.max_uncompressed`` is refused
before openpyxl opens it, openpyxl reads cached values only (no formula is evaluated, no
external link followed), and reading stops at a row limit, counting blank rows too, so
that a sheet padded with a million empty rows costs nothing.

CSV text is UTF-8 (with or without the BOM Excel writes) or, failing that, Shift_JIS in
Microsoft's CP932 form, which is what Japanese Excel saves as "CSV (コンマ区切り)".
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from mamori.core.cells import is_blank
from mamori.core.errors import ApplicationError

__all__ = ["FileError", "Limits", "RowError", "Sheet", "decode_text", "read_sheets"]


class FileError(ApplicationError):
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
class Limits:
    """How much of a file is read; beyond these the file is refused, not cut short."""

    max_rows: int = 10_000  # data rows of one sheet (header and blank rows not counted)
    max_total_rows: int = 10_000  # data rows of the whole workbook
    max_uncompressed: int = 64 * 1024 * 1024
    max_members: int = 1_000
    max_columns: int = 60
    max_sheets: int = 40

    @property
    def max_rows_read(self) -> int:
        # Rows read (blank ones included) before giving up on a sheet padded with blanks.
        return 2 * self.max_rows + 1


@dataclass
class Sheet:
    """The non-blank rows of one sheet (header first), numbered as Excel shows them."""

    name: str
    rows: list[tuple[int, list[Any]]]


def read_sheets(
    content: bytes, filename: str = "", limits: Limits | None = None, *, first_only: bool = False
) -> list[Sheet]:
    """Return the sheets of an .xlsx workbook (only the first with ``first_only``), or the
    one table of a CSV file, named after the file.

    Raise ``FileError`` when the file is empty, not a spreadsheet, an old .xls, too large
    once unpacked, or longer than the limits allow.
    """
    limits = limits or Limits()
    if not content:
        raise FileError(_("The file is empty."))
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content, limits, first_only)
    if content.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise FileError(
            _(
                "This is the old Excel format (.xls). "
                "Save the file as .xlsx or as CSV and upload it again."
            )
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise FileError(_("The file is not an Excel workbook (.xlsx)."))
    counter = _RowCounter(limits)
    rows = list(counter.non_blank(_read_csv(content, limits)))
    return [Sheet(name=PurePath(filename).stem if filename else "", rows=rows)]


class _RowCounter:
    """Keep the row limits over one sheet and over the whole workbook."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 0

    def non_blank(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        data_rows = 0
        seen_header = False
        for number, cells in rows:
            if number > self.limits.max_rows_read:
                raise self.too_many(self.limits.max_rows)
            if all(is_blank(cell) for cell in cells):
                continue
            if seen_header:
                data_rows += 1
                self.total += 1
                if data_rows > self.limits.max_rows:
                    raise self.too_many(self.limits.max_rows)
                if self.total > self.limits.max_total_rows:
                    raise self.too_many(self.limits.max_total_rows)
            seen_header = True
            yield number, cells

    @staticmethod
    def too_many(limit: int) -> FileError:
        return FileError(
            _("The file has more than %(limit)s rows. Split it into smaller files.")
            % {"limit": f"{limit:,}"}
        )


def _not_a_spreadsheet() -> FileError:
    return FileError(
        _(
            "The file is neither a CSV file nor an Excel workbook (.xlsx). "
            "Save the list as CSV or .xlsx."
        )
    )


def decode_text(content: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else Shift_JIS as Japanese Excel saves it.

    Raise ``FileError`` for binary content and UTF-16 ("Unicode text" in Excel), whose NUL
    bytes no CSV holds, and for bytes that are neither encoding.
    """
    if b"\x00" in content[:65536]:
        raise _not_a_spreadsheet()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(
        _("The file's characters cannot be read. Save it as CSV in UTF-8 or Shift_JIS.")
    )


def _read_csv(content: bytes, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, record[: limits.max_columns]
    except csv.Error as exc:
        raise FileError(
            _("Row %(row)d cannot be read as CSV: %(problem)s")
            % {"row": number + 1, "problem": exc}
        ) from exc


def _check_zip(content: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_a_spreadsheet() from exc
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            raise _not_a_spreadsheet()
        if len(members) > limits.max_members or (
            sum(member.file_size for member in members) > limits.max_uncompressed
        ):
            raise FileError(
                _(
                    "The workbook unpacks to more than %(limit)d MB, far more than these "
                    "lists need. Save only the lists as a new workbook or as CSV."
                )
                % {"limit": limits.max_uncompressed // (1024 * 1024)}
            )


def _read_xlsx(content: bytes, limits: Limits, first_only: bool) -> list[Sheet]:
    _check_zip(content, limits)
    # Imported here: openpyxl is only needed for workbooks.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileError(_("The Excel workbook is damaged and cannot be read.")) from exc
    counter = _RowCounter(limits)
    sheets: list[Sheet] = []
    try:
        worksheets = workbook.worksheets[:1] if first_only else workbook.worksheets
        if len(worksheets) > limits.max_sheets:
            raise FileError(
                _("The workbook has more than %(limit)d sheets.") % {"limit": limits.max_sheets}
            )
        for worksheet in worksheets:
            values = worksheet.iter_rows(min_row=1, max_col=limits.max_columns, values_only=True)
            numbered = ((number, list(row)) for number, row in enumerate(values, start=1))
            sheets.append(Sheet(name=worksheet.title, rows=list(counter.non_blank(numbered))))
    except FileError:
        raise
    except Exception as exc:
        raise FileError(_("The Excel workbook is damaged and cannot be read.")) from exc
    finally:
        workbook.close()
    return sheets
