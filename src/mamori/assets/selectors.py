"""Reads of technologies, assets and grants, including need-to-know on asset details."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    AccessReviewItem,
    Decision,
    ExportClassification,
    ExportResult,
    InformationAsset,
    ProcessStep,
    Technology,
)
from mamori.people.models import Person


def can_see_asset_details(user: User, asset: InformationAsset) -> bool:
    """Return whether ``user`` may see an asset's details (need-to-know).

    The officer may; so may the asset's owner and anyone holding an active grant to it,
    through the person the user is in the register. Everyone else sees name and class.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_capability(Capability.ALL_SECRETS_VIEW):
        return True
    person = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    if person is None:
        return False
    if asset.owner_id == person:
        return True
    return AccessGrant.objects.filter(asset=asset, person_id=person, revoked_on__isnull=True).exists()


def asset_list(
    *, query: str = "", kind: str = "", secrecy_class: str = "", technology: str = "", owner: str = ""
) -> QuerySet[InformationAsset]:
    """Return assets matching the filters with class, owner and active grant count."""
    assets = InformationAsset.objects.select_related("secrecy_class", "owner").annotate(
        active_grants=Count("grants", filter=Q(grants__revoked_on__isnull=True))
    )
    if query:
        assets = assets.filter(name__icontains=query)
    if kind:
        assets = assets.filter(kind=kind)
    if secrecy_class:
        assets = assets.filter(secrecy_class_id=secrecy_class)
    if technology:
        assets = assets.filter(technologies__id=technology)
    if owner:
        assets = assets.filter(owner_id=owner)
    return assets.order_by("name", "pk")


def technology_list(*, query: str = "", category: str = "") -> QuerySet[Technology]:
    latest = ExportClassification.objects.filter(technology=OuterRef("pk")).order_by(
        "-judged_on", "-pk"
    )
    technologies = (
        Technology.objects.select_related("owner")
        .annotate(asset_count=Count("assets", distinct=True))
        .annotate(
            classified_controlled=Exists(latest[:1].filter(result=ExportResult.CONTROLLED)),
            classified=Exists(latest[:1]),
        )
    )
    if query:
        technologies = technologies.filter(name__icontains=query)
    if category:
        technologies = technologies.filter(category=category)
    return technologies.order_by("name", "pk")


def current_classification(technology: Technology) -> ExportClassification | None:
    return technology.classifications.order_by("-judged_on", "-pk").first()


def grants_of_person(person: Person, *, active_only: bool = False) -> QuerySet[AccessGrant]:
    grants = AccessGrant.objects.filter(person=person).select_related(
        "asset", "asset__secrecy_class", "granted_by", "revoked_by"
    )
    if active_only:
        grants = grants.filter(revoked_on__isnull=True)
    return grants.order_by("revoked_on", "asset__name", "pk")


def grants_of_asset(asset: InformationAsset) -> QuerySet[AccessGrant]:
    return (
        AccessGrant.objects.filter(asset=asset)
        .select_related("person", "person__department", "granted_by")
        .order_by("revoked_on", "person__name", "pk")
    )


def controlled_technology_ids() -> set[int]:
    """Return the technologies whose classification in force is 該当 (controlled)."""
    latest = ExportClassification.objects.filter(technology=OuterRef("technology")).order_by(
        "-judged_on", "-pk"
    )
    rows = ExportClassification.objects.filter(
        pk=latest.values("pk")[:1], result=ExportResult.CONTROLLED
    )
    return set(rows.values_list("technology_id", flat=True))


def full_process_people(technology: Technology) -> QuerySet[Person]:
    """Return the people who can reach every step of the technology's process.

    A person reaches a step when they hold an active grant to any asset of that step.
    """
    steps = ProcessStep.objects.filter(technology=technology).count()
    if steps == 0:
        return Person.objects.none()
    reach = (
        AccessGrant.objects.filter(revoked_on__isnull=True, asset__steps__technology=technology)
        .values("person")
        .annotate(steps=Count("asset__steps", distinct=True))
        .filter(steps=steps)
        .values("person")
    )
    return Person.objects.filter(pk__in=reach).select_related("department")


def process_steps(technology: Technology) -> QuerySet[ProcessStep]:
    return technology.process_steps.prefetch_related(
        Prefetch("assets", queryset=InformationAsset.objects.select_related("secrecy_class"))
    ).order_by("order")


def reviews_open() -> QuerySet[AccessReview]:
    return (
        AccessReview.objects.filter(closed_on__isnull=True)
        .select_related("person")
        .annotate(pending=Count("items", filter=Q(items__decision=Decision.PENDING)))
        .order_by("due_on", "opened_on", "pk")
    )


def review_items(review: AccessReview) -> QuerySet[AccessReviewItem]:
    return review.items.select_related(
        "grant", "grant__person", "grant__asset", "grant__asset__secrecy_class", "decided_by"
    ).order_by("grant__person__name", "grant__asset__name", "pk")
