"""The disclosure ledger, samples lent out and exhibitions."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mamori.accounts.roles import Capability
from mamori.api.base import Creates, RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import disclosures as s
from mamori.assets.models import InformationAsset
from mamori.core.errors import NotPermitted
from mamori.disclosures.models import (
    Disclosure,
    Exhibition,
    ExhibitionContact,
    Method,
    Sample,
)
from mamori.disclosures.selectors import SAMPLE_STATUSES, sample_register
from mamori.disclosures.services import ledger
from mamori.people.models import Person

UPCOMING, PAST = "upcoming", "past"


class _Disclosures:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.DisclosureSerializer

    queryset = (
        Disclosure.objects.select_related(
            "counterparty", "contract", "disclosed_by", "provision_stage", "override_by"
        )
        .prefetch_related(
            Prefetch("assets", InformationAsset.objects.only("pk", "name").order_by("name"))
        )
        .order_by("-disclosed_on", "-pk")
    )


class DisclosureList(_Disclosures, Creates, RegisterListView):
    """What information went to whom, when, how and under which contract. POST records
    one through the ledger's checks (409 with the warnings to confirm first)."""

    write_capability = Capability.REGISTERS_EDIT
    write_serializer_class = s.DisclosureWriteSerializer

    filters = (
        Filter.ref("counterparty"),
        Filter.ref("contract"),
        Filter.ref("asset", "assets__id", description="id of an asset it gave"),
        Filter.choice("method", Method),
        Filter.flag("codenamed"),
        Filter.flag("without_contract", "contract__isnull", description="under no contract"),
        Filter.date_from("disclosed_from", "disclosed_on"),
        Filter.date_to("disclosed_to", "disclosed_on"),
    )
    search = ("purpose__icontains", "counterparty__name__icontains")

    def create(self, data: dict[str, Any]) -> Disclosure:
        override_reason = data.pop("override_reason", "")
        if override_reason and not self.request.user.has_capability(Capability.COMPANY_MANAGE):
            raise NotPermitted(str(ledger.OVERRIDE_NOT_PERMITTED))
        return ledger.disclosure_record(
            user=self.request.user, override_reason=override_reason, **data
        )


class DisclosureDetail(_Disclosures, RegisterDetailView):
    write_capability = None


def _sample_status(rows: QuerySet, value: str) -> QuerySet:
    matching = sample_register(today=timezone.localdate(), status=value)
    return rows.filter(pk__in=matching.order_by().values("pk"))


class _Samples:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.SampleSerializer

    queryset = Sample.objects.select_related("counterparty", "contract", "asset").order_by(
        "-lent_on", "-pk"
    )


class SampleList(_Samples, RegisterListView):
    filters = (
        Filter.ref("counterparty"),
        Filter.custom("status", _sample_status, choices=SAMPLE_STATUSES),
        Filter.flag("reverse_engineering_signs"),
    )
    search = ("description__icontains", "counterparty__name__icontains")


class SampleDetail(_Samples, RegisterDetailView):
    pass


def _exhibition_status(rows: QuerySet, value: str) -> QuerySet:
    today = timezone.localdate()
    return rows.filter(ends_on__gte=today) if value == UPCOMING else rows.filter(ends_on__lt=today)


class _Exhibitions:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.ExhibitionSerializer

    queryset = (
        Exhibition.objects.select_related("scope_approved_by", "escalation_contact")
        .prefetch_related(
            Prefetch("staff", Person.objects.order_by("name", "pk")),
            Prefetch("contacts", ExhibitionContact.objects.select_related("recorded_by")),
        )
        .order_by("-starts_on", "-pk")
    )


class ExhibitionList(_Exhibitions, RegisterListView):
    """Exhibitions with what may and may not be said, the staff and approaches logged."""

    filters = (
        Filter.custom("status", _exhibition_status, choices=(UPCOMING, PAST)),
        Filter("country", lookup="country", description="two-letter country code"),
        Filter.custom(
            "approved",
            lambda rows, value: rows.filter(scope_approved_on__isnull=not value),
            kind="boolean",
            description="what may be said was approved",
        ),
    )
    search = ("name__icontains", "venue__icontains")


class ExhibitionDetail(_Exhibitions, RegisterDetailView):
    pass
