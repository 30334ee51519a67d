"""Read-only summaries across the registers, for the dashboard and the registers page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from mamori.assets.models import AccessGrant, AccessReview, InformationAsset, Technology
from mamori.people.models import Person, PersonStatus


@dataclass(frozen=True)
class RegistersSummary:
    technologies: int
    core_technologies: int
    assets: int
    classified_assets: int
    people: dict[str, int]
    active_grants: int
    open_reviews: int

    @property
    def current_people(self) -> int:
        return self.people.get(PersonStatus.ACTIVE, 0) + self.people.get(PersonStatus.NOTIFIED, 0)


def registers_summary() -> RegistersSummary:
    """Return the size of each register (a handful of aggregate queries)."""
    technologies = Technology.objects.aggregate(
        total=Count("pk"), core=Count("pk", filter=Q(category="core"))
    )
    assets = InformationAsset.objects.aggregate(
        total=Count("pk"), classified=Count("pk", filter=Q(secrecy_class__isnull=False))
    )
    people = dict(Person.objects.values_list("status").annotate(total=Count("pk")))
    return RegistersSummary(
        technologies=technologies["total"],
        core_technologies=technologies["core"],
        assets=assets["total"],
        classified_assets=assets["classified"],
        people=people,
        active_grants=AccessGrant.objects.filter(revoked_on__isnull=True).count(),
        open_reviews=AccessReview.objects.filter(closed_on__isnull=True).count(),
    )
