"""Reads for the departure checklist: what is done and what is still outstanding."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import AccessGrant, AccessReview, ReviewKind
from mamori.lifecycle.models import Departure, RetentionOption
from mamori.people.models import Person, PersonStatus, Pledge, PledgeKind

# Leavers stay on the departures list this long after their last day, so that access
# left behind or a missing pledge is still noticed.
RECENT_DAYS = 90


@dataclass(frozen=True)
class Outstanding:
    """What a departure still lacks; every field is ``True`` while it is outstanding."""

    active_grants: int
    pledge_unsigned: bool
    briefing: bool
    devices: bool
    documents: bool
    samples: bool
    retention: bool
    not_departed: bool

    @property
    def returns(self) -> bool:
        return self.devices or self.documents or self.samples

    @property
    def steps(self) -> list[str]:
        """Return the outstanding steps besides access and the pledge, as short labels."""
        labels = (
            (self.briefing, _("exit briefing")),
            (self.devices, _("devices")),
            (self.documents, _("documents")),
            (self.samples, _("samples")),
            (self.retention, _("retention step")),
        )
        return [str(label) for missing, label in labels if missing]

    @property
    def count(self) -> int:
        return sum(
            (
                self.active_grants > 0,
                self.pledge_unsigned,
                self.briefing,
                self.devices,
                self.documents,
                self.samples,
                self.retention,
            )
        )


def outstanding(
    *, person: Person, departure: Departure | None, active_grants: int, pledge_signed: bool
) -> Outstanding:
    """Return what is still to be done for a leaver (no queries)."""
    missing = departure is None
    return Outstanding(
        active_grants=active_grants,
        pledge_unsigned=not pledge_signed,
        briefing=missing or departure.exit_briefing_on is None,
        devices=missing or departure.devices_returned_on is None,
        documents=missing or departure.documents_returned_on is None,
        samples=missing or departure.samples_returned_on is None,
        retention=person.is_key_engineer
        and (missing or departure.retention_option == RetentionOption.NONE),
        not_departed=person.status != PersonStatus.DEPARTED,
    )


def _signed_exit_pledge():
    return Pledge.objects.filter(
        person=OuterRef("pk"), kind=PledgeKind.LEAVING, signed_on__isnull=False
    )


def _active_grant_count():
    return Subquery(
        AccessGrant.objects.filter(person=OuterRef("pk"), revoked_on__isnull=True)
        .order_by()
        .values("person")
        .annotate(total=Count("pk"))
        .values("total")[:1],
        output_field=IntegerField(),
    )


def departure_list(*, today: datetime.date, status: str = "", query: str = "") -> QuerySet[Person]:
    """Return people who gave notice, or left in the last ``RECENT_DAYS`` days.

    Each person comes with their department and departure (if any), ``active_grants``
    and ``pledge_signed``: one query whatever the number of people or grants.
    """
    recent = today - datetime.timedelta(days=RECENT_DAYS)
    people = Person.objects.filter(
        Q(status=PersonStatus.NOTIFIED) | Q(status=PersonStatus.DEPARTED, departed_on__gte=recent)
    )
    if status in (PersonStatus.NOTIFIED, PersonStatus.DEPARTED):
        people = people.filter(status=status)
    if query:
        people = people.filter(
            Q(name__icontains=query) | Q(name_kana__icontains=query) | Q(employee_number=query)
        )
    return (
        people.select_related("department", "departure")
        .annotate(
            active_grants=Coalesce(_active_grant_count(), 0),
            pledge_signed=Exists(_signed_exit_pledge()),
        )
        # Leaving ("notified") before gone ("departed"), soonest last day first.
        .order_by("-status", "departure__last_day", "name", "pk")
    )


def departure_of(person: Person) -> Departure | None:
    return Departure.objects.filter(person=person).first()


def exit_pledges(person: Person) -> QuerySet[Pledge]:
    """Return the person's exit pledges, newest first."""
    return Pledge.objects.filter(person=person, kind=PledgeKind.LEAVING).order_by(
        "-requested_on", "-pk"
    )


def departure_review(person: Person) -> AccessReview | None:
    """Return the access review opened on the person's departure notice (newest)."""
    return (
        AccessReview.objects.filter(person=person, kind=ReviewKind.DEPARTURE)
        .order_by("-opened_on", "-pk")
        .first()
    )
