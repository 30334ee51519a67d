"""Contracts with their clauses, scope and staged provision plan."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mamori.accounts.roles import Capability
from mamori.api.base import Creates, RegisterDetailView, RegisterListView, Updates
from mamori.api.filters import Filter
from mamori.api.serializers import contracts as s
from mamori.assets.models import InformationAsset
from mamori.contracts import services
from mamori.contracts.models import Contract, ContractKind, ProvisionStage, Renewal
from mamori.contracts.selectors import ContractStatus, status_filter
from mamori.core.errors import ApplicationError
from mamori.partners.models import Counterparty


def _status(rows: QuerySet, value: str) -> QuerySet:
    return rows.filter(status_filter(value, timezone.localdate()))


def _save(contract: Contract | None, data: dict[str, Any]) -> Contract:
    clauses = data.pop("clauses", None)
    contract = services.contract_save(contract=contract, **data)
    if clauses is not None:
        try:
            services.contract_set_clauses(contract=contract, clauses=clauses)
        except ApplicationError as exc:
            raise ApplicationError(exc.message, field=exc.field or "clauses") from exc
    return contract


class _Contracts:
    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.ContractSerializer
    write_serializer_class = s.ContractWriteSerializer

    queryset = (
        Contract.objects.select_related("counterparty")
        .prefetch_related(
            Prefetch("other_parties", Counterparty.objects.order_by("name", "pk")),
            Prefetch("scope", InformationAsset.objects.only("pk", "name").order_by("name")),
            "clauses",
        )
        .order_by("-signed_on", "title", "pk")
    )


class ContractList(_Contracts, Creates, RegisterListView):
    """Contracts that carry technical information, with the clauses they hold. POST adds
    one; ``clauses`` (``{clause id: article}``) records the clauses it holds."""

    filters = (
        Filter.choice("kind", ContractKind),
        Filter.ref("counterparty"),
        Filter.custom(
            "status", _status, choices=ContractStatus, description="where the contract stands today"
        ),
        Filter.choice("renewal", Renewal),
        Filter.ref("asset", "scope__id", description="id of an asset in its scope"),
    )
    search = ("title__icontains", "counterparty__name__icontains")

    def create(self, data: dict[str, Any]) -> Contract:
        return _save(None, data)


class ContractDetail(_Contracts, Updates, RegisterDetailView):
    """A contract with its staged provision plan."""

    serializer_class = s.ContractDetailSerializer

    def get_queryset(self) -> QuerySet[Contract]:
        stages = ProvisionStage.objects.prefetch_related(
            Prefetch("assets", InformationAsset.objects.only("pk", "name").order_by("name"))
        ).order_by("order")
        return super().get_queryset().prefetch_related(Prefetch("stages", stages))

    def update(self, instance: Contract, data: dict[str, Any]) -> Contract:
        return _save(instance, data)
