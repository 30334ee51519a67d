"""Rules about technologies, information assets and access (set-based queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    DeemedExportApproval,
    InformationAsset,
    ReviewKind,
    Technology,
    TechnologyCategory,
)
from mamori.assets.selectors import controlled_technology_ids
from mamori.core.bilingual import bilingual_choice, bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, owner_resolver, registry
from mamori.people.models import EventKind, LifecycleEvent, Person, PersonStatus
from mamori.people.selectors import people_under_a_type

PERSON, ASSET, TECHNOLOGY = "people.person", "assets.informationasset", "assets.technology"
REVIEW = "assets.accessreview"
MAX_NAMED = 5  # assets named in a message; the objects list holds them all


def _person(pk: int, name: str) -> ObjectRef:
    return ObjectRef(PERSON, pk, name)


def _names(names: list[str]) -> dict[str, str]:
    rest = len(names) - MAX_NAMED
    return {
        "ja": "、".join(names[:MAX_NAMED]) + (f" ほか{rest}件" if rest > 0 else ""),
        "en": ", ".join(names[:MAX_NAMED]) + (f" and {rest} more" if rest > 0 else ""),
    }


def _owner_accounts(model, subject_ids: list[str]) -> dict[str, int | None]:
    ids = [int(i) for i in subject_ids if str(i).isdigit()]
    rows = model.objects.filter(pk__in=ids, owner__user__isnull=False)
    return {str(pk): user for pk, user in rows.values_list("pk", "owner__user_id")}


@owner_resolver("asset_owner")
def asset_owner_accounts(subject_ids: list[str]) -> dict[str, int | None]:
    """Findings about an information asset are its owner's to work."""
    return _owner_accounts(InformationAsset, subject_ids)


@owner_resolver("technology_owner")
def technology_owner_accounts(subject_ids: list[str]) -> dict[str, int | None]:
    """Findings about a technology are its owner's to work."""
    return _owner_accounts(Technology, subject_ids)


@registry.rule("assets.leaver_holds_access")
def leaver_holds_access(ctx: RuleContext) -> Iterator[Hit]:
    # Leavers are few: look their grants up by person (indexed), not by joining every grant.
    leavers = list(
        ctx.narrow(
            Person.objects.filter(status__in=[PersonStatus.NOTIFIED, PersonStatus.DEPARTED])
        ).values_list("pk", flat=True)
    )
    rows = (
        AccessGrant.objects.filter(revoked_on__isnull=True, person_id__in=leavers)
        .order_by("person_id", "asset__name")
        .values_list("person_id", "person__name", "person__status", "asset_id", "asset__name")
    )
    by_person: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for person_id, name, status, asset_id, asset_name in rows:
        by_person[(person_id, name, status)].append((asset_id, asset_name))
    for (person_id, name, status), assets in by_person.items():
        yield Hit(
            objects=(_person(person_id, name), *(ObjectRef(ASSET, a, n) for a, n in assets)),
            params={
                "person": name,
                "status": bilingual_choice(PersonStatus(status)),
                "count": len(assets),
                "assets": _names([n for _, n in assets]),
            },
        )


@registry.rule("assets.grant_expired")
def grant_expired(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        ctx.narrow(
            AccessGrant.objects.filter(revoked_on__isnull=True, valid_until__lt=ctx.today),
            "person_id",
        )
        .exclude(person__status=PersonStatus.DEPARTED)
        .values("person_id", "person__name")
        .annotate(count=Count("pk"), oldest=Min("valid_until"))
        .order_by("person__name")
    )
    for row in rows:
        yield Hit(
            objects=(_person(row["person_id"], row["person__name"]),),
            params={
                "person": row["person__name"],
                "count": row["count"],
                "oldest": bilingual_date(row["oldest"]),
            },
        )


@registry.rule("assets.transfer_not_reviewed")
def transfer_not_reviewed(ctx: RuleContext) -> Iterator[Hit]:
    transfers = (
        ctx.narrow(
            LifecycleEvent.objects.filter(
                kind=EventKind.TRANSFERRED, person__status=PersonStatus.ACTIVE
            ),
            "person_id",
        )
        .values("person_id", "person__name")
        .annotate(date=Max("date"))
    )
    reviewed = dict(
        AccessReview.objects.filter(kind=ReviewKind.TRANSFER, closed_on__isnull=False)
        .values("person_id")
        .annotate(last=Max("opened_on"))
        .values_list("person_id", "last")
    )
    hits = [
        row
        for row in transfers.order_by("person__name")
        if reviewed.get(row["person_id"]) is None or reviewed[row["person_id"]] < row["date"]
    ]
    # The review the transfer opened, still open: where the fix is made.
    open_reviews = {
        person_id: (pk, title)
        for person_id, pk, title in AccessReview.objects.filter(
            kind=ReviewKind.TRANSFER,
            closed_on__isnull=True,
            person_id__in=[row["person_id"] for row in hits],
        )
        .order_by("opened_on", "pk")
        .values_list("person_id", "pk", "title")
    }
    for row in hits:
        review = open_reviews.get(row["person_id"])
        yield Hit(
            objects=(
                _person(row["person_id"], row["person__name"]),
                *((ObjectRef(REVIEW, *review),) if review else ()),
            ),
            params={"person": row["person__name"], "date": bilingual_date(row["date"])},
        )


