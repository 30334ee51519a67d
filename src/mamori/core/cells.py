"""Single cells as Japanese Excel and CSV files hold them: text, numbers, yes/no, dates.

Every importer reads cells through these functions, so that 1001.0 from Excel means
"1001", はい means yes and 2024/4/1 is a date everywhere in mamori. A cell that cannot be
read raises ``CellError`` with a message fit for the user; the caller names the row and
column.

Every writer of a spreadsheet or a CSV file goes through ``safe_cell`` / ``safe_row`` /
``csv_writer`` (OWASP's CSV injection rule): a text cell beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — or their full-width forms, which Japanese Excel reads
as the same — is written with a leading ``'``, so that a spreadsheet shows it as text and
never runs it as a formula. Numbers, dates and yes/no stay what they are (a negative
number stays a number). ``text`` removes that one ``'`` again, so that an exported file
imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

__all__ = [
    "FALSE_WORDS",
    "FORMULA_STARTS",
    "TRUE_WORDS",
    "CellError",
    "csv_writer",
    "is_blank",
    "key_text",
    "normalise",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "safe_cell",
    "safe_row",
    "text",
    "unneutralise",
]

TRUE_WORDS = {"はい", "○", "〇", "1", "true", "yes", "y"}
FALSE_WORDS = {"いいえ", "×", "0", "false", "no", "n"}
DATE_PATTERN = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
JAPANESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP), with the
# full-width forms Japanese input produces.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")


def _needs_quote(value: str) -> bool:
    # A text that already starts with quotes before a formula character gets one more, so
    # that ``unneutralise`` gives back exactly what was written.
    rest = value.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_STARTS


def safe_cell(value: Any) -> Any:
    """Return ``value`` fit for a spreadsheet or CSV cell: text that a spreadsheet would
    read as a formula gets a leading ``'``; anything that is not text is returned as is."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Return a row with every cell passed through ``safe_cell``."""
    return [safe_cell(value) for value in values]


class _SafeWriter:
    """``csv.writer`` whose rows pass through ``safe_row``."""

    def __init__(self, writer: Any):
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self._writer.writerow(safe_row(row))


def csv_writer(handle: Any, **kwargs: Any) -> _SafeWriter:
    """Return a ``csv.writer`` on ``handle`` that neutralises formulas in every row."""
    return _SafeWriter(csv.writer(handle, **kwargs))


def unneutralise(value: str) -> str:
    """Return text read from a cell without the ``'`` that ``safe_cell`` put before it."""
    if value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value


class CellError(ValueError):
    """A cell's content cannot be read as what its column holds."""


def normalise(value: Any) -> str:
    """Return a header or a word in a comparable form: NFKC, lower case, no spaces or
    "required" marks (``*``, ``(必須)``)."""
    result = unicodedata.normalize("NFKC", str(value)).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s*＊]|\(必須\)|（必須）", "", result)


def key_text(value: Any) -> str:
    """Return a natural key (a name, an e-mail, a number) in a comparable form.

    Unlike ``normalise`` it keeps single spaces, so that 山田 太郎 and 山田太郎 stay two
    names; full-width and half-width forms and letter case do not matter.
    """
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def text(cell: Any) -> str:
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
    return unneutralise(str(cell)).strip()


def parse_bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    value = text(cell)
    word = normalise(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        _("“%(value)s” is not yes or no; write はい or いいえ (or 1 / 0).") % {"value": value}
    )


def parse_date(cell: Any) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    value = text(cell)
    plain = unicodedata.normalize("NFKC", value)
    match = DATE_PATTERN.match(plain) or JAPANESE_DATE.match(plain)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD or YYYY/MM/DD.") % {"value": value}
    )


def parse_int(cell: Any) -> int:
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text(cell)})
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    value = unicodedata.normalize("NFKC", text(cell)).replace(",", "")
    if re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    raise CellError(_("“%(value)s” is not a whole number.") % {"value": text(cell)})


def parse_decimal(cell: Any) -> Decimal:
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": text(cell)})
    if isinstance(cell, int | float):
        # Through str: Decimal(0.1) would carry the float's binary error into the record.
        return Decimal(str(cell))
    value = unicodedata.normalize("NFKC", text(cell)).replace(",", "").removesuffix("%")
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text(cell)})
    return number
