"""Writes to counterparties: profile, shareholders, members, capital changes, due diligence
and joint-research themes.

Every function takes keyword arguments only, runs in one transaction and raises
``ApplicationError`` (with the form field at fault) when the input breaks a rule.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.assets.models import Technology
from mamori.catalog.schema import Questionnaire
from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.services import model_update
from mamori.core.validation import validated_save
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    DueDiligence,
    DueDiligenceAnswer,
    PartnerMember,
    ResearchTheme,
    Risk,
    Shareholder,
    ThemeDecision,
)
from mamori.partners.selectors import partner_rating, theme_risk

__all__ = [
    "add_months",
    "capital_change_record",
    "counterparty_save",
    "dd_answer",
    "dd_answers_save",
    "dd_approve",
    "dd_rate",
    "dd_start",
    "partner_member_add",
    "partner_member_end",
    "shareholder_add",
    "shareholder_remove",
    "shareholder_update",
    "theme_decide",
    "theme_save",
]

COUNTERPARTY_FIELDS = (
    "name",
    "kind",
    "country",
    "corporate_number",
    "established_on",
    "business_record",
    "information_management",
    "website",
    "note",
)

HUNDRED = Decimal("100")
SHARE_RANGE = gettext_lazy("A share is between 0 and 100 percent.")
SHARES_OVER_100 = gettext_lazy(
    "The shareholders would hold %(total)s%% together, more than 100%%. "
    "Correct or remove another shareholder first."
)
IN_THE_FUTURE = gettext_lazy("The date is in the future.")
DD_LOCKED = gettext_lazy(
    "This due diligence has been approved and can no longer be changed. Start a new review instead."
)
UNKNOWN_QUESTIONNAIRE = gettext_lazy("Choose a questionnaire from the list.")
QUESTIONNAIRE_GONE = gettext_lazy(
    "This review's questionnaire is no longer in the catalog; its answers are kept as they "
    "were. Start a new review."
)
UNKNOWN_QUESTION = gettext_lazy("The questionnaire has no question “%(question)s”.")
ANSWER_NEEDED = gettext_lazy("Write the answer; a concern or evidence alone is not an answer.")
RATING_NEEDED = gettext_lazy("Rate the risk and give the reasoning before approving.")
UNANSWERED = gettext_lazy("Answer every question before approving. Not answered yet: %(questions)s")
ONLY_OFFICER_APPROVES = gettext_lazy("Only the officer may approve a due diligence.")
REASONING_NEEDED = gettext_lazy("Give the reasoning for the rating.")
DECISION_REASON_NEEDED = gettext_lazy("Give the reasoning for the decision.")
CONDITIONS_NEEDED = gettext_lazy("Write the conditions under which the research may go ahead.")


# --- helpers --------------------------------------------------------------------------------


def _not_in_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ApplicationError(str(IN_THE_FUTURE), field=field)


def _percent(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(str(SHARE_RANGE), field=field) from exc
    if not number.is_finite() or number < 0 or number > HUNDRED:
        raise ApplicationError(str(SHARE_RANGE), field=field)
    return number


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


# --- counterparties ---------------------------------------------------------------------


@transaction.atomic
def counterparty_save(*, counterparty: Counterparty | None = None, **fields: Any) -> Counterparty:
    """Create or update a counterparty's profile.

    Raise ``ApplicationError`` for a missing name or type, a country that is not a
    two-letter code, or an establishment date in the future.
    """
    counterparty = model_update(counterparty or Counterparty(), fields, allowed=COUNTERPARTY_FIELDS)
    if isinstance(counterparty.country, str):
        counterparty.country = counterparty.country.upper()
    _not_in_future(counterparty.established_on, "established_on")
    return validated_save(counterparty)


# --- shareholders -----------------------------------------------------------------------


def _check_total(counterparty: Counterparty, share: Decimal, exclude: int | None) -> None:
    # Lock the counterparty so that two people adding shareholders cannot pass 100% together.
    Counterparty.objects.select_for_update().filter(pk=counterparty.pk).first()
    others = Shareholder.objects.filter(counterparty=counterparty)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    total = (others.aggregate(total=Sum("share"))["total"] or Decimal(0)) + share
    if total > HUNDRED:
        raise ApplicationError(
            str(SHARES_OVER_100) % {"total": f"{total.normalize():f}"}, field="share"
        )


def _shareholder_write(
    shareholder: Shareholder,
    *,
    name: str,
    share: Any,
    country: str,
    is_government_related: bool,
) -> Shareholder:
    share = _percent(share, "share")
    _check_total(shareholder.counterparty, share, shareholder.pk)
    shareholder.name = name.strip()
    shareholder.share = share
    shareholder.country = (country or "").strip().upper()
    shareholder.is_government_related = is_government_related
    return validated_save(shareholder, exclude=["counterparty"])


@transaction.atomic
def shareholder_add(
    *,
    counterparty: Counterparty,
    name: str,
    share: Any,
    country: str = "JP",
    is_government_related: bool = False,
) -> Shareholder:
    """Add a major shareholder; raise ``ApplicationError`` when the share is outside 0–100
    or the shareholders would hold more than 100% together."""
    return _shareholder_write(
        Shareholder(counterparty=counterparty),
        name=name,
        share=share,
        country=country,
        is_government_related=is_government_related,
    )


@transaction.atomic
def shareholder_update(
    *,
    shareholder: Shareholder,
    name: str,
    share: Any,
    country: str,
    is_government_related: bool = False,
) -> Shareholder:
    """Correct a shareholder, with the same checks as ``shareholder_add``."""
    return _shareholder_write(
        shareholder,
        name=name,
        share=share,
        country=country,
        is_government_related=is_government_related,
    )


@transaction.atomic
def shareholder_remove(*, shareholder: Shareholder) -> None:
    """Remove a shareholder who no longer holds shares (the removal is audited)."""
    shareholder.delete()


# --- members ----------------------------------------------------------------------------


@transaction.atomic
def partner_member_add(
    *,
    counterparty: Counterparty,
    name: str,
    role: str = "",
    affiliation: str = "",
    background: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> PartnerMember:
    """Record a person at the counterparty who handles our information.

    Raise ``ApplicationError`` for a missing name or an end before the start.
    """
    if since and until and until < since:
        raise ApplicationError(_("The end date is before the start date."), field="until")
    member = PartnerMember(
        counterparty=counterparty,
        name=name.strip(),
        role=role.strip(),
        affiliation=affiliation.strip(),
        background=background.strip(),
        since=since,
        until=until,
    )
    return validated_save(member, exclude=["counterparty"])


@transaction.atomic
def partner_member_end(*, member: PartnerMember, until: datetime.date) -> PartnerMember:
    """Record the day a member stopped handling our information.

    Raise ``ApplicationError`` when it is already recorded or falls before ``since``.
    """
    if member.until is not None:
        raise ApplicationError(
            _("%(name)s is already recorded as having stopped on %(date)s.")
            % {"name": member.name, "date": date_format(member.until, "DATE_FORMAT")},
            field="until",
        )
    if member.since and until < member.since:
        raise ApplicationError(_("The end date is before the start date."), field="until")
    member.until = until
    member.save()
    return member


# --- capital changes --------------------------------------------------------------------


@transaction.atomic
def capital_change_record(
    *,
    counterparty: Counterparty,
    occurred_on: datetime.date,
    description: str,
    foreign_share_after: Any = None,
) -> CapitalChange:
    """Record a change in a counterparty's capital.

    From then on its due diligence is due again: ``partners.capital_change_not_reviewed``
    fires until an approved review performed on or after ``occurred_on`` exists. Raise
    ``ApplicationError`` for a date in the future, no description, or a share outside 0–100.
    """
    _not_in_future(occurred_on, "occurred_on")
    if not description.strip():
        raise ApplicationError(_("Say what changed."), field="description")
    share = None
    if foreign_share_after not in (None, ""):
        share = _percent(foreign_share_after, "foreign_share_after")
    change = CapitalChange(
        counterparty=counterparty,
        occurred_on=occurred_on,
        description=description.strip(),
        foreign_share_after=share,
    )
    return validated_save(change, exclude=["counterparty"])


# --- due diligence ----------------------------------------------------------------------


def _questionnaire(due_diligence: DueDiligence) -> Questionnaire:
    try:
        return get_catalog().questionnaire(due_diligence.questionnaire)
    except KeyError as exc:
        raise ApplicationError(str(QUESTIONNAIRE_GONE)) from exc


def _editable(due_diligence: DueDiligence) -> None:
    if due_diligence.is_approved:
        raise ApplicationError(str(DD_LOCKED))


@transaction.atomic
def dd_start(
    *,
    counterparty: Counterparty,
    questionnaire: str,
    performed_on: datetime.date,
    performed_by: str,
) -> DueDiligence:
    """Start a due-diligence review of a counterparty with a questionnaire of the catalog.

    Any questionnaire may be used; the pages offer first those meant for the
    counterparty's kind. Raise ``ApplicationError`` for an unknown questionnaire, a date
    in the future or nobody named as performing it.
    """
    try:
        get_catalog().questionnaire(questionnaire)
    except KeyError as exc:
        raise ApplicationError(str(UNKNOWN_QUESTIONNAIRE), field="questionnaire") from exc
    _not_in_future(performed_on, "performed_on")
    if not performed_by.strip():
        raise ApplicationError(_("Say who performs the review."), field="performed_by")
    review = DueDiligence(
        counterparty=counterparty,
        questionnaire=questionnaire,
        performed_on=performed_on,
        performed_by=performed_by.strip(),
    )
    return validated_save(review, exclude=["counterparty"])


@transaction.atomic
def dd_answer(
    *,
    due_diligence: DueDiligence,
    question: str,
    answer: str,
    concern: bool = False,
    evidence: str = "",
) -> DueDiligenceAnswer:
    """Record (or correct) the answer to one question of a review in progress.

    Raise ``ApplicationError`` when the review is approved, the question is not in its
    questionnaire or the answer is empty.
    """
    _editable(due_diligence)
    if question not in {q.id for q in _questionnaire(due_diligence).questions}:
        raise ApplicationError(str(UNKNOWN_QUESTION) % {"question": question})
    if not answer.strip():
        raise ApplicationError(str(ANSWER_NEEDED), field="answer")
    row = DueDiligenceAnswer.objects.filter(due_diligence=due_diligence, question=question).first()
    row = row or DueDiligenceAnswer(due_diligence=due_diligence, question=question)
    row.answer, row.concern, row.evidence = answer.strip(), bool(concern), evidence.strip()
    return validated_save(row, exclude=["due_diligence"])


@transaction.atomic
def dd_answers_save(
    *, due_diligence: DueDiligence, answers: Mapping[str, Mapping[str, Any]]
) -> int:
    """Record the answers to several questions at once; return how many were saved.

    ``answers`` maps a question id to ``answer``, ``concern`` and ``evidence``. A question
    left entirely blank is skipped (an earlier answer to it is removed); anything else
    goes through ``dd_answer``, so one bad answer saves none. The field of an error is
    ``<question>__<field>``.
    """
    _editable(due_diligence)
    saved = 0
    for question, values in answers.items():
        text = (values.get("answer") or "").strip()
        evidence = (values.get("evidence") or "").strip()
        concern = bool(values.get("concern"))
        if not (text or evidence or concern):
            DueDiligenceAnswer.objects.filter(
                due_diligence=due_diligence, question=question
            ).delete()
            continue
        try:
            dd_answer(
                due_diligence=due_diligence,
                question=question,
                answer=text,
                concern=concern,
                evidence=evidence,
            )
        except ApplicationError as exc:
            raise ApplicationError(
                exc.message, field=f"{question}__{exc.field}" if exc.field else None
            ) from exc
        saved += 1
    return saved


@transaction.atomic
def dd_rate(*, due_diligence: DueDiligence, risk: str, reasoning: str) -> DueDiligence:
    """Rate the counterparty's risk with the reasoning behind it (needed to approve)."""
    _editable(due_diligence)
    if risk not in Risk.values:
        raise ApplicationError(_("Choose a risk rating."), field="risk")
    if not reasoning.strip():
        raise ApplicationError(str(REASONING_NEEDED), field="reasoning")
    due_diligence.risk, due_diligence.reasoning = risk, reasoning.strip()
    due_diligence.save()
    return due_diligence


