"""Reads of technologies, assets and grants, including need-to-know on asset details."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    AccessReviewItem,
    Decision,
    DeemedExportApproval,
    ExportClassification,
    ExportResult,
    InformationAsset,
    ProcessStep,
    SecrecyClass,
    Technology,
)
from mamori.core.selectors import filter_given
from mamori.people.models import Person


def grants_in_force(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Return the condition of a grant that gives access on ``on`` (today by default).

    A grant counts from ``valid_from`` to ``valid_until`` (both days included) and no
    longer from the day it is revoked. ``prefix`` is the path to the grant from the model
    filtered (``"grants__"`` for assets).
    """
    on = on or timezone.localdate()
    return (
        Q(**{f"{prefix}valid_from__lte": on})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on}))
        & (Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on}))
    )


def assets_with_details(user: User | None, *, on: datetime.date | None = None) -> set[int] | None:
    """Return the ids of the assets whose details ``user`` may see, ``None`` for all.

    This is mamori's one need-to-know rule; every page, API endpoint, export, report,
    digest, import and the audit log ask it (directly or through
    ``mamori.core.access``). The officer (and the command line, ``user`` None) sees
    every asset's details; others see the assets they own and those they hold a grant in
    force to (``grants_in_force``: started, not ended, not revoked), through the person
    they are in the register. A deactivated or anonymous user sees none.
    """
    if user is None:
        return None
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.has_capability(Capability.ALL_SECRETS_VIEW):
        return None
    person = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    if person is None:
        return set()
    granted = AccessGrant.objects.filter(grants_in_force(on), person_id=person).values("asset")
    return set(
        InformationAsset.objects.filter(Q(owner_id=person) | Q(pk__in=granted)).values_list(
            "pk", flat=True
        )
    )


def can_see_asset_details(
    user: User | None, asset: InformationAsset, *, on: datetime.date | None = None
) -> bool:
    """Return whether ``user`` may see an asset's details (need-to-know).

    The same rule as ``assets_with_details``, for one asset: the officer may; so may the
    asset's owner and anyone holding a grant in force to it, through the person the user
    is in the register. Everyone else sees name and class.
    """
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_capability(Capability.ALL_SECRETS_VIEW):
        return True
    person = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    if person is None:
        return False
    if asset.owner_id == person:
        return True
    return AccessGrant.objects.filter(grants_in_force(on), asset=asset, person_id=person).exists()


def grant_may_decide(user: User | None, asset: InformationAsset) -> bool:
    """Return whether ``user`` may grant access to ``asset`` without asking, and decide
    others' requests for it: the officer, or the asset's owner (through the person the
    user is in the register)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_capability(Capability.COMPANY_MANAGE):
        return True
    return asset.owner_id is not None and asset.owner.user_id == user.pk


def _count_of(rows: QuerySet, group: str) -> Subquery:
    """Return a correlated subquery counting ``rows`` (already filtered on ``OuterRef``)."""
    counted = rows.order_by().values(group).annotate(total=Count("pk")).values("total")
    return Subquery(counted[:1], output_field=IntegerField())


def technology_list(*, query: str = "", category: str = "") -> QuerySet[Technology]:
    latest = ExportClassification.objects.filter(technology=OuterRef("pk")).order_by(
        "-judged_on", "-pk"
    )
    # The classification in force is the newest one: compare its result, not whether any
    # controlled one exists (a later 非該当 replaces an earlier 該当).
    # Counted per row with a subquery on the link table: a join and GROUP BY over every
    # asset would make the page as slow as the register is large.
    links = Technology.assets.through.objects.filter(technology_id=OuterRef("pk"))
    technologies = (
        Technology.objects.select_related("owner")
        .annotate(
            asset_count=Coalesce(_count_of(links, "technology_id"), 0),
            current_result=Subquery(latest.values("result")[:1]),
        )
        .annotate(
            classified_controlled=Case(
                When(current_result=ExportResult.CONTROLLED, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            classified=Exists(latest),
        )
    )
    technologies = filter_given(technologies, name__icontains=query, category=category)
    return technologies.order_by("name", "pk")


def current_classification(technology: Technology) -> ExportClassification | None:
    return technology.classifications.order_by("-judged_on", "-pk").first()


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
        .annotate(
            pending=Coalesce(
                _count_of(
                    AccessReviewItem.objects.filter(
                        review=OuterRef("pk"), decision=Decision.PENDING
                    ),
                    "review_id",
                ),
                0,
            )
        )
        .order_by("due_on", "opened_on", "pk")
    )


def review_items(review: AccessReview) -> QuerySet[AccessReviewItem]:
    return review.items.select_related(
        "grant", "grant__person", "grant__asset", "grant__asset__secrecy_class", "decided_by"
    ).order_by("grant__person__name", "grant__asset__name", "pk")


# --- pages of the registers ----------------------------------------------------------------


LIST_FIELDS = (
    "pk",
    "name",
    "kind",
    "secrecy_class",
    "secrecy_class__name",
    "secrecy_class__rank",
    "owner",
    "owner__name",
)


def asset_filter(
    *,
    query: str = "",
    kind: str = "",
    secrecy_class: str = "",
    technology: str = "",
    owner: str = "",
) -> QuerySet[InformationAsset]:
    """Return assets matching the filters with class and owner, without grant counts.

    For paged lists: count the page's grants with ``active_grant_counts``, so that the
    database never joins every asset to every grant.
    """
    # The details are need-to-know: a list never loads them.
    assets = InformationAsset.objects.select_related("secrecy_class", "owner").only(*LIST_FIELDS)
    assets = filter_given(assets, name__icontains=query, kind=kind)
    if secrecy_class == "none":
        assets = assets.filter(secrecy_class__isnull=True)
    elif secrecy_class:
        assets = assets.filter(secrecy_class_id=secrecy_class)
    assets = filter_given(assets, technologies__id=technology, owner_id=owner)
    return assets.order_by("name", "pk")


def active_grant_counts(asset_ids: list[int]) -> dict[int, int]:
    """Return the number of active grants of each asset (one query)."""
    rows = (
        AccessGrant.objects.filter(asset_id__in=asset_ids, revoked_on__isnull=True)
        .values("asset_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {row["asset_id"]: row["total"] for row in rows}


def asset_owners() -> QuerySet[Person]:
    """Return the people who own at least one asset (for the owner filter)."""
    owns = InformationAsset.objects.filter(owner=OuterRef("pk"))
    return Person.objects.filter(Exists(owns)).only("pk", "name").order_by("name", "pk")


def technology_choices() -> QuerySet[Technology]:
    return Technology.objects.only("pk", "name").order_by("name", "pk")


def secrecy_classes() -> QuerySet[SecrecyClass]:
    """Return the secrecy classes, highest first, with the number of assets in each."""
    return SecrecyClass.objects.annotate(asset_count=Count("assets")).order_by("rank")


def asset_technologies(asset: InformationAsset) -> QuerySet[Technology]:
    return asset.technologies.only("pk", "name", "category").order_by("name", "pk")


def assets_of_technology(technology: Technology) -> QuerySet[InformationAsset]:
    return (
        InformationAsset.objects.filter(technologies=technology)
        .select_related("secrecy_class", "owner")
        .only(*LIST_FIELDS)
        .order_by(F("secrecy_class__rank").asc(nulls_last=True), "name", "pk")
    )


def classifications_of(technology: Technology) -> QuerySet[ExportClassification]:
    """Return a technology's 該非判定 records, the one in force first."""
    return technology.classifications.order_by("-judged_on", "-pk")


