"""Walk the stage wizard's questions (catalog data) to a proposed growth stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from mamori.catalog.loader import STAGE_TARGET_PREFIX, Catalog
from mamori.core.errors import ApplicationError


@dataclass(frozen=True)
class Proposal:
    stage: str
    asked: tuple[str, ...]


def propose_stage(catalog: Catalog, answers: Mapping[str, bool | None]) -> Proposal:
    """Return the stage the answers lead to and the questions on the way.

    Raise ``ApplicationError`` naming the question when one on the path is unanswered.
    Answers to questions off the path are ignored.
    """
    question = catalog.wizard_start()
    asked: list[str] = []
    while True:
        asked.append(question.id)
        answer = answers.get(question.id)
        if answer is None:
            raise ApplicationError(
                _("Please answer: %(question)s")
                % {"question": question.text.get(translation.get_language() or "ja")},
                field=question.id,
            )
        target = question.yes if answer else question.no
        if target.startswith(STAGE_TARGET_PREFIX):
            return Proposal(stage=target.removeprefix(STAGE_TARGET_PREFIX), asked=tuple(asked))
        question = catalog.wizard_question(target)


def questions_on_path(catalog: Catalog, answers: Mapping[str, bool | None]) -> list:
    """Return the questions the answers lead through, up to the first one unanswered (or
    all of them when they lead to a stage): a question the answers before it rule out is
    never asked."""
    question = catalog.wizard_start()
    path = []
    while True:
        path.append(question)
        answer = answers.get(question.id)
        if answer is None:
            return path
        target = question.yes if answer else question.no
        if target.startswith(STAGE_TARGET_PREFIX):
            return path
        question = catalog.wizard_question(target)


def proposed_stage(catalog: Catalog, answers: Mapping[str, bool | None]) -> str | None:
    """Return the stage ``answers`` lead to, or ``None`` while one on the path is
    unanswered."""
    try:
        return propose_stage(catalog, answers).stage
    except ApplicationError:
        return None
