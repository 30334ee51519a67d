"""Export registers to an Excel workbook (one sheet per register) or to CSV files.

Headers are in the chosen language, dates are real date cells shown as yyyy/mm/dd, the
header row is frozen and filtered, columns have widths. CSV is UTF-8 with a BOM by
default, so that Japanese Excel opens it correctly, or CP932 (Shift_JIS) on request.

What a user sees is what they may see on the pages: registers needing a capability they
lack are left out, and an asset's secret details only appear for those who need to know.
Every export is recorded in the audit log with the assets whose details it carried.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mamori.accounts.models import User
from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.core.cells import csv_writer, safe_cell
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress
from mamori.exchange.convert import export_value
from mamori.exchange.records import register_count, register_records
from mamori.exchange.spec import Column, ColumnType, Register, Registry, get_registry

__all__ = [
    "ENCODINGS",
    "ExportResult",
    "export_csv",
    "export_csv_files",
    "export_csv_zip",
    "export_workbook",
    "may_export",
    "visible_columns",
]

ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}
DATE_FORMAT = "yyyy/mm/dd"
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"
HEADER_FILL = "DDE7F0"


@dataclass(frozen=True)
class ExportResult:
    content: bytes
    rows: dict[str, int]  # register name -> rows written
    details: int  # assets whose secret details were written


def _can(user: User | None, capability: str | None) -> bool:
    # ``None`` is the command line, which runs with the officer's view.
    return capability is None or user is None or user.has_capability(capability)


def may_export(register: Register, user: User | None) -> bool:
    return _can(user, register.capability)


def visible_columns(register: Register, user: User | None) -> list[Column]:
    return [column for column in register.columns if _can(user, column.capability)]


def _language(language: str) -> str:
    return "en" if language == "en" else "ja"


def _rows(
    register: Register,
    user: User | None,
    columns: Sequence[Column],
    language: str,
    registry: Registry,
    details_shown: set[int],
) -> Iterator[list[Any]]:
    """Yield each record's cells; secret cells only where the user may see the details."""
    visible = register.details(user) if register.details is not None else None
    has_secrets = any(column.secret for column in columns)
    for pk, values in register_records(register, user, columns, registry):
        shows_details = visible is None or pk in visible
        if has_secrets and shows_details:
            details_shown.add(pk)
        yield [
            None
            if column.secret and not shows_details
            else export_value(column, value, registry, language)
            for column, value in zip(columns, values, strict=True)
        ]


# --- Excel ------------------------------------------------------------------------------


def _styled(sheet: Any, value: Any, column: Column | None = None, header: bool = False) -> Any:
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if header:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    elif column is not None and column.type == ColumnType.DATE:
        cell.number_format = DATE_FORMAT
    elif column is not None and column.type == ColumnType.DATETIME:
        cell.number_format = DATETIME_FORMAT
    return cell


def _prepare_sheet(sheet: Any, columns: Sequence[Column], language: str) -> None:
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([_styled(sheet, column.header(language), header=True) for column in columns])


def _write_sheet(
    workbook: Any,
    register: Register,
    user: User | None,
    language: str,
    registry: Registry,
    details: set[int],
    progress: Progress,
) -> int:
    columns = visible_columns(register, user)
    sheet = workbook.create_sheet(register.sheet(language))
    _prepare_sheet(sheet, columns, language)
    # Date cells need a format per cell; other cells are written as plain values, which
    # openpyxl writes several times faster.
    dated = [column.type in (ColumnType.DATE, ColumnType.DATETIME) for column in columns]
    count = 0
    for values in _rows(register, user, columns, language, registry, details):
        sheet.append(
            [
                _styled(sheet, value, column) if is_date and value is not None else safe_cell(value)
                for value, column, is_date in zip(values, columns, dated, strict=True)
            ]
        )
        count += 1
        progress.advance()
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return count


