"""Counterparties (with shareholders, members, capital changes and due diligence) and
joint-research themes."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from mamori.accounts.roles import Capability
from mamori.api.base import Creates, RegisterDetailView, RegisterListView, Updates
from mamori.api.filters import Filter
from mamori.api.serializers import partners as s
from mamori.partners import services
from mamori.partners.models import (
    Counterparty,
    CounterpartyKind,
    DueDiligence,
    ResearchTheme,
    Risk,
    ThemeDecision,
)


def _foreign(rows: QuerySet, value: bool) -> QuerySet:
    return rows.exclude(country="JP") if value else rows.filter(country="JP")


class CounterpartyList(Creates, RegisterListView):
    """Universities, partners, manufacturers, licensees, suppliers, customers, investors…
    POST adds one (screened against the end-user list when one is imported)."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.CounterpartySerializer
    write_serializer_class = s.CounterpartyWriteSerializer
    filters = (
        Filter.choice("kind", CounterpartyKind),
        Filter("country", lookup="country", description="two-letter country code, e.g. JP"),
        Filter.custom("foreign", _foreign, kind="boolean", description="outside Japan"),
    )
    search = ("name__icontains", "corporate_number__iexact")

    queryset = Counterparty.objects.order_by("name", "pk")

    def create(self, data: dict[str, Any]) -> Counterparty:
        return services.counterparty_save(**data)


class CounterpartyDetail(Updates, RegisterDetailView):
    """A counterparty with its shareholders, the members who handle our information,
    capital changes and due-diligence reviews (with their answers)."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.CounterpartyDetailSerializer
    write_serializer_class = s.CounterpartyWriteSerializer

    queryset = Counterparty.objects.prefetch_related(
        "shareholders",
        "members",
        "capital_changes",
        Prefetch(
            "due_diligences",
            DueDiligence.objects.select_related("approved_by").prefetch_related("answers"),
        ),
    )

    def update(self, instance: Counterparty, data: dict[str, Any]) -> Counterparty:
        return services.counterparty_save(counterparty=instance, **data)


class _Themes:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.ThemeSerializer

    queryset = (
        ResearchTheme.objects.select_related("counterparty")
        .prefetch_related("technologies")
        .order_by("title", "pk")
    )


class ThemeList(_Themes, RegisterListView):
    filters = (
        Filter.ref("counterparty"),
        Filter.choice("decision", ThemeDecision),
        Filter.choice("risk", Risk),
        Filter.choice("reputational_risk", Risk),
        Filter.choice("foreign_law_risk", Risk),
        Filter.ref("technology", "technologies__id"),
    )
    search = ("title__icontains", "counterparty__name__icontains")


class ThemeDetail(_Themes, RegisterDetailView):
    pass
