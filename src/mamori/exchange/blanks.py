"""Import templates: the headers of each importable register, an example row marked as a
comment (its first cell starts with ``#``, so importing it changes nothing), and in the
workbook a notes sheet that explains every column."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from mamori.core.cells import csv_writer, safe_row
from mamori.exchange.planning import NOTES_SHEET
from mamori.exchange.spec import Column, ColumnType, Register, Registry, get_registry

__all__ = ["column_help", "template_csv", "template_workbook"]

REQUIRED_FONT = "9C2A00"
EXAMPLE_FONT = "6B7280"


def _language(language: str) -> str:
    return "en" if language == "en" else "ja"


def column_help(column: Column, registry: Registry, language: str) -> str:
    """Return what to write in the column, in the active language."""
    kind = column.type
    if kind == ColumnType.CHOICE:
        described = _("One of: %(choices)s") % {
            "choices": "、".join(str(label) for _code, label in column.choices)
        }
    elif kind == ColumnType.BOOL:
        described = _("はい or いいえ")
    elif kind == ColumnType.DATE:
        described = _("A date (YYYY/MM/DD)")
    elif kind == ColumnType.INT:
        described = _("A whole number")
    elif kind == ColumnType.DECIMAL:
        described = _("A number")
    elif kind == ColumnType.REF:
        described = _("A record of the sheet %(register)s, by %(keys)s") % _ref_words(
            registry[column.ref], language
        )
    elif kind == ColumnType.REFS:
        described = _("Records of the sheet %(register)s, by %(keys)s, one per line") % (
            _ref_words(registry[column.ref], language)
        )
    else:
        described = _("Text")
    note = column.note(language)
    if not note:
        return described
    return f"{described}{'。' if language == 'ja' else '. '}{note}"


def _ref_words(register: Register, language: str) -> dict[str, str]:
    keys = []
    for name in register.refer_by:
        try:
            keys.append(register.column(name).header(language))
        except KeyError:
            keys.append(name)
    return {"register": register.sheet(language), "keys": " / ".join(keys)}


def _example_row(register: Register) -> list[str]:
    values = ["" if c.example is None else str(c.example) for c in register.import_columns]
    values[0] = f"# {values[0]}".rstrip() if values[0] else "#"
    return values


def template_csv(register: Register, language: str = "ja") -> bytes:
    """Return the register's CSV template (UTF-8 with a BOM, so Excel opens it)."""
    language = _language(language)
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header(language) for column in register.import_columns])
    writer.writerow(_example_row(register))
    return buffer.getvalue().encode("utf-8-sig")


def template_workbook(registers: Iterable[Register] | None = None, language: str = "ja") -> bytes:
    """Return an .xlsx template: one sheet per importable register (in import order) and a
    notes sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    registry = get_registry()
    language = _language(language)
    chosen = [r for r in (registers or registry.importable) if r.importable]
    workbook = Workbook()
    notes = workbook.active
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    with translation.override(language):
        notes.title = NOTES_SHEET[language]
        notes.append(
            safe_row([_("Sheet"), _("Column"), _("Required"), _("What to write"), _("Example")])
        )
        for cell in notes[1]:
            cell.font, cell.fill = Font(bold=True), header_fill
        notes.append(safe_row([_("Every sheet"), "", "", _general_note(), ""]))
        for register in chosen:
            if register.note(language):
                notes.append(
                    safe_row([register.sheet(language), "", "", register.note(language), ""])
                )
            for column in register.import_columns:
                notes.append(
                    safe_row(
                        [
                            register.sheet(language),
                            column.header(language),
                            _("Required") if column.required else "",
                            column_help(column, registry, language),
                            "" if column.example is None else str(column.example),
                        ]
                    )
                )
            sheet = workbook.create_sheet(register.sheet(language))
            columns = register.import_columns
            sheet.append(safe_row(column.header(language) for column in columns))
            sheet.append(safe_row(_example_row(register)))
            for index, column in enumerate(columns, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = column.width
                header = sheet.cell(row=1, column=index)
                header.font = Font(bold=True, color=REQUIRED_FONT if column.required else None)
                header.fill = header_fill
                sheet.cell(row=2, column=index).font = Font(italic=True, color=EXAMPLE_FONT)
            sheet.freeze_panes = "A2"
        for letter, width in zip("ABCDE", (18, 26, 8, 70, 24), strict=True):
            notes.column_dimensions[letter].width = width
        for row in notes.iter_rows(min_row=2):
            row[3].alignment = Alignment(wrap_text=True, vertical="top")
        notes.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _general_note() -> str:
    return _(
        "Row 1 holds the column names (Japanese or English). A row whose first cell starts "
        "with # is a comment and is not imported, like the example in row 2. A row whose key "
        "(see each sheet) matches a record updates it; blank cells keep the current value. "
        "Every row of every sheet is checked first; if any row has an error, nothing is "
        "imported. The sheets are imported in this order, so a row may name a record "
        "another sheet of the same file adds."
    )