def export_workbook(
    *,
    registers: Iterable[Register] | None = None,
    user: User | None = None,
    language: str = "ja",
    progress: Progress | None = None,
) -> ExportResult:
    """Return an .xlsx workbook with one sheet per register the user may export.

    ``registers`` defaults to every register; ``user`` ``None`` is the command line,
    with the officer's view. The export is recorded in the audit log.
    """
    registry = get_registry()
    language = _language(language)
    progress = progress or Progress()
    chosen = [r for r in (registers or registry) if may_export(r, user)]
    workbook = Workbook(write_only=True)
    rows: dict[str, int] = {}
    details: set[int] = set()
    with translation.override(language):
        for register in chosen:
            progress.step(register.sheet(language), total=register_count(register))
            rows[register.name] = _write_sheet(
                workbook, register, user, language, registry, details, progress
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    _audit(rows, details, "xlsx")
    return ExportResult(content=buffer.getvalue(), rows=rows, details=len(details))


# --- CSV --------------------------------------------------------------------------------


def _csv_cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y/%m/%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y/%m/%d")
    return "" if value is None else value


def _csv_bytes(
    register: Register,
    user: User | None,
    language: str,
    encoding: str,
    registry: Registry,
    details: set[int],
    progress: Progress,
) -> tuple[bytes, int]:
    codec = ENCODINGS.get(encoding)
    if codec is None:
        raise ApplicationError(_("Choose UTF-8 or Shift_JIS (cp932) for CSV."), field="encoding")
    columns = visible_columns(register, user)
    output = io.BytesIO()
    if codec == "utf-8-sig":
        output.write("\ufeff".encode())
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    count = 0

    def flush(line: int) -> None:
        try:
            output.write(buffer.getvalue().encode("utf-8" if codec == "utf-8-sig" else codec))
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
            raise ApplicationError(
                _(
                    "“%(character)s” in row %(row)d of %(register)s cannot be written in "
                    "Shift_JIS. Export as UTF-8 instead."
                )
                % {"character": bad, "row": line, "register": register.sheet(language)},
                field="encoding",
            ) from exc
        buffer.seek(0)
        buffer.truncate()

    writer.writerow([column.header(language) for column in columns])
    flush(1)
    for values in _rows(register, user, columns, language, registry, details):
        writer.writerow([_csv_cell(value) for value in values])
        count += 1
        # One row at a time, so that a character Shift_JIS lacks is named by its row.
        flush(count + 1)
        progress.advance()
    return output.getvalue(), count


def export_csv(
    *,
    register: Register,
    user: User | None = None,
    language: str = "ja",
    encoding: str = "utf-8",
    progress: Progress | None = None,
) -> ExportResult:
    """Return one register as CSV (UTF-8 with a BOM, or ``cp932``); audited.

    Raise ``ApplicationError`` when the user may not export the register or a value
    cannot be written in CP932.
    """
    registry = get_registry()
    language = _language(language)
    if not may_export(register, user):
        raise ApplicationError(_("You may not export this register."), field="register")
    details: set[int] = set()
    with translation.override(language):
        content, count = _csv_bytes(
            register, user, language, encoding, registry, details, progress or Progress()
        )
    _audit({register.name: count}, details, f"csv ({encoding})")
    return ExportResult(content=content, rows={register.name: count}, details=len(details))


def export_csv_files(
    *,
    registers: Iterable[Register] | None = None,
    user: User | None = None,
    language: str = "ja",
    encoding: str = "utf-8",
    progress: Progress | None = None,
) -> tuple[dict[str, bytes], ExportResult]:
    """Return one CSV file per register (``<name>.csv``) and the totals; audited once."""
    registry = get_registry()
    language = _language(language)
    progress = progress or Progress()
    files: dict[str, bytes] = {}
    rows: dict[str, int] = {}
    details: set[int] = set()
    with translation.override(language):
        for register in registers or registry:
            if not may_export(register, user):
                continue
            progress.step(register.sheet(language), total=register_count(register))
            files[f"{register.name}.csv"], rows[register.name] = _csv_bytes(
                register, user, language, encoding, registry, details, progress
            )
    _audit(rows, details, f"csv ({encoding})")
    return files, ExportResult(content=b"", rows=rows, details=len(details))


def export_csv_zip(**kwargs: Any) -> ExportResult:
    """Return the CSV files of ``export_csv_files`` in one zip archive."""
    files, result = export_csv_files(**kwargs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return ExportResult(content=buffer.getvalue(), rows=result.rows, details=result.details)


def _audit(rows: dict[str, int], details: set[int], fmt: str) -> None:
    from mamori.assets.models import InformationAsset

    changes: dict[str, Any] = {
        "format": fmt,
        "registers": rows,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    if details:
        # Exported details are read details: the log names every asset they covered.
        changes["asset_details"] = sorted(details)
    audit_record(
        action=Action.EXPORT,
        object_type=InformationAsset._meta.label_lower if details else "exchange.export",
        object_repr=_("Export of %(count)d registers") % {"count": len(rows)},
        changes=changes,
    )
