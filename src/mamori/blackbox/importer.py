"""Read a dictionary file (CSV or Excel) into checked rows, or into every error it holds.

Columns: ``term``, ``category`` and optionally ``codename`` and ``variants`` (other
spellings separated by ";"), with Japanese headers accepted too (用語, 区分, コードネーム,
表記ゆれ). Nothing here writes; ``services.terms_import`` writes all rows or none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from mamori.blackbox.models import TermCategory
from mamori.core.cells import unneutralise
from mamori.core.tabular import FileError, Limits, RowError, read_sheets
from mamori.engines import codenames as engine

MAX_ROWS = 50_000
VARIANT_SEPARATORS = re.compile(r"[;；\n|｜]")

COLUMNS = {
    "term": ("term", "用語", "名称", "固有名詞"),
    "category": ("category", "区分", "分類", "カテゴリ", "カテゴリー"),
    "codename": ("codename", "code name", "コードネーム", "コード名"),
    "variants": ("variants", "表記ゆれ", "別表記", "別名", "variant"),
}
CATEGORY_WORDS = {
    "素材": TermCategory.MATERIAL,
    "原料": TermCategory.MATERIAL,
    "原材料": TermCategory.MATERIAL,
    "材料": TermCategory.MATERIAL,
    "供給元": TermCategory.SUPPLIER,
    "仕入先": TermCategory.SUPPLIER,
    "調達先": TermCategory.SUPPLIER,
    "サプライヤー": TermCategory.SUPPLIER,
    "顧客": TermCategory.CUSTOMER,
    "得意先": TermCategory.CUSTOMER,
    "工程条件": TermCategory.PROCESS,
    "製造条件": TermCategory.PROCESS,
    "条件": TermCategory.PROCESS,
    "案件": TermCategory.PROJECT,
    "プロジェクト": TermCategory.PROJECT,
    "人物": TermCategory.PERSON,
    "人名": TermCategory.PERSON,
    "氏名": TermCategory.PERSON,
    "その他": TermCategory.OTHER,
}


# Kept under its old name: callers catch it around ``parse_terms_file``.
TermsFileError = FileError


@dataclass(frozen=True)
class TermRow:
    row: int
    text: str
    category: str
    codename: str
    variants: tuple[str, ...]


@dataclass
class ParsedTerms:
    rows: list[TermRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _key(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower().replace("_", " ")


def _category_lookup() -> dict[str, str]:
    lookup = {_key(word): code for word, code in CATEGORY_WORDS.items()}
    for code, label in TermCategory.choices:
        lookup[_key(code)] = code
        lookup[_key(str(label))] = code
    return lookup


def parse_terms_file(content: bytes, filename: str = "") -> ParsedTerms:
    """Read and check every row of a dictionary file; raise ``TermsFileError`` when the
    file cannot be read at all."""
    rows = _read(content, filename)
    header_row, header = next(rows, (0, None))
    if header is None:
        raise TermsFileError(_("The file is empty."))
    parsed = ParsedTerms()
    columns: dict[str, int] = {}
    lookup = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
    for index, title in enumerate(header):
        name = lookup.get(_key(title))
        if name and name not in columns:
            columns[name] = index
    for required in ("term", "category"):
        if required not in columns:
            parsed.errors.append(
                RowError(
                    header_row,
                    required,
                    _("The file has no “%(column)s” column; it is required.")
                    % {"column": required},
                )
            )
    if parsed.errors:
        return parsed
    categories = _category_lookup()
    seen: dict[str, int] = {}
    for number, cells in rows:
        if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
            raise TermsFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"}
            )

        def cell(name: str, cells: list[Any] = cells) -> str:
            index = columns.get(name)
            value = cells[index] if index is not None and index < len(cells) else None
            return "" if value is None else unneutralise(str(value)).strip()

        text, category_text = cell("term"), cell("category")
        if not text and not category_text and not cell("codename"):
            continue
        errors_before = len(parsed.errors)
        problem = engine.text_problem(text)
        if problem:
            parsed.errors.append(RowError(number, "term", problem_message(problem, text)))
        category = categories.get(_key(category_text))
        if category is None:
            parsed.errors.append(
                RowError(
                    number,
                    "category",
                    _("“%(value)s” is not a category; use one of %(choices)s.")
                    % {
                        "value": category_text,
                        "choices": "、".join(str(label) for _, label in TermCategory.choices),
                    },
                )
            )
        codename = cell("codename")
        if codename and (problem := engine.text_problem(codename)):
            parsed.errors.append(RowError(number, "codename", problem_message(problem, codename)))
        variants = tuple(v.strip() for v in VARIANT_SEPARATORS.split(cell("variants")) if v.strip())
        for variant in variants:
            if problem := engine.text_problem(variant):
                parsed.errors.append(
                    RowError(number, "variants", problem_message(problem, variant))
                )
        folded = engine.normalize(text)
        if text and folded in seen:
            parsed.errors.append(
                RowError(
                    number,
                    "term",
                    _("“%(value)s” is already in row %(row)d.")
                    % {"value": text, "row": seen[folded]},
                )
            )
        seen.setdefault(folded, number)
        if len(parsed.errors) == errors_before:
            parsed.rows.append(TermRow(number, text, category, codename, variants))
    return parsed


def problem_message(code: str, value: str) -> str:
    """Return the translated reason why ``value`` cannot be a term or codename."""
    messages = {
        "empty": _("The text is empty."),
        "too_long": _("“%(value)s” is longer than 200 characters."),
        "control": _("“%(value)s” contains a line break or another control character."),
        "too_short": _("“%(value)s” is a single character; it would be replaced everywhere."),
        "no_letter": _(
            "“%(value)s” has no letter; a bare number or symbol would be replaced everywhere. "
            "Write it with its unit or context (e.g. 1250℃, 焼成1250度)."
        ),
    }
    message = messages.get(code)
    if message is None:
        return code
    return message % {"value": value} if "%(value)s" in message else message


def _read(content: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """The non-blank rows of the file's first (or only) sheet, numbered as Excel shows them;
    the same defensive reading (size, zip and row limits) as every register import."""
    limits = Limits(max_rows=MAX_ROWS, max_total_rows=MAX_ROWS, max_columns=20)
    sheets = read_sheets(content, filename, limits, first_only=True)
    return iter(sheets[0].rows if sheets else [])
