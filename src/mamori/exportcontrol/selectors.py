"""Reads of the export-control area: registers, screening, funding rounds and what they
need, and the framework coverage shown on the dashboard."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy

from mamori.assessment.models import ChecklistAnswer, Status
from mamori.assets.models import InformationAsset, Technology
from mamori.assets.selectors import controlled_technology_ids
from mamori.catalog.schema import Text
from mamori.catalog.selectors import get_catalog
from mamori.core.selectors import filter_given
from mamori.disclosures.models import Disclosure
from mamori.exportcontrol.knowledge import InvestmentRules, crosswalks, investment_rules
from mamori.exportcontrol.models import (
    STRATEGIC_RELATIONS,
    CatchAllCheck,
    DisclosureExportCheck,
    EndUserEntry,
    EndUserList,
    ExportAuthorization,
    FundingRound,
    HitStatus,
    InvestorCategory,
    InvestorProfile,
    InvestorRelation,
    RoundParticipation,
    ScreeningHit,
    SectorDeclaration,
)
from mamori.partners.models import Counterparty, CounterpartyKind


def _both(text: Any, **params: Any) -> Text:
    """Return a (lazy) message formatted in Japanese and in English."""
    values = {}
    for language in ("ja", "en"):
        with translation.override(language):
            resolved = {
                k: (v.get(language) if isinstance(v, Text) else str(v)) for k, v in params.items()
            }
            values[language] = str(text) % resolved
    return Text(**values)


# --- controlled technology ----------------------------------------------------------------


def controlled_technologies() -> QuerySet[Technology]:
    """Technologies whose classification in force is 該当, with their assets counted."""
    return (
        Technology.objects.filter(pk__in=list(controlled_technology_ids()))
        .annotate(asset_count=Count("assets", distinct=True))
        .order_by("name", "pk")
    )


def controlled_assets() -> QuerySet[InformationAsset]:
    """Information assets linked to a controlled technology (so themselves controlled)."""
    return (
        InformationAsset.objects.filter(technologies__in=list(controlled_technology_ids()))
        .distinct()
        .select_related("secrecy_class")
        .order_by("name", "pk")
    )


def authorization_list(
    *, counterparty: int | None = None, person: int | None = None, technology: int | None = None
) -> QuerySet[ExportAuthorization]:
    rows = ExportAuthorization.objects.select_related(
        "technology", "counterparty", "person", "disclosure", "recorded_by"
    )
    rows = filter_given(
        rows, counterparty_id=counterparty, person_id=person, technology_id=technology
    )
    return rows.order_by("-decided_on", "-pk")


def foreign_disclosures(*, unchecked_only: bool = False) -> QuerySet[Disclosure]:
    """Disclosures to counterparties outside Japan, newest first, with whether a
    catch-all check or a licence record exists for each."""
    rows = (
        Disclosure.objects.exclude(counterparty__country="JP")
        .select_related("counterparty")
        .annotate(
            checked=Exists(CatchAllCheck.objects.filter(disclosure=OuterRef("pk"))),
            asset_count=Count("assets", distinct=True),
        )
        .order_by("-disclosed_on", "-pk")
    )
    if unchecked_only:
        rows = rows.filter(checked=False)
    return rows


def catch_all_checks_of(disclosure: Disclosure) -> QuerySet[CatchAllCheck]:
    return disclosure.catch_all_checks.order_by("-checked_on", "-pk")


def export_checks(limit: int = 20) -> QuerySet[DisclosureExportCheck]:
    return DisclosureExportCheck.objects.select_related(
        "counterparty", "disclosure", "user"
    ).order_by("-created_at", "-pk")[:limit]


# --- screening ----------------------------------------------------------------------------


def end_user_lists() -> QuerySet[EndUserList]:
    return EndUserList.objects.select_related("imported_by").order_by("-created_at", "-pk")


def entry_list(end_user_list: EndUserList, *, query: str = "", country: str = "") -> QuerySet:
    rows = EndUserEntry.objects.filter(end_user_list=end_user_list)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(aliases__icontains=query))
    if country:
        rows = rows.filter(country=country)
    return rows.order_by("pk")


def hit_list(*, status: str = "", query: str = "", counterparty: int | None = None) -> QuerySet:
    rows = ScreeningHit.objects.select_related(
        "counterparty", "entry", "entry__end_user_list", "decided_by"
    )
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(
            Q(counterparty__name__icontains=query) | Q(matched_name__icontains=query)
        )
    if counterparty:
        rows = rows.filter(counterparty_id=counterparty)
    return rows.order_by("status", "-score", "-match_rank", "-pk")


def hit_counts() -> dict[str, int]:
    counts = dict(ScreeningHit.objects.values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in HitStatus.values}


def hits_of_counterparty(counterparty: Counterparty) -> QuerySet[ScreeningHit]:
    return hit_list(counterparty=counterparty.pk)


# --- foreign investment -------------------------------------------------------------------


def sector_declaration_current() -> SectorDeclaration | None:
    return (
        SectorDeclaration.objects.select_related("declared_by")
        .order_by("-declared_on", "-pk")
        .first()
    )


def investors() -> QuerySet[Counterparty]:
    return (
        Counterparty.objects.filter(kind=CounterpartyKind.INVESTOR)
        .select_related("investor_profile")
        .order_by("name", "pk")
    )


def funding_rounds() -> QuerySet[FundingRound]:
    return FundingRound.objects.annotate(investor_count=Count("participations")).order_by(
        "-planned_on", "-pk"
    )


def participations_of(funding_round: FundingRound) -> QuerySet[RoundParticipation]:
    return funding_round.participations.select_related(
        "investor", "investor__investor_profile"
    ).order_by("-stake", "pk")


REASON_UNKNOWN = gettext_lazy("Whether %(investor)s is a foreign investor has not been determined.")
REASON_NO_DECLARATION = gettext_lazy(
    "%(investor)s is a foreign investor (%(category)s), and the company has not declared "
    "whether its business is in a designated sector."
)
REASON_UNLISTED = gettext_lazy(
    "%(investor)s is a foreign investor (%(category)s) acquiring shares of an unlisted "
    "company in a designated sector (%(sectors)s): prior notification is needed for any "
    "amount."
)
REASON_LISTED = gettext_lazy(
    "%(investor)s is a foreign investor (%(category)s) reaching %(stake)s%% of a listed "
    "company in a designated sector (%(sectors)s), at or above the %(threshold)s%% threshold."
)
REASON_NOT_DESIGNATED = gettext_lazy(
    "The company has declared no designated sector, so no prior notification is needed for "
    "%(investor)s."
)


REASON_STRATEGIC = gettext_lazy(
    "%(investor)s (%(relation)s) takes %(what)s: decide in the capital policy how far it may "
    "see the company's technology (the handbook, STEP 1: 「買収等を通じた技術流出リスクも"
    "考慮して、資本政策を検討することも大切です」)."
)
WHAT_SEAT = gettext_lazy("a board seat")
WHAT_ACCESS = gettext_lazy("access to non-public technology")
WHAT_BOTH = gettext_lazy("a board seat and access to non-public technology")


def capital_policy_concern(
    participation: RoundParticipation, profile: InvestorProfile | None
) -> Text | None:
    """Return why a competitor's or a CVC's seat or access calls for the capital-policy
    review (domestic or foreign), or ``None`` when it does not."""
    if profile is None or not profile.is_strategic:
        return None
    seat, access = participation.board_seat, participation.technology_access
    if not (seat or access):
        return None
    what = WHAT_BOTH if seat and access else WHAT_SEAT if seat else WHAT_ACCESS
    relation = InvestorRelation(profile.relation).label
    return _both(
        REASON_STRATEGIC, investor=participation.investor.name, relation=relation, what=what
    )


@dataclass(frozen=True)
class Assessment:
    """What one investor in a round needs under inward-investment screening."""

    participation: RoundParticipation
    foreign: bool | None  # None: not yet determined
    needs_notification: bool
    needs_review: bool
    reasons: list[Text] = field(default_factory=list)
    prepare: list[Text] = field(default_factory=list)
    capital_policy: Text | None = None  # a competitor's or CVC's seat or access to review

    @property
    def filed(self) -> bool:
        return self.participation.notification_filed_on is not None

    @property
    def open(self) -> bool:
        return (self.needs_notification and not self.filed) or self.foreign is None


def participation_assessment(
    participation: RoundParticipation,
    profile: InvestorProfile | None,
    declaration: SectorDeclaration | None,
    rules: InvestmentRules | None = None,
) -> Assessment:
    """Apply the (indicative) rules of ``data/fdi.yaml`` to one investor of a round."""
    rules = rules or investment_rules()
    investor = participation.investor.name
    if profile is None or profile.category == InvestorCategory.UNKNOWN:
        return Assessment(
            participation, None, False, True, [_both(REASON_UNKNOWN, investor=investor)]
        )
    if not profile.is_foreign:
        return Assessment(participation, False, False, False)
    category = _both("%(c)s", c=profile.get_category_display())
    triggers = []
    if participation.board_seat:
        triggers.append(rules.triggers.board_seat)
    if participation.technology_access:
        triggers.append(rules.triggers.technology_access)
    if profile.state_owned:
        triggers.append(rules.triggers.state_owned)
    if declaration is None:
        reasons = [_both(REASON_NO_DECLARATION, investor=investor, category=category)]
        return Assessment(participation, True, False, True, reasons + triggers)
    sectors = [rules.sector(s) for s in declaration.sectors if rules.sector(s)]
    if not sectors:
        return Assessment(
            participation,
            True,
            False,
            bool(triggers),
            [_both(REASON_NOT_DESIGNATED, investor=investor), *triggers],
        )
    names = Text(ja="、".join(s.name.ja for s in sectors), en=", ".join(s.name.en for s in sectors))
    if declaration.is_listed:
        threshold = Decimal(str(rules.thresholds.listed_percent))
        needed = participation.stake >= threshold
        reasons = (
            [
                _both(
                    REASON_LISTED,
                    investor=investor,
                    category=category,
                    stake=participation.stake,
                    sectors=names,
                    threshold=f"{threshold:g}",
                )
            ]
            if needed
            else []
        )
    else:
        threshold = Decimal(str(rules.thresholds.listed_percent))
        needed = rules.thresholds.unlisted_any_amount or participation.stake >= threshold
        reasons = [_both(REASON_UNLISTED, investor=investor, category=category, sectors=names)]
    if any(s.core for s in sectors):
        triggers.append(rules.triggers.core_sector)
    return Assessment(
        participation,
        True,
        needed,
        bool(triggers) or needed,
        reasons + triggers,
        list(rules.prepare) if needed else [],
    )


def round_assessments(funding_round: FundingRound) -> list[Assessment]:
    declaration = sector_declaration_current()
    rules = investment_rules()
    result = []
    for p in participations_of(funding_round):
        profile = getattr(p.investor, "investor_profile", None)
        assessment = participation_assessment(p, profile, declaration, rules)
        concern = capital_policy_concern(p, profile)
        result.append(dataclasses.replace(assessment, capital_policy=concern))
    return result


def capital_policy_unreviewed() -> list[tuple[RoundParticipation, Text]]:
    """Every competitor's or CVC's seat or access (any round, domestic or foreign) with no
    capital-policy review recorded, with the reason (a few queries)."""
    rows = (
        RoundParticipation.objects.filter(
            leakage_reviewed_on__isnull=True,
            investor__investor_profile__relation__in=STRATEGIC_RELATIONS,
        )
        .filter(Q(board_seat=True) | Q(technology_access=True))
        .select_related("funding_round", "investor", "investor__investor_profile")
        .order_by("funding_round__name", "investor__name", "pk")
    )
    result = []
    for participation in rows:
        concern = capital_policy_concern(participation, participation.investor.investor_profile)
        if concern is not None:
            result.append((participation, concern))
    return result


def open_assessments() -> list[Assessment]:
    """Every investor of every round that still needs a notification or a determination
    (a few queries, whatever the number of rounds)."""
    declaration = sector_declaration_current()
    rules = investment_rules()
    rows = RoundParticipation.objects.select_related(
        "funding_round", "investor", "investor__investor_profile"
    ).order_by("funding_round__name", "investor__name", "pk")
    result = []
    for participation in rows:
        assessment = participation_assessment(
            participation,
            getattr(participation.investor, "investor_profile", None),
            declaration,
            rules,
        )
        if assessment.open or assessment.foreign:
            result.append(assessment)
    return result


# --- framework coverage -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemCoverage:
    id: str
    title: Text
    rows: list[str]
    state: str  # "done", "in_progress", "open" or "unmapped"


@dataclass(frozen=True)
class FrameworkCoverage:
    id: str
    name: Text
    source: str
    verified: bool
    items: list[ItemCoverage]

    def count(self, state: str) -> int:
        return sum(1 for item in self.items if item.state == state)

    @property
    def done(self) -> int:
        return self.count("done")

    @property
    def in_progress(self) -> int:
        return self.count("in_progress")

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def gaps(self) -> list[ItemCoverage]:
        return [item for item in self.items if item.state in ("open", "unmapped")]


def framework_coverage() -> list[FrameworkCoverage]:
    """Return, for each mapped framework, which items the handbook work already covers:
    an item is covered when a checklist row mapped to it is done, in progress when one is
    under way, open when its rows are not started, unmapped when no row maps to it.
    One query."""
    statuses = dict(ChecklistAnswer.objects.values_list("row_id", "status"))
    data = crosswalks()
    rank = {Status.DONE: 2, Status.IN_PROGRESS: 1}
    by_item: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row, targets in data.mappings.items():
        for framework, items in targets.items():
            for item in items:
                by_item[(framework, item)].append(row)
    result = []
    for framework in data.frameworks:
        items = []
        for item in framework.items:
            rows = by_item.get((framework.id, item.id), [])
            best = max((rank.get(statuses.get(row), 0) for row in rows), default=-1)
            state = {2: "done", 1: "in_progress", 0: "open", -1: "unmapped"}[best]
            items.append(ItemCoverage(item.id, item.title, rows, state))
        result.append(
            FrameworkCoverage(
                framework.id, framework.name, framework.source, framework.verified, items
            )
        )
    return result


def row_titles() -> dict[str, Text]:
    return {row.id: row.title for row in get_catalog().rows}


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
