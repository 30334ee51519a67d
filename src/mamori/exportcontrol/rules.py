"""Rules of export control and investment screening (set-based queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import (
    AccessGrant,
    ExportClassification,
    ExportResult,
    InformationAsset,
    Technology,
    TechnologyCategory,
)
from mamori.assets.selectors import controlled_technology_ids
from mamori.company.models import Company
from mamori.core.bilingual import bilingual, bilingual_choice, bilingual_date
from mamori.disclosures.models import Disclosure
from mamori.engines.rules import Hit, ObjectRef
from mamori.exportcontrol.knowledge import catch_all_exempt
from mamori.exportcontrol.models import (
    CatchAllCheck,
    CounterpartyScreening,
    ExportAuthorization,
    HitStatus,
    RoundStatus,
    ScreeningHit,
)
from mamori.exportcontrol.selectors import (
    capital_policy_unreviewed,
    open_assessments,
    sector_declaration_current,
)
from mamori.exportcontrol.services.screening import current_list
from mamori.findings.registry import RuleContext, registry
from mamori.partners.models import Counterparty
from mamori.people.selectors import under_a_type_person_ids

TECHNOLOGY, DISCLOSURE = "assets.technology", "disclosures.disclosure"
COUNTERPARTY, ROUND = "partners.counterparty", "exportcontrol.fundinground"


def _latest_classifications():
    latest = ExportClassification.objects.filter(technology=OuterRef("technology")).order_by(
        "-judged_on", "-pk"
    )
    return ExportClassification.objects.filter(pk=latest.values("pk")[:1])


def _foreign_disclosure_assets():
    # From the counterparties abroad (few) to their disclosures by the index on the
    # counterparty, not by reading every disclosed asset.
    abroad = Counterparty.objects.order_by().exclude(country="JP").values("pk")
    return Disclosure.assets.through.objects.filter(disclosure__counterparty_id__in=abroad)


@registry.rule("exportcontrol.classification_rejudge_overdue")
def classification_rejudge_overdue(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        _latest_classifications()
        .filter(rejudge_due__lt=ctx.today)
        .values_list("technology_id", "technology__name", "rejudge_due", "result")
        .order_by("technology__name")
    )
    for pk, name, due, result in rows:
        yield Hit(
            objects=(ObjectRef(TECHNOLOGY, pk, name),),
            params={
                "technology": name,
                "due": bilingual_date(due),
                "result": bilingual_choice(ExportResult(result)),
            },
        )


@registry.rule("exportcontrol.technology_unclassified")
def technology_unclassified(ctx: RuleContext) -> Iterator[Hit]:
    unclassified = dict(
        ctx.narrow(Technology.objects.filter(classifications__isnull=True)).values_list(
            "pk", "name"
        )
    )
    if not unclassified:
        return
    ids = list(unclassified)
    reasons: dict[int, str] = {}
    for pk in Technology.objects.filter(
        pk__in=ids,
        category__in=[TechnologyCategory.SECURITY, TechnologyCategory.ECONOMIC_SECURITY],
    ).values_list("pk", flat=True):
        reasons[pk] = "category"
    if ctx.subjects is None:  # every technology: read the disclosures abroad once
        given_abroad = Q(
            informationasset_id__in=_foreign_disclosure_assets().values("informationasset_id")
        )
    else:  # a few technologies: from their assets to their disclosures (indexed)
        given_abroad = Q(
            Exists(
                _foreign_disclosure_assets().filter(
                    informationasset_id=OuterRef("informationasset_id")
                )
            )
        )
    abroad = (
        InformationAsset.technologies.through.objects.filter(technology_id__in=ids)
        .filter(given_abroad)
        .values_list("technology_id", flat=True)
    )
    for pk in abroad:
        reasons.setdefault(pk, "abroad")
    specified = list(under_a_type_person_ids().values_list("person_id", flat=True))
    if specified:
        granted = InformationAsset.technologies.through.objects.filter(
            technology_id__in=ids,
            informationasset_id__in=AccessGrant.objects.filter(
                revoked_on__isnull=True, person_id__in=specified
            ).values("asset_id"),
        ).values_list("technology_id", flat=True)
        for pk in granted:
            reasons.setdefault(pk, "specified")
    texts = {
        "category": bilingual(_("it is important for national or economic security")),
        "abroad": bilingual(_("information on it has been given to a foreign counterparty")),
        "specified": bilingual(_("a person under a 特定類型 has access to information on it")),
    }
    for pk in sorted(reasons, key=lambda pk: (unclassified[pk], pk)):
        yield Hit(
            objects=(ObjectRef(TECHNOLOGY, pk, unclassified[pk]),),
            params={"technology": unclassified[pk], "reason": texts[reasons[pk]]},
        )


@registry.rule("exportcontrol.controlled_disclosure_without_licence")
def controlled_disclosure_without_licence(ctx: RuleContext) -> Iterator[Hit]:
    controlled = controlled_technology_ids()
    if not controlled:
        return
    rows = set(
        _foreign_disclosure_assets()
        .filter(informationasset__technologies__in=list(controlled))
        .values_list(
            "disclosure_id",
            "disclosure__counterparty_id",
            "disclosure__disclosed_on",
            "informationasset__technologies",
        )
    )
    if not rows:
        return
    counterparties = {counterparty for _, counterparty, _, _ in rows}
    records = ExportAuthorization.objects.filter(counterparty_id__in=counterparties).values_list(
        "counterparty_id", "technology_id", "decided_on", "valid_until", "disclosure_id"
    )
    by_pair = defaultdict(list)
    for counterparty, technology, decided_on, valid_until, disclosure in records:
        by_pair[(counterparty, technology)].append((decided_on, valid_until, disclosure))

    def covered(disclosure: int, counterparty: int, day, technology: int) -> bool:
        return any(
            record_disclosure == disclosure
            or (
                record_disclosure is None
                and decided_on <= day
                and (valid_until is None or valid_until >= day)
            )
            for decided_on, valid_until, record_disclosure in by_pair[(counterparty, technology)]
        )

    missing: dict[int, set[int]] = defaultdict(set)
    for disclosure, counterparty, day, technology in rows:
        if not covered(disclosure, counterparty, day, technology):
            missing[disclosure].add(technology)
    if not missing:
        return
    names = dict(
        Technology.objects.filter(
            pk__in={t for techs in missing.values() for t in techs}
        ).values_list("pk", "name")
    )
    disclosures = Disclosure.objects.filter(pk__in=list(missing)).values_list(
        "pk", "counterparty__name", "counterparty__country", "disclosed_on"
    )
    for pk, counterparty, country, day in sorted(disclosures, key=lambda r: (r[3], r[0])):
        technologies = sorted(names[t] for t in missing[pk])
        label = f"{counterparty} {day}"
        yield Hit(
            objects=(
                ObjectRef(DISCLOSURE, pk, label),
                *(ObjectRef(TECHNOLOGY, t, names[t]) for t in sorted(missing[pk])),
            ),
            params={
                "counterparty": counterparty,
                "country": country,
                "date": bilingual_date(day),
                "technologies": "、".join(technologies),
            },
        )


@registry.rule("exportcontrol.catch_all_not_checked")
def catch_all_not_checked(ctx: RuleContext) -> Iterator[Hit]:
    classified = set(_latest_classifications().values_list("technology_id", flat=True))
    not_controlled = classified - controlled_technology_ids()
    if not not_controlled:
        return
    exempt = set(catch_all_exempt().codes)
    company = Company.objects.first()
    policy = company.catch_all_all_foreign if company is not None else True
    rows = Disclosure.objects.exclude(counterparty__country="JP")
    if not policy:
        rows = rows.exclude(counterparty__country__in=sorted(exempt))
    rows = (
        rows.filter(
            Exists(
                Disclosure.assets.through.objects.filter(
                    disclosure_id=OuterRef("pk"),
                    informationasset__technologies__in=list(not_controlled),
                )
            ),
            ~Exists(CatchAllCheck.objects.filter(disclosure=OuterRef("pk"))),
        )
        .values_list("pk", "counterparty__name", "counterparty__country", "disclosed_on")
        .order_by("disclosed_on", "pk")
    )
    bases = {
        "law": bilingual(_("the law requires it (外為法, catch-all control)")),
        "policy": bilingual(
            _(
                "your company's own policy asks for it; the law does not apply the end-use "
                "and end-user requirements to 輸出令別表第3 countries"
            )
        ),
    }
    for pk, counterparty, country, day in rows:
        yield Hit(
            objects=(ObjectRef(DISCLOSURE, pk, f"{counterparty} {day}"),),
            params={
                "counterparty": counterparty,
                "country": country,
                "date": bilingual_date(day),
                "basis": bases["policy" if country in exempt else "law"],
            },
        )


@registry.rule("exportcontrol.screening_hit_unresolved")
def screening_hit_unresolved(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        ScreeningHit.objects.filter(status=HitStatus.PENDING)
        .values("counterparty_id", "counterparty__name")
        .annotate(count=Count("pk"), best=Max("score"))
        .order_by("counterparty__name", "counterparty_id")
    )
    for row in rows:
        yield Hit(
            objects=(ObjectRef(COUNTERPARTY, row["counterparty_id"], row["counterparty__name"]),),
            params={
                "counterparty": row["counterparty__name"],
                "count": row["count"],
                "score": f"{row['best']:g}",
            },
        )


@registry.rule("exportcontrol.counterparty_not_screened")
def counterparty_not_screened(ctx: RuleContext) -> Iterator[Hit]:
    end_user_list = current_list()
    if end_user_list is None:
        return
    screened = CounterpartyScreening.objects.filter(
        end_user_list=end_user_list,
        counterparty=OuterRef("pk"),
        screened_name=OuterRef("name"),
        screened_country=OuterRef("country"),
    )
    rows = (
        Counterparty.objects.filter(~Exists(screened))
        .values_list("pk", "name")
        .order_by("name", "pk")
    )
    for pk, name in rows:
        yield Hit(
            objects=(ObjectRef(COUNTERPARTY, pk, name),),
            params={"counterparty": name, "list": end_user_list.label},
        )


def _round_hit(participation, **params) -> Hit:
    funding_round, investor = participation.funding_round, participation.investor
    return Hit(
        objects=(
            ObjectRef(ROUND, funding_round.pk, funding_round.name),
            ObjectRef(COUNTERPARTY, investor.pk, investor.name),
        ),
        params={
            "round": funding_round.name,
            "investor": investor.name,
            "status": bilingual_choice(RoundStatus(funding_round.status)),
            **params,
        },
    )


@registry.rule("exportcontrol.funding_round_needs_notification")
def funding_round_needs_notification(ctx: RuleContext) -> Iterator[Hit]:
    for assessment in open_assessments():
        if assessment.needs_notification and not assessment.filed:
            reason = assessment.reasons[0]
            yield _round_hit(assessment.participation, reason={"ja": reason.ja, "en": reason.en})


@registry.rule("exportcontrol.investor_status_unknown")
def investor_status_unknown(ctx: RuleContext) -> Iterator[Hit]:
    for assessment in open_assessments():
        if assessment.foreign is None:
            yield _round_hit(assessment.participation)


@registry.rule("exportcontrol.strategic_investor_unreviewed")
def strategic_investor_unreviewed(ctx: RuleContext) -> Iterator[Hit]:
    for participation, reason in capital_policy_unreviewed():
        yield _round_hit(participation, reason={"ja": reason.ja, "en": reason.en})


@registry.rule("exportcontrol.sector_not_declared")
def sector_not_declared(ctx: RuleContext) -> Iterator[Hit]:
    if sector_declaration_current() is not None:
        return
    foreign = [a for a in open_assessments() if a.foreign]
    if foreign:
        names = sorted({a.participation.investor.name for a in foreign})
        yield Hit(
            objects=tuple(
                ObjectRef(COUNTERPARTY, a.participation.investor_id, a.participation.investor.name)
                for a in foreign
            ),
            params={"investors": "、".join(names), "count": len(names)},
        )
