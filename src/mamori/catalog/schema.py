"""Typed schema of the handbook catalog (the YAML files in ``catalog/data``).

Every model forbids unknown keys, so a misspelt field is reported instead of being
silently ignored. Cross-file references (a row's stages, a case's related rows...)
are checked by the loader once every file has been parsed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

__all__ = [
    "Case",
    "Channel",
    "ChecklistRow",
    "Clause",
    "ClausePart",
    "ClauseRecognition",
    "ClauseWeakness",
    "Column",
    "Contact",
    "ContractType",
    "ContractTypeRecognition",
    "Handbook",
    "Link",
    "MamoriNotes",
    "Measure",
    "Patterns",
    "Point",
    "Question",
    "Questionnaire",
    "RelatedSystem",
    "Stage",
    "Step",
    "StepPoint",
    "Text",
    "WizardQuestion",
    "parse_guidance_pages",
]

ID_PATTERN = r"^[a-z0-9_:.\-]+$"
GUIDANCE_PATTERN = re.compile(r"^(?P<pages>[0-9、～]+)ページ$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Model):
    """A text in Japanese (as printed in the handbook) with its English translation."""

    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        """Return the text in ``language`` (English for ``en*``, Japanese otherwise)."""
        return self.en if language.startswith("en") else self.ja

    def __str__(self) -> str:
        return self.ja


class Point(_Model):
    """A sub-point of a measure: a check point, a prohibited act, a perspective."""

    title: Text | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _title_or_text(self) -> Point:
        if self.title is None and self.text is None:
            raise ValueError("a point needs a title, a text or both")
        return self


class Measure(_Model):
    """The handbook's explanation of a checklist row in a stage's measures section.

    ``body`` may be empty when the handbook explains the row only through its points
    (the middle stage's partner due diligence: country / organisation / individual).
    """

    heading: Text
    body: list[Text] = []
    points: list[Point] = []
    figure_labels: list[Text] = []
    notes: list[Text] = []
    handbook_page: int = Field(ge=1)

    @model_validator(mode="after")
    def _has_content(self) -> Measure:
        if not self.body and not self.points:
            raise ValueError("a measure needs a body, points or both")
        return self


class MamoriNotes(_Model):
    """mamori's own guidance for a row (not handbook text): why it matters, what done is."""

    why: Text
    done_when: list[Text] = Field(min_length=1)


class StepPoint(_Model):
    id: str = Field(pattern=ID_PATTERN)
    number: int = Field(ge=1)
    title: Text
    bullets: list[Text] = Field(min_length=1)


class Step(_Model):
    """One of the three steps every stage shares (共通事項)."""

    id: str = Field(pattern=ID_PATTERN)
    number: int = Field(ge=1)
    title: Text
    lead: Text | None = None
    points: list[StepPoint] = Field(min_length=1)
    figure_labels: list[Text] = []
    notes: list[Text] = []
    # The target of the step's 「詳細はこちら」 pointer: the handbook prints only a QR code
    # there, so the link is mamori's choice among the URLs the handbook prints elsewhere.
    links: list[str] = []


class Stage(_Model):
    id: Literal["seed_early", "middle", "later"]
    order: int = Field(ge=1)
    name: Text
    definition: Text
    advice: list[Text] = Field(min_length=1)
    handbook_pages: list[int] = Field(min_length=1)
    importance_heading: Text
    cases_heading: Text
    focus: Text
    checklist_heading: Text
    checklist_notes: list[Text] = []  # notes printed under the checklist (※DD：…)
    detail_pointer: Text
    measures_heading: Text


class Channel(_Model):
    id: Literal["common", "people", "joint_research", "overseas_production", "alignment"]
    order: int = Field(ge=1)
    name: Text
    short_name: Text


class ChecklistRow(_Model):
    id: str = Field(pattern=ID_PATTERN)
    channel: str
    stages: list[str] = Field(min_length=1)
    title: Text
    guidance: str = Field(description="page reference as printed, e.g. 120～128ページ")
    step: str | None = None
    measure: Measure | None = None
    mamori: MamoriNotes

    @field_validator("guidance")
    @classmethod
    def _guidance_parses(cls, value: str) -> str:
        parse_guidance_pages(value)
        return value

    @model_validator(mode="after")
    def _explained(self) -> ChecklistRow:
        if self.step is None and self.measure is None:
            raise ValueError("a row needs either 'step' (common rows) or 'measure'")
        return self

    @property
    def guidance_pages(self) -> list[int]:
        return parse_guidance_pages(self.guidance)


class Case(_Model):
    id: str = Field(pattern=ID_PATTERN)
    stage: str
    number: int = Field(ge=1)
    title: Text
    body: Text
    related_rows: list[str] = []


class Column(_Model):
    id: str = Field(pattern=ID_PATTERN)
    stage: str
    kicker: Text
    title: Text
    body: list[Text] = Field(min_length=1)
    # The target of the column's 「詳細はこちら」/「動画はこちら」 pointer (a QR code in the
    # handbook): mamori's choice, as for steps.
    links: list[str] = []


class RelatedSystem(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    body: list[Text] = Field(min_length=1)
    figure_labels: list[Text] = []  # captions of its figures (認証マーク)
    links: list[str] = []


class Contact(_Model):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["regional_bureau", "inpit"]
    organisation: Text
    department: Text
    purpose: Text | None = None
    phone: str = Field(pattern=r"^0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4}$")
    extension: str | None = None
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    url: str | None = None
    free_of_charge: bool = False

    @property
    def phone_printed(self) -> str:
        return f"{self.phone}(内線{self.extension})" if self.extension else self.phone


class Link(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    url: str = Field(pattern=r"^https://")


class WizardQuestion(_Model):
    """A yes/no question of the stage wizard; answers lead to a question or a stage."""

    id: str = Field(pattern=ID_PATTERN)
    text: Text
    help: Text | None = None
    yes: str = Field(description="next question id, or stage:<stage id>")
    no: str = Field(description="next question id, or stage:<stage id>")


class Handbook(_Model):
    """The handbook as a whole: identity, introduction, closing words."""

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    subtitle: Text
    tagline: Text
    publisher: Text
    issuer: Text
    issuer_address: Text
    issuer_phone: str
    published: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")
    introduction_heading: Text
    introduction: list[Text] = Field(min_length=1)
    stage_approach_heading: Text
    stage_approach_axes: list[Text] = Field(min_length=1)
    closing: list[Text] = Field(min_length=1)
    labels: dict[Annotated[str, StringConstraints(pattern=ID_PATTERN)], Text] = Field(
        default={},
        description="printed headings and labels that belong to no single item "
        "(section headings, the recurring question above each stage's focus...), by key",
    )
    links: list[str] = []


class Question(_Model):
    id: str = Field(pattern=ID_PATTERN)
    text: Text
    help: Text | None = None


class Questionnaire(_Model):
    """A due-diligence questionnaire taken from the handbook's check points."""

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    description: Text
    applies_to: list[str] = Field(min_length=1, description="counterparty kinds")
    stages: list[str] = Field(min_length=1)
    rows: list[str] = []
    validity_months: int = Field(ge=1, le=60)
    questions: list[Question] = Field(min_length=1)


class Patterns(_Model):
    """Regular expressions over normalised text (NFKC, lower case), Japanese and English.

    A pattern that does not compile, or that normalisation would change (a full-width
    bracket, an upper-case letter), is refused: it could never match.
    """

    ja: list[str] = []
    en: list[str] = []

    @field_validator("ja", "en")
    @classmethod
    def _compile(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern '{value}' is not a regular expression: {exc}") from exc
            if unicodedata.normalize("NFKC", value).lower() != value:
                raise ValueError(
                    f"pattern '{value}' is not in normalised form (NFKC, lower case); "
                    "it would never match"
                )
        return values

    def all(self) -> list[str]:
        return [*self.ja, *self.en]


class ClauseRecognition(_Model):
    """How a clause is recognised in a contract (see the head of clauses.yaml)."""

    text: Text
    headings: Patterns = Patterns()
    sentences: Patterns
    exclude: Patterns = Patterns()
    negations: Patterns = Patterns()
    # Where in a contract the clause counts: its operative articles (and appendices), and
    # for a clause such as the purpose also the preamble (title, parties, recitals, cover page).
    preamble: bool = False
    # Whether a definition of another term can carry the clause ("Product" means the item
    # described in Exhibit A carries the scope of technology; "Exploit" means to reproduce …
    # carries no copy limit). Other clauses count in a definition only through its term.
    definitions: bool = False
    # Among candidates of the same grade, a sentence with these words wins (the article about
    # confidential information, not one about other data, holds the confidentiality duty).
    prefer: Patterns = Patterns()

    @model_validator(mode="after")
    def _has_sentences(self) -> ClauseRecognition:
        if not self.sentences.all():
            raise ValueError("a clause needs at least one sentence pattern")
        return self


class ClausePart(_Model):
    """Something the clause must also say, or it is weak (a right to terminate...)."""

    name: str = Field(pattern=r"^[a-z_]+$")
    text: Text
    patterns: Patterns

    @model_validator(mode="after")
    def _has_patterns(self) -> ClausePart:
        if not self.patterns.all():
            raise ValueError("a part needs at least one pattern")
        return self


class ClauseWeakness(_Model):
    """What makes a clause weak, in words and as the checker's tests."""

    text: Text
    effort: bool = False
    waiver: bool = False
    min_months: int | None = Field(default=None, ge=1)
    duration_context: Patterns = Patterns()
    patterns: Patterns = Patterns()
    # A sentence anywhere in the contract that answers the weak wording (the copies kept
    # stay confidential because the duty has no end): the wording does not weaken then.
    unless: Patterns = Patterns()


CLAUSE_PREFIX = "urn:mamori:clause:"


class Clause(_Model):
    """A clause a contract that carries technical information should hold: the handbook's
    reason, how to recognise it, what makes it weak, and a model wording."""

    id: str = Field(pattern=r"^urn:mamori:clause:[a-z_]+$")
    title: Text
    description: Text
    why: Text
    reference: Text = Field(
        description="where the source says it; for mamori's own, the handbook passage it builds on"
    )
    source: Literal["handbook", "guideline", "mamori"]
    guideline: Text | None = Field(
        default=None, description="the other public guideline, named, when source is guideline"
    )
    rows: list[str] = []
    cases: list[str] = []
    recognise: ClauseRecognition
    parts: list[ClausePart] = []
    # Where the parts are looked for: the article that holds the clause, the whole contract,
    # or only the article's sentences that speak of the clause (a change of control's notice
    # is not the notice of an unrelated termination in the same article).
    parts_scope: Literal["article", "contract", "clause"] = "article"
    # When none of the parts is said anywhere, the clause is missing rather than weak (a
    # liability heading with neither damages nor an injunction is no remedy).
    missing_without_parts: bool = False
    weak: ClauseWeakness
    model: Text

    @model_validator(mode="after")
    def _guideline_named(self) -> Clause:
        if (self.source == "guideline") != (self.guideline is not None):
            raise ValueError("a clause from another guideline names it (guideline); no other does")
        return self

    @property
    def key(self) -> str:
        """Return the short id (``confidentiality``) the checker's JSON output uses."""
        return self.id.removeprefix(CLAUSE_PREFIX)

    @property
    def provenance(self) -> Text:
        """Where the clause comes from, in both languages, as pages and reports show it:
        the handbook with its page, another public guideline by name, or mamori's own
        recommendation with the handbook passage it builds on."""
        ref = self.reference
        if self.source == "handbook":
            return Text(ja=f"出典：{ref.ja}", en=f"Source: {ref.en}")
        if self.source == "guideline" and self.guideline is not None:
            return Text(
                ja=f"出典：{self.guideline.ja}（{ref.ja}）",
                en=f"Source: {self.guideline.en} ({ref.en})",
            )
        return Text(
            ja=f"mamoriの推奨（ハンドブックが求める条項ではありません）。関連：{ref.ja}",
            en=f"mamori's recommendation (not a clause the handbook asks for). Related: {ref.en}",
        )

    @property
    def source_label(self) -> Text:
        """A short label of the source, for a badge."""
        if self.source == "handbook":
            return Text(ja="ハンドブック", en="Handbook")
        if self.source == "guideline" and self.guideline is not None:
            return self.guideline
        return Text(ja="mamoriの推奨", en="mamori's recommendation")


class DefinedTerm(_Model):
    """A standard name (``confidential information``) and how contracts name it themselves."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    defines: Patterns
    context: Patterns = Patterns()
    # A broader term ("Technical Information") stands for it only where the contract protects
    # it: a `protected` pattern, with {term} for the term, matches one of its sentences.
    defines_when_protected: Patterns = Patterns()
    protected: Patterns = Patterns()


class ContractTypeRecognition(_Model):
    title: Patterns = Patterns()
    body: Patterns = Patterns()


class ContractType(_Model):
    id: str = Field(pattern=ID_PATTERN)
    kind: str = Field(pattern=r"^[a-z_]+$", description="the contract kind code in mamori")
    aliases: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]] = []
    name: Text
    required: list[str] = Field(min_length=1)
    recognise: ContractTypeRecognition = ContractTypeRecognition()


def parse_guidance_pages(printed: str) -> list[int]:
    """Return the page numbers of a printed reference, ranges expanded.

    ``"65、88、89ページ"`` gives ``[65, 88, 89]`` and ``"120～128ページ"`` gives
    ``[120, ..., 128]``. Raise ``ValueError`` when the text is not of that form.
    """
    match = GUIDANCE_PATTERN.match(printed)
    if not match:
        raise ValueError(
            f"guidance '{printed}' is not of the form '11、12ページ' or '120～128ページ'"
        )
    pages: list[int] = []
    for part in match["pages"].split("、"):
        first, dash, last = part.partition("～")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise ValueError(f"guidance '{printed}' has a malformed page '{part}'")
        start, end = int(first), int(last or first)
        if end < start:
            raise ValueError(f"guidance '{printed}' has a backwards range '{part}'")
        pages.extend(range(start, end + 1))
    return pages