@transaction.atomic
def dd_approve(
    *,
    due_diligence: DueDiligence,
    user: User,
    approved_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> DueDiligence:
    """Approve a review: it counts from now on and can no longer be changed.

    ``valid_until`` defaults to ``performed_on`` plus the questionnaire's
    ``validity_months``. The undecided themes with the counterparty get their risk
    recomputed with the new rating. Raise ``NotPermitted`` unless ``user`` is the
    officer, and ``ApplicationError`` when the review is already approved, is not rated
    with reasoning, has unanswered questions, or the dates are out of order.
    """
    if not user.has_capability(Capability.COMPANY_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER_APPROVES))
    _editable(due_diligence)
    if not due_diligence.risk or not due_diligence.reasoning.strip():
        raise ApplicationError(str(RATING_NEEDED), field="risk")
    questionnaire = _questionnaire(due_diligence)
    answered = set(due_diligence.answers.values_list("question", flat=True))
    missing = [q.text.get(_language()) for q in questionnaire.questions if q.id not in answered]
    if missing:
        raise ApplicationError(str(UNANSWERED) % {"questions": "、".join(missing)})
    approved_on = approved_on or timezone.localdate()
    _not_in_future(approved_on, "approved_on")
    if approved_on < due_diligence.performed_on:
        raise ApplicationError(
            _("The approval cannot come before the review was performed."), field="approved_on"
        )
    if valid_until is None:
        valid_until = add_months(due_diligence.performed_on, questionnaire.validity_months)
    if valid_until <= due_diligence.performed_on:
        raise ApplicationError(
            _("The review must stay valid after the day it was performed."), field="valid_until"
        )
    due_diligence.approved_by = user
    due_diligence.approved_on = approved_on
    due_diligence.valid_until = valid_until
    due_diligence.save()
    for theme in ResearchTheme.objects.filter(
        counterparty_id=due_diligence.counterparty_id, decision=ThemeDecision.UNDECIDED
    ):
        _store_risk(theme)
    return due_diligence


