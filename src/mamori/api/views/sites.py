"""Overseas sites with their audits, and equipment sent out for maintenance."""

from __future__ import annotations

from django.db.models import Prefetch

from mamori.accounts.roles import Capability
from mamori.api.base import RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import sites as s
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteAudit, SiteKind


class _Sites:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.SiteSerializer

    queryset = (
        OverseasSite.objects.select_related("operator")
        .prefetch_related(Prefetch("audits", SiteAudit.objects.order_by("-audited_on", "-pk")))
        .order_by("country", "name", "pk")
    )


class SiteList(_Sites, RegisterListView):
    filters = (
        Filter.choice("kind", SiteKind),
        Filter("country", lookup="country", description="two-letter country code"),
        Filter.ref("operator"),
        Filter.flag("handles_core_technology"),
    )
    search = ("name__icontains", "advisor__icontains")


class SiteDetail(_Sites, RegisterDetailView):
    pass


class _Equipment:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.EquipmentSerializer

    queryset = EquipmentDispatch.objects.select_related("sent_to").order_by("-sent_on", "-pk")


class EquipmentList(_Equipment, RegisterListView):
    filters = (
        Filter.ref("sent_to"),
        Filter.custom(
            "returned",
            lambda rows, value: rows.filter(returned_on__isnull=not value),
            kind="boolean",
            description="back (true) or still out (false)",
        ),
        Filter.flag("customisations_reverted"),
    )
    search = ("equipment__icontains", "sent_to__name__icontains")


class EquipmentDetail(_Equipment, RegisterDetailView):
    pass
