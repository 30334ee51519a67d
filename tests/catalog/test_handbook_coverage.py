"""The catalog holds all of the handbook, and only text printed in it, character for character.

The handbook text is ``<repo>/../shared/seed/000_06bb1d88cea83d13.txt``. It is cut into
segments (table cells, lines, sentences); every meaningful segment must occur in the
catalog's handbook texts, and every Japanese handbook text of the catalog must occur in
the handbook. mamori's own notes (``mamori`` on rows) and the stage wizard are mamori's
words, not the handbook's, so they count for neither direction.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mamori.catalog.loader import Catalog, load_catalog

HANDBOOK = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_06bb1d88cea83d13.txt"
)
MIN_LENGTH = 6  # shorter segments (「ページ」, 「3」, 「参考」...) carry no content of their own
MIN_BULLET_LENGTH = 2  # list items are content even when short (「再委託」)

# Labels printed around structured data, cut out of a line before it is checked: the data
# next to them is checked, the label itself is not stored.
LAYOUT_LABELS = [
    "詳細はこちら▶",  # pointer (QR code) to a link; the link is stored in `links`
    "詳細はこちら",
    "動画はこちら▶",  # pointer (QR code) to a video whose address is not printed
    "(代)",  # 「電話 03-3501-1511(代)」: main switchboard, stored as issuer_phone
]
LAYOUT_WORDS = [  # the same, but only as whole words
    "TEL",  # contact phone label: the number is stored in `phone`
    "メール",  # contact e-mail label: stored in `email`
    "URL",  # contact URL label: stored in `url`
    "電話",  # issuer phone label: stored in `issuer_phone`
    "無料",  # INPIT desk marked free of charge: stored as `free_of_charge: true`
]
# Whole segments that are pure layout and need not be stored.
LAYOUT_SEGMENTS = {
    # Table of contents (目次): the stage pages are in stages.yaml (handbook_pages).
    "シード～アーリー期の企業に向けて",
    "ミドル期の企業に向けて",
    "レイター期の企業に向けて",
    # Header of the checklist tables: 「✓ チェック内容 ガイダンスの 該当箇所」.
    "チェック内容",
    "ガイダンスの該当箇所",
}

_MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\((https?://[^)\s]+)\)", re.DOTALL)
_ANGLE_LINK = re.compile(r"<(https?://[^>\s]+)>")
_MARKUP = re.compile(r'<input type="checkbox"\s*/>|\*\*|✓')
_NUMBERING = re.compile(r"^(?:STEP\s*\d+|Case\s*\d+|\d+(?=\s))\s*")
_WORDS = re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, LAYOUT_WORDS)) + r")(?!\S)")
_WHITESPACE = re.compile(r"\s+")
_JAPANESE = re.compile(r"[^\x00-\x7f]")
# Catalog parts that hold handbook text (besides the handbook itself). The stage wizard
# is mamori's own and is left out.
CONTENT = (
    "stages",
    "channels",
    "steps",
    "rows",
    "cases",
    "columns",
    "related_systems",
    "contacts",
    "links",
)


def _squeeze(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _lines(text: str) -> Iterator[tuple[str, bool]]:
    """Yield (line, is a list item) with links, markup and numbering removed."""
    # A link keeps its URL; the lines it spanned stay (empty) so line numbers hold.
    text = _MARKDOWN_LINK.sub(lambda m: m[1] + "\n" * m[0].count("\n"), text)
    text = _ANGLE_LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    for raw in text.splitlines():
        line = raw.strip()
        bullet = line.startswith("- ")
        line = line.removeprefix("- ").strip()
        yield _NUMBERING.sub("", line), bullet


def handbook_segments(text: str) -> list[tuple[str, int]]:
    """Return the meaningful segments of the handbook with their line numbers."""
    segments = []
    for number, (line, bullet) in enumerate(_lines(text), start=1):
        for label in LAYOUT_LABELS:
            line = line.replace(label, "\t")
        line = _WORDS.sub("\t", line)
        for cell in line.split("\t"):
            for sentence in re.findall(r"[^。]+。?", _squeeze(cell)):
                minimum = MIN_BULLET_LENGTH if bullet else MIN_LENGTH
                if len(sentence) >= minimum and sentence not in LAYOUT_SEGMENTS:
                    segments.append((sentence, number))
    return segments


def flat_handbook(text: str) -> str:
    """The handbook as one string: links, markup and all whitespace removed."""
    return _squeeze("".join(line for line, _ in _lines(text)))


def handbook_strings(catalog: Catalog) -> tuple[list[tuple[str, str]], list[str]]:
    """Return ([(where, Japanese text)], [other strings]) of the catalog's handbook content.

    Other strings are the English texts, URLs, phone numbers, e-mail addresses... and
    the contacts rendered as printed (organisation and department on one line, phone
    with its extension).
    """
    japanese: list[tuple[str, str]] = []
    other: list[str] = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "mamori":  # mamori's own notes, not handbook text
                    continue
                if key == "ja":
                    japanese.append((where, item))
                else:
                    walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
        elif isinstance(value, str):
            other.append(value)

    walk(catalog.handbook.model_dump(), "handbook")
    for name in CONTENT:
        for index, item in enumerate(getattr(catalog, name)):
            walk(item.model_dump(), f"{name}[{index}]")
    for contact in catalog.contacts:
        other.append(f"{contact.organisation.ja} {contact.department.ja}")
        other.append(contact.phone_printed)
    return japanese, other


def missing_segments(handbook_text: str, catalog: Catalog) -> list[str]:
    """Return the handbook's segments that the catalog does not hold."""
    japanese, other = handbook_strings(catalog)
    ja_texts = [_squeeze(text) for _, text in japanese]
    other_texts = [_squeeze(text) for text in other]
    # Japanese must be found in Japanese texts (or a contact rendered from them);
    # Latin-only text (URLs, e-mail addresses, the ministry's English name) anywhere.
    ja_haystack = "\n".join(ja_texts + [t for t in other_texts if _JAPANESE.search(t)])
    all_haystack = "\n".join(ja_texts + other_texts)
    missing = []
    for segment, line in handbook_segments(handbook_text):
        haystack = ja_haystack if _JAPANESE.search(segment) else all_haystack
        if segment not in haystack:
            missing.append(f"line {line}: {segment}")
    return missing


