"""Incidents (the officer's alone; each read of one is audited) and concerns reported."""

from __future__ import annotations

from typing import Any

from django.db.models import Min, Prefetch, QuerySet

from mamori.accounts.roles import Capability
from mamori.api.base import Creates, RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import incidents as s
from mamori.incidents import selectors, services
from mamori.incidents.models import ConcernKind, ConcernReport, Incident, IncidentKind
from mamori.people.models import Person


class _Incidents:
    capability = Capability.INCIDENTS_MANAGE

    queryset = Incident.objects.annotate(first_containment=Min("containment__done_on")).order_by(
        "-found_on", "-pk"
    )


class IncidentList(_Incidents, RegisterListView):
    """The incidents by number, kind and dates; the details are on each incident."""

    serializer_class = s.IncidentSummarySerializer
    filters = (
        Filter.choice("kind", IncidentKind),
        Filter.custom(
            "open",
            lambda rows, value: rows.filter(closed_on__isnull=value),
            kind="boolean",
            description="open (true) or closed (false)",
        ),
    )


class IncidentDetail(_Incidents, RegisterDetailView):
    """An incident with its evidence, containment, consultations and responses."""

    serializer_class = s.IncidentSerializer

    def get_queryset(self) -> QuerySet[Incident]:
        return (
            super()
            .get_queryset()
            .select_related("counterparty")
            .prefetch_related(
                Prefetch("persons", Person.objects.order_by("name", "pk")),
                "assets",
                "evidence",
                "containment",
                "consultations",
                "responses",
            )
        )


class ConcernQueue(RegisterListView):
    """Every concern reported: the officer's queue."""

    capability = Capability.INCIDENTS_MANAGE
    serializer_class = s.ConcernSerializer
    filters = (Filter.choice("kind", ConcernKind),)

    def get_queryset(self) -> QuerySet[ConcernReport]:
        return selectors.concern_queue()


class MyConcerns(Creates, RegisterListView):
    """The concerns the user reported (only theirs). POST reports one to the officer."""

    capability = Capability.SELF_SERVICE
    write_capability = Capability.SELF_SERVICE
    serializer_class = s.MyConcernSerializer
    write_serializer_class = s.ConcernWriteSerializer

    def get_queryset(self) -> QuerySet[ConcernReport]:
        if getattr(self, "swagger_fake_view", False):
            return ConcernReport.objects.none()
        return selectors.concerns_of(self.request.user)

    def create(self, data: dict[str, Any]) -> ConcernReport:
        return services.concern_report(reported_by=self.request.user, **data)
