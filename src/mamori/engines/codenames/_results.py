"""What the engine returns: places in a document, replacements, scan findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

CONTEXT = 24  # characters of context shown on each side of a replacement

# Part of a package -> (Japanese, English) name, first match wins.
_PART_NAMES: tuple[tuple[str, str, str], ...] = (
    (r"^word/document\.xml$", "本文", "Body"),
    (r"^word/header\d*\.xml$", "ヘッダー", "Header"),
    (r"^word/footer\d*\.xml$", "フッター", "Footer"),
    (r"^word/footnotes\.xml$", "脚注", "Footnotes"),
    (r"^word/endnotes\.xml$", "文末脚注", "Endnotes"),
    (r"^word/comments[^/]*\.xml$", "コメント", "Comments"),
    (r"^word/people\.xml$", "コメントの作成者", "Comment authors"),
    (r"^word/settings\.xml$", "文書の設定", "Document settings"),
    (r"^word/styles\.xml$", "スタイル", "Styles"),
    (r"^(word|xl|ppt)/charts/", "グラフ", "Chart"),
    (r"^(word|xl|ppt)/diagrams/", "SmartArt", "SmartArt"),
    (r"^xl/workbook\.xml$", "ブック（シート名・名前の定義）", "Workbook (sheet names, names)"),
    (r"^xl/sharedStrings\.xml$", "セルの文字列", "Cell text"),
    (r"^xl/worksheets/", "シート", "Sheet"),
    (r"^xl/(comments|threadedComments)", "コメント", "Comments"),
    (r"^xl/persons/", "コメントの作成者", "Comment authors"),
    (r"^xl/tables/", "テーブル", "Table"),
    (r"^xl/pivot", "ピボットテーブル", "Pivot table"),
    (r"^xl/drawings/", "図形", "Drawing"),
    (r"^ppt/slides/", "スライド", "Slide"),
    (r"^ppt/notesSlides/", "ノート", "Speaker notes"),
    (r"^ppt/slideLayouts/", "スライドレイアウト", "Slide layout"),
    (r"^ppt/slideMasters/", "スライドマスター", "Slide master"),
    (r"^ppt/notesMasters/", "ノートマスター", "Notes master"),
    (r"^ppt/(comments|commentAuthors|authors)", "コメント", "Comments"),
    (r"^ppt/presentation\.xml$", "プレゼンテーション", "Presentation"),
    (r"^docProps/core\.xml$", "文書のプロパティ", "Document properties"),
    (r"^docProps/app\.xml$", "アプリケーションのプロパティ", "Application properties"),
    (r"^docProps/custom\.xml$", "ユーザー設定のプロパティ", "Custom properties"),
    (r"^docMetadata/", "秘密度ラベル", "Sensitivity label"),
    (r"\.rels$", "リンク先（リレーションシップ）", "Link targets (relationships)"),
    (r"/(embeddings|activeX)/", "埋め込みオブジェクト", "Embedded object"),
    (r"/media/", "画像・メディア", "Image or media"),
    (r"^customXml/", "カスタムXML", "Custom XML"),
)
_PART_PATTERNS = [(re.compile(pattern), ja, en) for pattern, ja, en in _PART_NAMES]

# Kind of place -> (Japanese, English) template; {ref} is the place's reference.
_PLACES = {
    "line": ("{ref}行目", "line {ref}"),
    "csv": ("{ref}", "{ref}"),
    "paragraph": ("第{ref}段落", "paragraph {ref}"),
    "cell": ("セル {ref}", "cell {ref}"),
    "string": ("文字列 {ref}", "string {ref}"),
    "sheet": ("シート「{ref}」", "sheet “{ref}”"),
    "slide": ("スライド {ref}", "slide {ref}"),
    "page": ("{ref}ページ", "page {ref}"),
    "property": ("プロパティ「{ref}」", "property “{ref}”"),
    "attribute": ("属性 {ref}", "attribute {ref}"),
    "element": ("要素 {ref}", "element {ref}"),
    "link": ("リンク先", "link target"),
    "formula": ("数式 {ref}", "formula {ref}"),
    "file": ("{ref}", "{ref}"),
    "bookmark": ("しおり「{ref}」", "bookmark “{ref}”"),
    "annotation": ("注釈", "annotation"),
    "field": ("フォームのフィールド {ref}", "form field {ref}"),
    "structure": ("文書の構造 {ref}", "document structure {ref}"),
    "xmp": ("XMPメタデータ", "XMP metadata"),
    "picture": ("{ref}ページの画像（OCR）", "picture on page {ref} (OCR)"),
    "ocr": ("画像内の文字（OCR）", "text in the picture (OCR)"),
    "": ("", ""),
}


def part_label(part: str, language: str = "ja") -> str:
    """Return what a package part is, in words ("本文", "Header"); the part name itself
    when it is not a known one."""
    for pattern, ja, en in _PART_PATTERNS:
        if pattern.search(part):
            return en if language.startswith("en") else ja
    return part


@dataclass(frozen=True)
class Location:
    """Where something is: the package part (empty for a plain text file), the kind of
    place (line, paragraph, cell, property…) and its reference."""

    part: str = ""
    kind: str = ""
    ref: str = ""

    def describe(self, language: str = "ja") -> str:
        ja, en = _PLACES.get(self.kind, ("{ref}", "{ref}"))
        place = (en if language.startswith("en") else ja).format(ref=self.ref)
        if not self.part:
            return place
        # A known part reads as what it is ("本文"); the package's file name only when
        # there is no such name for it.
        where = part_label(self.part, language)
        return f"{where} · {place}" if place else where

    def __str__(self) -> str:
        return self.describe("en")


@dataclass(frozen=True)
class Replacement:
    """One replacement: where, the text as written, what replaced it, the dictionary
    term it stands for, and the text around it in the original."""

    location: Location
    found: str
    replacement: str
    term: Any  # the Term
    before: str = ""
    after: str = ""


class SanitizeResult:
    """A sanitized (or restored) document.

    ``data`` is the new file, byte for byte as it will be written; ``counts`` gives how
    often each term was replaced, most frequent first; ``replacements`` lists each one
    in context (computed when first read: a large text can have hundreds of thousands).
    ``passes`` is more than 1 when a codename formed a term with the text next to it and
    the text was sanitized again.
    """

    def __init__(
        self,
        *,
        data: bytes,
        format: str,
        encoding: str = "",
        counts: Sequence[tuple[Any, int]] = (),
        replacements: Callable[[int | None], Sequence[Replacement]] | Sequence[Replacement] = (),
        passes: int = 1,
        notes: Sequence[str] = (),
    ):
        self.data = data
        self.format = format
        self.encoding = encoding
        self.counts = tuple(counts)
        self._replacements = replacements
        self.passes = passes
        self.notes = tuple(notes)

    @cached_property
    def replacements(self) -> tuple[Replacement, ...]:
        source = self._replacements
        return tuple(source(None) if callable(source) else source)

    def first_replacements(self, limit: int) -> tuple[Replacement, ...]:
        """Return the first ``limit`` replacements, without building the others."""
        if "replacements" in self.__dict__ or not callable(self._replacements):
            return self.replacements[:limit]
        return tuple(self._replacements(limit))

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    def __repr__(self) -> str:
        return f"<SanitizeResult {self.format} {len(self.data)} bytes, {self.total} replaced>"


SECRET, REVIEW = "secret", "review"

# Kind of finding -> (severity, Japanese, English).
FINDING_KINDS: dict[str, tuple[str, str, str]] = {
    "term": (SECRET, "辞書の用語", "Dictionary term"),
    "marking": (SECRET, "秘密表示", "Confidentiality marking"),
    "label": (SECRET, "秘密度ラベル", "Sensitivity label"),
    "property": (REVIEW, "作成者・会社などのプロパティ", "Author, company or editor property"),
    "comment": (REVIEW, "コメント", "Comments"),
    "revision": (REVIEW, "変更履歴", "Tracked changes"),
    "hidden_sheet": (REVIEW, "非表示のシート", "Hidden sheet"),
    "hidden_rows": (REVIEW, "非表示の行", "Hidden rows"),
    "hidden_columns": (REVIEW, "非表示の列", "Hidden columns"),
    "hidden_text": (REVIEW, "隠し文字", "Hidden text"),
    "hidden_slide": (REVIEW, "非表示のスライド", "Hidden slide"),
    "embedded": (REVIEW, "埋め込みオブジェクト（未検査）", "Embedded object (not inspected)"),
    "image": (REVIEW, "画像（未検査）", "Image (not inspected)"),
    "macro": (REVIEW, "マクロ（未検査）", "Macros (not inspected)"),
    "unreadable": (REVIEW, "読めなかった部分（未検査）", "Part that could not be read"),
    "attachment": (REVIEW, "添付ファイル（未検査）", "Attached file (not inspected)"),
    "ocr_missing": (
        REVIEW,
        "画像内の文字（未検査：OCRが未導入）",
        "Text in pictures not read (OCR is not installed)",
    ),
    "ocr_skipped": (
        REVIEW,
        "画像内の文字（未検査：読み取る画像数の上限を超過）",
        "Text in pictures not read (more pictures than are read per document)",
    ),
}


@dataclass(frozen=True)
class Finding:
    """Something left in a document: its kind (see ``FINDING_KINDS``), where, the text
    found (a term as written, a marking, a property's value) and details."""

    kind: str
    location: Location
    text: str = ""
    detail: str = ""
    term: Any = None  # the Term, for dictionary terms

    @property
    def severity(self) -> str:
        return FINDING_KINDS[self.kind][0]

    def title(self, language: str = "ja") -> str:
        _, ja, en = FINDING_KINDS[self.kind]
        return en if language.startswith("en") else ja


@dataclass(frozen=True)
class ScanReport:
    """The residual check of a document. ``secrets`` are findings that must not leave
    (terms, markings, sensitivity labels); ``reviews`` are things to look at before
    sending (authors, comments, tracked changes, hidden and embedded content).
    ``scan_only`` is true for formats mamori cannot sanitize (PDF)."""

    format: str
    findings: tuple[Finding, ...]
    encoding: str = ""
    scan_only: bool = False

    @property
    def secrets(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == SECRET)

    @property
    def reviews(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == REVIEW)

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "scan_only": self.scan_only,
            "findings": [
                {
                    "kind": f.kind,
                    "severity": f.severity,
                    "title": f.title(language),
                    "part": f.location.part,
                    "where": f.location.describe(language),
                    "text": f.text,
                    "detail": f.detail,
                    "term": getattr(f.term, "text", None),
                    "codename": getattr(f.term, "codename", None),
                }
                for f in self.findings
            ],
        }