def approvals_of(technology: Technology) -> QuerySet[DeemedExportApproval]:
    return technology.deemed_export_approvals.select_related("person").order_by(
        "-approved_on", "-pk"
    )


def step_asset_choices(
    technology: Technology, step: ProcessStep | None = None
) -> QuerySet[InformationAsset]:
    """Return the assets a step may name: the technology's assets and the step's own."""
    chosen = Q(technologies=technology)
    if step is not None and step.pk:
        chosen |= Q(steps=step)
    return (
        InformationAsset.objects.filter(chosen)
        .select_related("secrecy_class")
        .distinct()
        .order_by("name", "pk")
    )


def reviews_recently_closed(limit: int = 20) -> QuerySet[AccessReview]:
    return (
        AccessReview.objects.filter(closed_on__isnull=False)
        .select_related("person")
        .order_by("-closed_on", "-pk")[:limit]
    )


@dataclass(frozen=True)
class ReviewScope:
    """Whose review items a user may see and decide.

    The officer decides every item; an asset's owner decides the items of their assets.
    Users who may read the programme see every item; others only the items they decide.
    """

    decides_all: bool
    sees_all: bool
    person_id: int | None

    def can_decide(self, item: AccessReviewItem) -> bool:
        if self.decides_all:
            return True
        return self.person_id is not None and item.grant.asset.owner_id == self.person_id

    def items(self, items: QuerySet[AccessReviewItem]) -> QuerySet[AccessReviewItem]:
        if self.sees_all:
            return items
        if self.person_id is None:
            return items.none()
        return items.filter(grant__asset__owner_id=self.person_id)

    def reviews(self, reviews: QuerySet[AccessReview]) -> QuerySet[AccessReview]:
        if self.sees_all:
            return reviews
        if self.person_id is None:
            return reviews.none()
        return reviews.filter(items__grant__asset__owner_id=self.person_id).distinct()


def review_scope(user: User) -> ReviewScope:
    """Return what ``user`` may see and decide in access reviews (one query at most)."""
    person = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    return ReviewScope(
        decides_all=user.has_capability(Capability.COMPANY_MANAGE),
        sees_all=user.has_capability(Capability.PROGRAMME_VIEW),
        person_id=person,
    )


def can_decide_review_item(user: User, item: AccessReviewItem) -> bool:
    """Return whether ``user`` may confirm or revoke ``item``: the officer or the asset's owner."""
    return review_scope(user).can_decide(item)


# Above this many items a review's page lists them in the order they were opened: sorting
# hundreds of thousands of items by name for every page would make the page slow.
REVIEW_SORT_LIMIT = 2000


def review_items_filtered(
    review: AccessReview, *, pending_only: bool = False, by_name: bool = True
) -> QuerySet[AccessReviewItem]:
    """Return a review's items (pending ones only, if asked), by person and asset name or,
    with ``by_name=False``, in the order they were opened."""
    items = review_items(review)
    if pending_only:
        items = items.filter(decision=Decision.PENDING)
    return items if by_name else items.order_by("pk")


def review_counts(review: AccessReview) -> dict[str, int]:
    """Return the number of items of a review per decision (one pass, no grouping)."""
    return review.items.aggregate(
        **{decision.value: Count("pk", filter=Q(decision=decision.value)) for decision in Decision}
    )


def technology_detail(pk: int) -> Technology | None:
    return Technology.objects.select_related("owner").filter(pk=pk).first()


def process_step_detail(pk: int) -> ProcessStep | None:
    return ProcessStep.objects.select_related("technology").filter(pk=pk).first()
