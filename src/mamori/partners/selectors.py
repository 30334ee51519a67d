"""Reads of counterparties: the register with each one's due-diligence status, a
counterparty's page, due-diligence reviews and joint-research themes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import Importance, Technology
from mamori.catalog.schema import Question, Questionnaire
from mamori.catalog.selectors import get_catalog
from mamori.core.selectors import filter_given
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    CounterpartyKind,
    DueDiligence,
    DueDiligenceAnswer,
    PartnerMember,
    ResearchTheme,
    Risk,
    Shareholder,
)

# Counterparties offered when a joint-research theme is created (others from their page).
RESEARCH_KINDS = (CounterpartyKind.UNIVERSITY, CounterpartyKind.JOINT_RESEARCH)


class DDStatus(models.TextChoices):
    """Where a counterparty's due diligence stands (the same tests as the findings rules)."""

    NONE = "none", _("No approved due diligence")
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    CAPITAL_CHANGE = "capital_change", _("Due again after a capital change")


def _approved() -> QuerySet[DueDiligence]:
    return DueDiligence.objects.filter(counterparty=OuterRef("pk"), approved_on__isnull=False)


def with_dd_status(
    counterparties: QuerySet[Counterparty], today: datetime.date | None = None
) -> QuerySet[Counterparty]:
    """Annotate each counterparty with its due-diligence status and what it rests on.

    ``dd_status`` is a ``DDStatus`` value, decided in this order: no approved review at
    all; a capital change with no approved review performed on or after it
    (``last_capital_change``); every approved review past its ``valid_until``
    (``dd_valid_until``); otherwise valid. Also ``dd_risk`` (the latest approved rating),
    ``dd_in_progress`` and ``foreign_share`` (the shares held from outside Japan).
    """
    today = today or timezone.localdate()
    last_change = (
        CapitalChange.objects.filter(counterparty=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    latest_until = (
        _approved()
        .filter(valid_until__isnull=False)
        .order_by("-valid_until")
        .values("valid_until")[:1]
    )
    latest_risk = _approved().order_by("-performed_on", "-approved_on", "-pk").values("risk")[:1]
    foreign = (
        Shareholder.objects.filter(counterparty=OuterRef("pk"))
        .exclude(country="JP")
        .order_by()
        .values("counterparty")
        .annotate(total=Sum("share"))
        .values("total")
    )
    annotated = counterparties.annotate(
        dd_approved=Exists(_approved()),
        dd_open_ended=Exists(_approved().filter(valid_until__isnull=True)),
        dd_valid_until=Subquery(latest_until),
        dd_risk=Subquery(latest_risk),
        dd_in_progress=Exists(
            DueDiligence.objects.filter(counterparty=OuterRef("pk"), approved_on__isnull=True)
        ),
        last_capital_change=Subquery(last_change),
        foreign_share=Subquery(foreign, output_field=DecimalField(max_digits=6, decimal_places=2)),
    ).annotate(
        dd_reviewed_since_change=Exists(
            _approved().filter(performed_on__gte=OuterRef("last_capital_change"))
        ),
    )
    return annotated.annotate(
        dd_status=Case(
            When(dd_approved=False, then=Value(DDStatus.NONE.value)),
            When(
                Q(last_capital_change__isnull=False) & Q(dd_reviewed_since_change=False),
                then=Value(DDStatus.CAPITAL_CHANGE.value),
            ),
            When(
                Q(dd_open_ended=False) & Q(dd_valid_until__lt=today),
                then=Value(DDStatus.EXPIRED.value),
            ),
            default=Value(DDStatus.VALID.value),
            output_field=models.CharField(),
        )
    )


def counterparty_register(
    *, query: str = "", kind: str = "", country: str = "", dd_status: str = ""
) -> QuerySet[Counterparty]:
    """Return the counterparties matching the filters, by name, with their DD status."""
    rows = Counterparty.objects.all()
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(corporate_number__icontains=query))
    rows = filter_given(rows, kind=kind, country=country)
    rows = with_dd_status(rows)
    if dd_status:
        rows = rows.filter(dd_status=dd_status)
    return rows.order_by("name", "pk")


def countries() -> list[str]:
    """Return the country codes the register holds, for the list's filter."""
    return list(
        Counterparty.objects.order_by("country").values_list("country", flat=True).distinct()
    )


def counterparty_detail(pk: int) -> Counterparty | None:
    """Return one counterparty with its due-diligence status annotations, or ``None``."""
    return with_dd_status(Counterparty.objects.filter(pk=pk)).first()


def shareholders(counterparty: Counterparty) -> list[Shareholder]:
    """Return the major shareholders, largest share first."""
    return list(Shareholder.objects.filter(counterparty=counterparty).order_by("-share", "pk"))


def foreign_share(counterparty: Counterparty) -> Decimal:
    """Return the sum of the shares held by shareholders outside Japan (percent)."""
    total = (
        Shareholder.objects.filter(counterparty=counterparty)
        .exclude(country="JP")
        .aggregate(total=Sum("share"))["total"]
    )
    return total or Decimal("0")


def major_shareholders(counterparty: Counterparty, *, at_least: Decimal = Decimal("5")):
    """Return the shareholders holding ``at_least`` percent, largest first."""
    return [holder for holder in shareholders(counterparty) if holder.share >= at_least]


@dataclass(frozen=True)
class Members:
    current: list[PartnerMember]
    past: list[PartnerMember]


def members(counterparty: Counterparty, today: datetime.date | None = None) -> Members:
    """Return the members who handle our information now, and those who stopped."""
    today = today or timezone.localdate()
    rows = list(PartnerMember.objects.filter(counterparty=counterparty).order_by("name", "pk"))
    return Members(
        current=[m for m in rows if m.until is None or m.until >= today],
        past=sorted((m for m in rows if m.until and m.until < today), key=lambda m: m.until),
    )


def capital_changes(counterparty: Counterparty) -> QuerySet[CapitalChange]:
    return CapitalChange.objects.filter(counterparty=counterparty).order_by("-occurred_on", "-pk")


def due_diligences(counterparty: Counterparty) -> list[DueDiligence]:
    """Return the counterparty's reviews, newest first, with their questionnaire."""
    rows = list(
        DueDiligence.objects.filter(counterparty=counterparty)
        .select_related("approved_by")
        .annotate(
            answer_count=Count("answers"),
            concern_count=Count("answers", filter=Q(answers__concern=True)),
        )
        .order_by("-performed_on", "-pk")
    )
    for row in rows:
        row.questionnaire_entry = questionnaire_or_none(row.questionnaire)
    return rows


def questionnaire_or_none(questionnaire_id: str) -> Questionnaire | None:
    try:
        return get_catalog().questionnaire(questionnaire_id)
    except KeyError:
        return None


def questionnaire_choices(kind: str) -> tuple[list[Questionnaire], list[Questionnaire]]:
    """Return the questionnaires meant for a counterparty kind, and all the others."""
    catalog = get_catalog()
    meant = catalog.questionnaires_for(kind)
    return meant, [q for q in catalog.questionnaires if q not in meant]


def due_diligence_detail(pk: int) -> DueDiligence | None:
    return DueDiligence.objects.select_related("counterparty", "approved_by").filter(pk=pk).first()


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    answer: DueDiligenceAnswer | None

    @property
    def evidence_url(self) -> str:
        """Return the evidence when it is a web link (to render as one), else ``""``."""
        evidence = self.answer.evidence if self.answer else ""
        return evidence if evidence.startswith(("https://", "http://")) else ""


def dd_questions(due_diligence: DueDiligence) -> list[QuestionRow]:
    """Return each question of the review's questionnaire with its answer (or ``None``)."""
    questionnaire = questionnaire_or_none(due_diligence.questionnaire)
    if questionnaire is None:
        return []
    answers = {row.question: row for row in due_diligence.answers.all()}
    return [QuestionRow(q, answers.get(q.id)) for q in questionnaire.questions]


# --- research themes --------------------------------------------------------------------

_LEVEL = {Importance.LOW: 1, Importance.MEDIUM: 2, Importance.HIGH: 3}

# (highest importance of the technologies touched, partner's rating) -> resulting risk.
# The risk follows the more important technology, lowered one step by a partner rated
# low and raised one step by a partner rated high; a partner without an approved due
# diligence counts as high.
THEME_RISK_TABLE: dict[tuple[str, str], str] = {
    (Importance.HIGH, Risk.LOW): Risk.MEDIUM,
    (Importance.HIGH, Risk.MEDIUM): Risk.HIGH,
    (Importance.HIGH, Risk.HIGH): Risk.HIGH,
    (Importance.MEDIUM, Risk.LOW): Risk.LOW,
    (Importance.MEDIUM, Risk.MEDIUM): Risk.MEDIUM,
    (Importance.MEDIUM, Risk.HIGH): Risk.HIGH,
    (Importance.LOW, Risk.LOW): Risk.LOW,
    (Importance.LOW, Risk.MEDIUM): Risk.LOW,
    (Importance.LOW, Risk.HIGH): Risk.MEDIUM,
}


def leakage_risk(importances: Iterable[str], partner_rating: str | None) -> str:
    """Return the risk of a joint-research theme if its technology leaked.

    The handbook asks to weigh the importance of the technology a theme involves against
    how far the partner can be trusted. The most important technology the theme touches
    decides (high, medium or low, from the technology register); the partner's latest
    approved due-diligence rating moves it:

    ============  ==============  ================  ===============
    importance    partner low     partner medium    partner high
    ============  ==============  ================  ===============
    high          medium          high              high
    medium        low             medium            high
    low           low             low               medium
    ============  ==============  ================  ===============

    A partner without an approved due diligence (``partner_rating`` empty or ``None``) is
    treated as rated high: trust that has not been checked is not assumed. A theme that
    touches no registered technology cannot be assessed: return ``""``.
    """
    levels = [importance for importance in importances if importance in _LEVEL]
    if not levels:
        return ""
    highest = max(levels, key=_LEVEL.__getitem__)
    rating = partner_rating if partner_rating in Risk.values else Risk.HIGH
    return str(THEME_RISK_TABLE[(Importance(highest), Risk(rating))])


def theme_risk(
    importances: Iterable[str],
    partner_rating: str | None,
    *,
    reputational: str = "",
    foreign_law: str = "",
) -> str:
    """Return a theme's resulting risk: the highest of the leakage risk (``leakage_risk``),
    the reputational risk and the risk of conflicting with foreign law, each counted when
    it has been assessed (mamori's rule: one high risk is enough to make the theme high
    risk). Return ``""`` when none of them has been assessed."""
    parts = [
        part
        for part in (leakage_risk(importances, partner_rating), reputational, foreign_law)
        if part in _LEVEL
    ]
    return max(parts, key=_LEVEL.__getitem__) if parts else ""


def partner_rating(counterparty_id: int) -> str:
    """Return the risk rating of the counterparty's latest approved review, or ``""``."""
    latest = (
        DueDiligence.objects.filter(counterparty_id=counterparty_id, approved_on__isnull=False)
        .order_by("-performed_on", "-approved_on", "-pk")
        .values_list("risk", flat=True)
        .first()
    )
    return latest or ""


def theme_register(*, query: str = "", decision: str = "", risk: str = "") -> QuerySet:
    """Return the joint-research themes matching the filters, with partner and technologies."""
    rows = ResearchTheme.objects.select_related("counterparty").prefetch_related(
        Prefetch("technologies", queryset=Technology.objects.order_by("name", "pk"))
    )
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(counterparty__name__icontains=query))
    rows = filter_given(rows, decision=decision, risk=risk)
    return rows.order_by("title", "pk")