@pytest.fixture(scope="module")
def handbook_text() -> str:
    if not HANDBOOK.is_file():
        pytest.skip(f"the handbook text is not available at {HANDBOOK}")
    return HANDBOOK.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_catalog_holds_all_of_the_handbook(handbook_text: str, catalog: Catalog) -> None:
    missing = missing_segments(handbook_text, catalog)
    assert not missing, "handbook text not found in the catalog:\n" + "\n".join(missing)


def test_catalog_texts_are_printed_in_the_handbook(handbook_text: str, catalog: Catalog) -> None:
    """Every Japanese text is copied exactly as printed (whitespace and markup aside)."""
    flat = flat_handbook(handbook_text)
    japanese, _ = handbook_strings(catalog)
    not_printed = [f"{where}: {text}" for where, text in japanese if _squeeze(text) not in flat]
    assert not not_printed, "catalog text not in the handbook:\n" + "\n".join(not_printed)


def test_enough_of_the_handbook_is_checked(handbook_text: str) -> None:
    segments = handbook_segments(handbook_text)
    assert len(segments) > 250
    assert sum(len(segment) for segment, _ in segments) > 10_000


def test_allow_list_is_layout_printed_in_the_handbook(handbook_text: str) -> None:
    """Every allow-listed text occurs in the handbook, so the list stays honest."""
    flat = flat_handbook(handbook_text)
    for text in [*LAYOUT_LABELS, *LAYOUT_WORDS, *LAYOUT_SEGMENTS]:
        assert _squeeze(text) in flat, text


def test_a_deleted_paragraph_is_noticed(handbook_text: str, catalog: Catalog) -> None:
    """Removing a measure's paragraph from the catalog makes the coverage check fail."""
    row = catalog.row("urn:mamori:row:overseas_production:staged-provision")
    assert row.measure is not None
    measure = row.measure.model_copy(update={"body": []})
    rows = tuple(
        r.model_copy(update={"measure": measure}) if r.id == row.id else r for r in catalog.rows
    )
    damaged = dataclasses.replace(catalog, rows=rows)
    missing = missing_segments(handbook_text, damaged)
    assert any("一気に模倣されるリスクが高まります" in line for line in missing), missing
