"""Typed schema of the handbook catalog (the YAML files in ``catalog/data``).

Every model forbids unknown keys, so a misspelt field is reported instead of being
silently ignored. Cross-file references (a row's stages, a case's related rows...)
are checked by the loader once every file has been parsed.
"""

from __future__ import annotations

import re
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
    "Column",
    "Contact",
    "ContractType",
    "Handbook",
    "Link",
    "MamoriNotes",
    "Measure",
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


class ClausePatterns(_Model):
    ja: list[str] = []
    en: list[str] = []


class Clause(_Model):
    """A clause the handbook expects in contracts that carry technical information."""

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    description: Text
    source: Literal["handbook", "mamori"]
    rows: list[str] = []
    patterns: ClausePatterns = ClausePatterns()


class ContractType(_Model):
    id: str = Field(pattern=ID_PATTERN)
    kind: str = Field(pattern=r"^[a-z_]+$", description="the contract kind code in mamori")
    name: Text
    required: list[str] = Field(min_length=1)


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
