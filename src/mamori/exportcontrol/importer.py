"""Read an end-user list (METI's 外国ユーザーリスト as the user obtained it) from CSV or Excel.

Nothing here writes. The importer looks for the header row among the first rows (the
published workbook has title lines above it) and recognises these columns in any order,
by their Japanese or English heading (a heading may carry both, on two lines):

==================  ==========================================================
column              headings recognised
==================  ==========================================================
name (required)     企業名・組織名, 企業名, 組織名, 名称, Company or Organization, Name
aliases             別名, Also Known As, AKA, Alias(es) — several in one cell, one per
                    line or separated by ";"
country             国名・地域名, 国名, 国・地域, Country or Region, Country — a name
                    (中国, Iran...) or a two-letter code
category            懸念区分, 区分, Type of WMD, Category
number              No., 番号
==================  ==========================================================

Other columns are ignored and named in the result. A row without a name is an error;
the list is imported only when no row has one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from mamori.core.tabular import FileError, Limits, RowError, read_sheets
from mamori.exportcontrol.knowledge import countries

MAX_ENTRIES = 50_000
MAX_XLSX_UNCOMPRESSED = 128 * 1024 * 1024
MAX_XLSX_MEMBERS = 1_000
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 30

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "企業名・組織名",
        "企業名",
        "組織名",
        "名称",
        "companyororganization",
        "name",
        "entity",
    ),
    "aliases": ("別名", "alsoknownas", "aka", "alias", "aliases"),
    "country": ("国名・地域名", "国名", "国・地域", "国・地域名", "countryorregion", "country"),
    "category": ("懸念区分", "区分", "typeofwmd", "category"),
    "number": ("no", "番号", "#"),
}
_ALIAS_SPLIT = re.compile(r"\s*(?:\n|;|；|\||\s/\s)\s*")
_LIST_MARK = re.compile(r"^(?:[・\-–*•]|\(\d+\)|（\d+）|\d+[.)])\s*")


# Kept under its old name: callers catch it around ``parse_list_file``.
ListFileError = FileError


@dataclass(frozen=True)
class ParsedEntry:
    row: int
    name: str
    aliases: tuple[str, ...] = ()
    country: str = ""
    country_text: str = ""
    category: str = ""
    number: str = ""


@dataclass
class ParsedList:
    entries: list[ParsedEntry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> heading as written
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _heading_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s.:：()（）_\-]", "", text)


def _column_of(heading: str) -> str | None:
    parts = [heading, *re.split(r"[\n/]", heading)]
    for part in parts:
        key = _heading_key(part)
        for name, keys in COLUMNS.items():
            if key in {_heading_key(k) for k in keys}:
                return name
    whole = _heading_key(heading)
    for name, keys in COLUMNS.items():
        if any(len(_heading_key(k)) >= 3 and _heading_key(k) in whole for k in keys):
            return name
    return None


def country_code(text: str) -> str:
    """Return the ISO code of a country as written in a list ("" when unknown)."""
    from mamori.engines.screening import fold_text

    return countries().get("".join(fold_text(text).split()), "")


def split_aliases(text: str) -> tuple[str, ...]:
    names = []
    for part in _ALIAS_SPLIT.split(text):
        part = _LIST_MARK.sub("", part.strip()).strip()
        if part and part not in names:
            names.append(part)
    return tuple(names)


def parse_list_file(content: bytes, filename: str = "") -> ParsedList:
    """Read every row of an end-user list; return the entries and every error found.

    Raise ``ListFileError`` when the file cannot be read at all or has no name column.
    """
    rows = _read_table(content, filename)
    result = ParsedList()
    mapping: dict[int, str] = {}
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        found = {i: _column_of(_text(c)) for i, c in enumerate(cells) if _text(c)}
        if "name" in found.values():
            mapping = {i: name for i, name in found.items() if name}
            result.header_row = number
            seen: set[str] = set()
            for index, name in sorted(mapping.items()):
                if name in seen:
                    del mapping[index]  # the first column of a kind counts
                    continue
                seen.add(name)
                result.columns[name] = _text(cells[index])
            result.ignored = [
                _text(c) for i, c in enumerate(cells) if _text(c) and i not in mapping
            ]
            break
    if not mapping:
        raise ListFileError(
            _(
                "No column with the organisations' names was found in the first %(rows)d rows. "
                "Name it 企業名・組織名 or “Company or Organization”."
            )
            % {"rows": HEADER_SEARCH_ROWS}
        )
    for number, cells in rows:
        values = {name: _text(cells[i]) if i < len(cells) else "" for i, name in mapping.items()}
        if not any(values.values()):
            continue
        if len(result.entries) >= MAX_ENTRIES:
            raise ListFileError(
                _("The list has more than %(limit)s entries.") % {"limit": f"{MAX_ENTRIES:,}"}
            )
        name = values.get("name", "")
        if not name:
            result.errors.append(
                RowError(number, result.columns["name"], _("The row has no name."))
            )
            continue
        if len(name) > 500:
            result.errors.append(
                RowError(
                    number, result.columns["name"], _("The name is longer than 500 characters.")
                )
            )
            continue
        names = split_aliases(name)
        country_text = values.get("country", "")
        result.entries.append(
            ParsedEntry(
                row=number,
                name=names[0],
                aliases=tuple(
                    a
                    for a in (*names[1:], *split_aliases(values.get("aliases", "")))
                    if a != names[0]
                ),
                country=country_code(country_text) if country_text else "",
                country_text=country_text[:100],
                category=" ".join(values.get("category", "").split())[:200],
                number=values.get("number", "")[:20],
            )
        )
    if not result.entries and not result.errors:
        raise ListFileError(_("The list has no entries below its header row."))
    return result


# --- reading ------------------------------------------------------------------------------


def _read_table(content: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """The non-blank rows of the list's first sheet, numbered as Excel shows them (one
    iterator: the entries are read on from the row after the header); the same defensive
    reading as every register import."""
    limits = Limits(
        max_rows=MAX_ENTRIES + HEADER_SEARCH_ROWS,
        max_total_rows=MAX_ENTRIES + HEADER_SEARCH_ROWS,
        max_uncompressed=MAX_XLSX_UNCOMPRESSED,
        max_members=MAX_XLSX_MEMBERS,
        max_columns=MAX_COLUMNS,
    )
    sheets = read_sheets(content, filename, limits, first_only=True)
    return iter(sheets[0].rows if sheets else [])