def _secret_assets():
    return InformationAsset.objects.filter(secrecy_class__isnull=False)


@registry.rule("assets.secret_without_owner")
def secret_without_owner(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        ctx.narrow(_secret_assets())
        .filter(owner__isnull=True)
        .values_list("pk", "name", "secrecy_class__name")
    )
    for pk, name, secrecy in rows.order_by("name"):
        yield Hit(objects=(ObjectRef(ASSET, pk, name),), params={"asset": name, "secrecy": secrecy})


@registry.rule("assets.secret_without_marking")
def secret_without_marking(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        ctx.narrow(_secret_assets())
        .filter(Q(marking="") | Q(separation=""))
        .values_list("pk", "name", "secrecy_class__name")
    )
    for pk, name, secrecy in rows.order_by("name"):
        yield Hit(objects=(ObjectRef(ASSET, pk, name),), params={"asset": name, "secrecy": secrecy})


@registry.rule("assets.core_technology_unmanaged")
def core_technology_unmanaged(ctx: RuleContext) -> Iterator[Hit]:
    managed = InformationAsset.objects.filter(
        technologies=OuterRef("pk"), secrecy_class__isnull=False
    )
    rows = (
        Technology.objects.filter(category=TechnologyCategory.CORE)
        .filter(~Exists(managed))
        .values_list("pk", "name")
    )
    for pk, name in rows.order_by("name"):
        yield Hit(objects=(ObjectRef(TECHNOLOGY, pk, name),), params={"technology": name})


@registry.rule("assets.controlled_technology_to_specified_person")
def controlled_technology_to_specified_person(ctx: RuleContext) -> Iterator[Hit]:
    specified = dict(
        ctx.narrow(people_under_a_type())
        .exclude(status=PersonStatus.DEPARTED)
        .values_list("pk", "name")
    )
    controlled = controlled_technology_ids()
    if not specified or not controlled:
        return
    pairs = set(
        AccessGrant.objects.filter(
            revoked_on__isnull=True,
            person_id__in=list(specified),
            asset__technologies__in=list(controlled),
        ).values_list("person_id", "asset__technologies")
    )
    approved = set(
        DeemedExportApproval.objects.filter(approved_on__lte=ctx.today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=ctx.today))
        .values_list("person_id", "technology_id")
    )
    names = dict(Technology.objects.filter(pk__in=[t for _, t in pairs]).values_list("pk", "name"))
    for person_id, technology_id in sorted(pairs - approved):
        yield Hit(
            objects=(
                _person(person_id, specified[person_id]),
                ObjectRef(TECHNOLOGY, technology_id, names[technology_id]),
            ),
            params={"person": specified[person_id], "technology": names[technology_id]},
        )


@registry.rule("assets.whole_process_limit_exceeded")
def whole_process_limit_exceeded(ctx: RuleContext) -> Iterator[Hit]:
    limited = ctx.narrow(Technology.objects.filter(full_process_limit__isnull=False)).annotate(
        steps=Count("process_steps", distinct=True)
    )
    for technology in limited.filter(steps__gt=0):
        reach = (
            AccessGrant.objects.filter(revoked_on__isnull=True, asset__steps__technology=technology)
            .values("person")
            .annotate(steps=Count("asset__steps", distinct=True))
            .filter(steps=technology.steps)
            .count()
        )
        if reach > technology.full_process_limit:
            yield Hit(
                objects=(ObjectRef(TECHNOLOGY, technology.pk, technology.name),),
                params={
                    "technology": technology.name,
                    "count": reach,
                    "limit": technology.full_process_limit,
                },
            )


@registry.requirement("assets.has_technologies")
def has_technologies(ctx: RuleContext) -> bool:
    return Technology.objects.exists()


@registry.requirement("assets.security_technologies_classified")
def security_technologies_classified(ctx: RuleContext) -> bool:
    return not Technology.objects.filter(
        category=TechnologyCategory.SECURITY, classifications__isnull=True
    ).exists()


@registry.requirement("assets.has_managed_assets")
def has_managed_assets(ctx: RuleContext) -> bool:
    return _secret_assets().exists()


@registry.requirement("assets.has_grants")
def has_grants(ctx: RuleContext) -> bool:
    return AccessGrant.objects.filter(revoked_on__isnull=True).exists()


@registry.requirement("assets.process_steps_limited")
def process_steps_limited(ctx: RuleContext) -> bool:
    return (
        Technology.objects.filter(full_process_limit__isnull=False)
        .annotate(steps=Count("process_steps"))
        .filter(steps__gte=2)
        .exists()
    )
