"""The checker's value objects: a document's lines, the contract split into articles, and
the report (frozen dataclasses)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PRESENT = "present"
    WEAK = "weak"
    MISSING = "missing"


@dataclass(frozen=True)
class Line:
    """One line of a document as read.

    ``hard`` lines are whole paragraphs (a Word paragraph); other lines may be a paragraph
    wrapped over several lines (a PDF, a text file) and are joined back. ``heading`` marks
    a Word heading style; ``origin`` is ``body``, ``table`` or ``header``.
    """

    text: str
    hard: bool = True
    heading: bool = False
    origin: str = "body"


@dataclass(frozen=True)
class Document:
    """A document read into lines: ``format`` is ``docx``, ``pdf`` or ``text``."""

    lines: tuple[Line, ...]
    format: str
    pages: int | None = None
    # Set when some pages were scans read by OCR: tesseract's mean confidence (0–100).
    ocr_confidence: float | None = None
    ocr_pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class Sentence:
    text: str  # as quoted
    norm: str  # as patterns see it
    paragraph: str = ""  # the paragraph's number or item mark, if any
    context: str = ""  # for an item, the normalised sentence that introduces the list
    block: int = 0  # the paragraph's position in its article

    @property
    def match_text(self) -> str:
        """Return what patterns are matched against: an item reads with its lead sentence
        (次の各号に掲げる行為をしてはならない), which carries the duty or the ban."""
        return f"{self.norm} {self.context}" if self.context else self.norm


@dataclass(frozen=True)
class Article:
    """An article (第5条, Article 5, a numbered heading), the preamble or an appendix."""

    label: str
    heading: str
    sentences: tuple[Sentence, ...]
    kind: str = "article"  # article, preamble, appendix, front (a cover before the preamble)
    number: int | None = None
    norm_heading: str = ""
    norm_text: str = field(default="", repr=False)

    @property
    def display(self) -> str:
        """Return how a report names the article: ``第5条（秘密保持）``, ``Article 5 (Term)``."""
        if not self.heading or self.heading == self.label:
            return self.label
        if self.label.endswith("."):
            return f"{self.label} {self.heading}"
        if any("\u3040" <= char <= "\u9fff" for char in self.label + self.heading):
            return f"{self.label}（{self.heading}）"
        return f"{self.label} ({self.heading})"


@dataclass(frozen=True)
class Contract:
    """A contract split into articles; the preamble first, appendices last."""

    title: str
    header: str
    articles: tuple[Article, ...]
    language: str  # ja or en

    @functools.cached_property
    def norms(self) -> list[str]:
        """Return every sentence of the contract, normalised (computed once); a cover before
        the preamble (kind ``front``) is not the contract."""
        return [
            sentence.norm
            for article in self.articles
            if article.kind != "front"
            for sentence in article.sentences
        ]

    @functools.cached_property
    def norm_text(self) -> str:
        return " ".join(self.norms)


@dataclass(frozen=True)
class Reason:
    """Why a clause is weak or missing: ``code`` (effort, waiver, duration, part:<name>,
    wording, negated) and the explanation in Japanese and English."""

    code: str
    ja: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.ja


@dataclass(frozen=True)
class ClauseResult:
    """What the checker found for one clause."""

    id: str
    key: str
    title_ja: str
    title_en: str
    required: bool
    status: Status
    article: str | None = None  # 第5条（秘密保持）
    quote: str | None = None
    reasons: tuple[Reason, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Return the clause as the command line's JSON prints it."""
        return {
            "id": self.key,
            "title_ja": self.title_ja,
            "status": str(self.status),
            "article": self.article,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class CheckReport:
    """The result of checking a contract against the requirements of its type."""

    kind: str  # mamori's contract kind (licence)
    type_name: str  # as the command line spells it (license)
    type_confidence: float
    type_given: bool
    language: str
    title: str
    article_count: int
    clauses: tuple[ClauseResult, ...]
    format: str = "text"
    ocr_confidence: float | None = None  # the text came from OCR of a scan (0–100)

    @property
    def required(self) -> tuple[ClauseResult, ...]:
        return tuple(result for result in self.clauses if result.required)

    @property
    def missing(self) -> tuple[ClauseResult, ...]:
        """Return the required clauses the contract lacks."""
        return tuple(result for result in self.required if result.status == Status.MISSING)

    @property
    def weak(self) -> tuple[ClauseResult, ...]:
        return tuple(result for result in self.required if result.status == Status.WEAK)

    def result(self, key: str) -> ClauseResult:
        """Return the result of the clause ``key``; raise ``KeyError`` when unknown."""
        for result in self.clauses:
            if result.key == key or result.id == key:
                return result
        raise KeyError(key)

    def as_json(self) -> dict[str, Any]:
        """Return the report as ``mamori contract check --format json`` prints it."""
        data: dict[str, Any] = {
            "type": self.type_name,
            "type_confidence": self.type_confidence,
            "clauses": [result.as_json() for result in self.required],
        }
        if self.ocr_confidence is not None:  # a scan: the text came from OCR
            data["ocr_confidence"] = self.ocr_confidence
        return data