def _language() -> str:
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


# --- research themes --------------------------------------------------------------------

RISK_REASON_NEEDED = gettext_lazy(
    "Say why: what in the theme or the partner brings this risk (a medium or high risk "
    "needs its reasoning)."
)


def _store_risk(theme: ResearchTheme) -> None:
    importances = theme.technologies.values_list("importance", flat=True)
    risk = theme_risk(
        importances,
        partner_rating(theme.counterparty_id),
        reputational=theme.reputational_risk,
        foreign_law=theme.foreign_law_risk,
    )
    if risk != theme.risk:
        theme.risk = risk
        theme.save()


@transaction.atomic
def theme_save(
    *,
    theme: ResearchTheme | None = None,
    counterparty: Counterparty,
    title: str,
    description: str = "",
    technologies: Iterable[Technology] = (),
    reputational_risk: str = "",
    reputational_note: str = "",
    foreign_law_risk: str = "",
    foreign_law_note: str = "",
) -> ResearchTheme:
    """Create or update a joint-research theme and compute its risk (see ``theme_risk``):
    the technologies and the partner, the reputational risk and the risk of conflicting
    with foreign law.

    Raise ``ApplicationError`` when the title is missing, a risk is not low, medium or
    high, or a risk rated medium or high has no reasoning.
    """
    theme = theme or ResearchTheme()
    theme.counterparty = counterparty
    theme.title = title.strip()
    theme.description = description.strip()
    for field, note_field, value, note in (
        ("reputational_risk", "reputational_note", reputational_risk, reputational_note),
        ("foreign_law_risk", "foreign_law_note", foreign_law_risk, foreign_law_note),
    ):
        note = note.strip()
        if value in (Risk.MEDIUM, Risk.HIGH) and not note:
            raise ApplicationError(str(RISK_REASON_NEEDED), field=note_field)
        setattr(theme, field, value)
        setattr(theme, note_field, note)
    validated_save(theme, exclude=["risk"])
    theme.technologies.set(list(technologies))
    _store_risk(theme)
    return theme


@transaction.atomic
def theme_decide(
    *,
    theme: ResearchTheme,
    decision: str,
    conditions: str = "",
    decided_on: datetime.date | None = None,
) -> ResearchTheme:
    """Record whether the research goes ahead, with the reasoning (and the conditions).

    The risk is computed afresh, so the record shows what was weighed. Setting the
    decision back to undecided clears the date. Raise ``ApplicationError`` for an unknown
    decision, a decision without reasoning, or a date in the future.
    """
    if decision not in ThemeDecision.values:
        raise ApplicationError(_("Choose a decision."), field="decision")
    conditions = conditions.strip()
    if decision == ThemeDecision.UNDECIDED:
        decided_on = None
    else:
        if not conditions:
            message = (
                CONDITIONS_NEEDED
                if decision == ThemeDecision.GO_WITH_CONDITIONS
                else DECISION_REASON_NEEDED
            )
            raise ApplicationError(str(message), field="conditions")
        decided_on = decided_on or timezone.localdate()
        _not_in_future(decided_on, "decided_on")
    theme.decision, theme.conditions, theme.decided_on = decision, conditions, decided_on
    theme.save()
    _store_risk(theme)
    return theme