def themes_of(counterparty: Counterparty) -> QuerySet[ResearchTheme]:
    return ResearchTheme.objects.filter(counterparty=counterparty).order_by("title", "pk")


def theme_detail(pk: int) -> ResearchTheme | None:
    return ResearchTheme.objects.select_related("counterparty").filter(pk=pk).first()


def theme_technologies(theme: ResearchTheme) -> list[Technology]:
    return list(theme.technologies.order_by("name", "pk"))


@dataclass(frozen=True)
class ThemeAssessment:
    """The inputs of a theme's risk as they stand today, and the risk they give."""

    importances: list[str]
    rating: str
    risk: str
    leakage: str = ""  # the part the technologies and the partner give


def theme_assessment(theme: ResearchTheme) -> ThemeAssessment:
    """Return the theme's risk computed from today's registers (it may differ from the
    stored one once a technology's importance or the partner's rating changed)."""
    importances = list(theme.technologies.values_list("importance", flat=True))
    rating = partner_rating(theme.counterparty_id)
    risk = theme_risk(
        importances,
        rating,
        reputational=theme.reputational_risk,
        foreign_law=theme.foreign_law_risk,
    )
    return ThemeAssessment(importances, rating, risk, leakage_risk(importances, rating))


def research_partner_choices(extra: int | None = None) -> QuerySet[Counterparty]:
    """Return the counterparties a theme is usually agreed with (and ``extra``)."""
    chosen = Q(kind__in=RESEARCH_KINDS)
    if extra:
        chosen |= Q(pk=extra)
    return Counterparty.objects.filter(chosen).order_by("name", "pk")


def shareholder_detail(pk: int) -> Shareholder | None:
    return Shareholder.objects.select_related("counterparty").filter(pk=pk).first()


def member_detail(pk: int) -> PartnerMember | None:
    return PartnerMember.objects.select_related("counterparty").filter(pk=pk).first()
