"""Read-only summaries across the registers, for the dashboard and the registers page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from mamori.assets.models import AccessGrant, AccessReview, InformationAsset, Technology
from mamori.contracts.models import Contract
from mamori.contracts.rules import in_force
from mamori.disclosures.models import Disclosure, Exhibition, Sample
from mamori.findings.selectors import derived_checks
from mamori.partners.models import Counterparty
from mamori.people.models import Person, PersonStatus
from mamori.reports.models import ProgressSnapshot
from mamori.sites.models import EquipmentDispatch, OverseasSite


@dataclass(frozen=True)
class RegistersSummary:
    technologies: int
    core_technologies: int
    assets: int
    classified_assets: int
    people: dict[str, int]
    active_grants: int
    open_reviews: int
    counterparties: int
    contracts_in_force: int
    disclosures: int
    samples_out: int
    upcoming_exhibitions: int
    overseas_sites: int
    equipment_out: int

    @property
    def current_people(self) -> int:
        return self.people.get(PersonStatus.ACTIVE, 0) + self.people.get(PersonStatus.NOTIFIED, 0)


def registers_summary() -> RegistersSummary:
    """Return the size of each register (a handful of aggregate queries)."""
    today = timezone.localdate()
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
        counterparties=Counterparty.objects.count(),
        contracts_in_force=Contract.objects.filter(in_force(today)).count(),
        disclosures=Disclosure.objects.count(),
        samples_out=Sample.objects.filter(returned_on__isnull=True).count(),
        upcoming_exhibitions=Exhibition.objects.filter(ends_on__gte=today).count(),
        overseas_sites=OverseasSite.objects.count(),
        equipment_out=EquipmentDispatch.objects.filter(returned_on__isnull=True).count(),
    )


def snapshots_since(day: datetime.date) -> list[ProgressSnapshot]:
    """Return the daily progress snapshots from ``day`` on, oldest first."""
    return list(ProgressSnapshot.objects.filter(day__gte=day).order_by("day"))


def derived_row_checks() -> dict[str, bool]:
    """Return, for each checklist row the registers can prove, whether they do."""
    return {row: result.satisfied for row, result in derived_checks().items()}
