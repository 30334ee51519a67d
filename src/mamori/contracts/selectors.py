"""Reads of contracts: lists with filters, status, clause checklists and provision plans."""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.catalog.schema import Clause
from mamori.catalog.selectors import get_catalog
from mamori.contracts.models import (
    Contract,
    ContractClause,
    ContractFile,
    ContractKind,
    ProvisionStage,
    Renewal,
)
from mamori.contracts.rules import in_force
from mamori.partners.models import Counterparty

EXPIRING_DAYS = 60
# A select offers at most this many assets; a search narrows the rest.
CHOICE_LIMIT = 200


class ContractStatus(models.TextChoices):
    NOT_SIGNED = "not_signed", _("Not signed")
    NOT_STARTED = "not_started", _("Not started yet")
    IN_FORCE = "in_force", _("In force")
    EXPIRING = "expiring", _("Ends within 60 days")
    ENDED = "ended", _("Ended")


def contract_status(contract: Contract, today: datetime.date) -> str:
    """Return the contract's ``ContractStatus`` on ``today``."""
    if contract.signed_on is None or contract.signed_on > today:
        return ContractStatus.NOT_SIGNED
    if contract.starts_on and contract.starts_on > today:
        return ContractStatus.NOT_STARTED
    if contract.renewal == Renewal.AUTOMATIC or contract.ends_on is None:
        return ContractStatus.IN_FORCE
    if contract.ends_on < today:
        return ContractStatus.ENDED
    if contract.ends_on <= today + datetime.timedelta(days=EXPIRING_DAYS):
        return ContractStatus.EXPIRING
    return ContractStatus.IN_FORCE


def status_filter(status: str, today: datetime.date) -> Q:
    """Return the condition for the list filter ``status`` (in force includes expiring)."""
    if status == ContractStatus.IN_FORCE:
        return in_force(today)
    if status == ContractStatus.EXPIRING:
        horizon = today + datetime.timedelta(days=EXPIRING_DAYS)
        return (
            in_force(today)
            & Q(ends_on__isnull=False, ends_on__lte=horizon)
            & ~Q(renewal=Renewal.AUTOMATIC)
        )
    if status == ContractStatus.ENDED:
        return Q(signed_on__isnull=False, ends_on__lt=today) & ~Q(renewal=Renewal.AUTOMATIC)
    if status == ContractStatus.NOT_SIGNED:
        return Q(signed_on__isnull=True) | Q(signed_on__gt=today)
    return Q()


def required_clause_ids() -> dict[str, list[str]]:
    """Return the required catalog clause ids of each contract kind."""
    catalog = get_catalog()
    return {kind: [c.id for c in catalog.required_clauses(kind)] for kind in ContractKind.values}


def missing_clause_counts(contract_ids: list[int]) -> dict[int, int]:
    """Return how many required clauses each of the given contracts lacks (one query).

    Meant for a page of contracts: the count is computed for those rows only.
    """
    required = required_clause_ids()
    if not contract_ids:
        return {}
    held: dict[int, int] = {}
    rows = (
        Contract.objects.filter(pk__in=contract_ids)
        .values_list("pk", "kind")
        .annotate(
            held=Count(
                "clauses",
                filter=reduce(
                    operator.or_,
                    (
                        Q(kind=kind, clauses__clause__in=ids)
                        for kind, ids in required.items()
                        if ids
                    ),
                ),
                distinct=True,
            )
        )
    )
    for pk, kind, count in rows:
        held[pk] = len(required.get(kind, [])) - count
    return held


def contracts_missing_clauses() -> Q:
    """A condition: the contract lacks a clause its kind requires.

    Built from one NOT EXISTS per (kind, required clause), each answered by the index on
    the contract's clauses, so that filtering 20,000 contracts stays fast.
    """
    conditions = [
        Q(kind=kind)
        & ~Q(Exists(ContractClause.objects.filter(contract=OuterRef("pk"), clause=clause_id)))
        for kind, ids in required_clause_ids().items()
        for clause_id in ids
    ]
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def contract_list(
    *,
    today: datetime.date,
    kind: str = "",
    counterparty: int | None = None,
    status: str = "",
    missing_only: bool = False,
    query: str = "",
) -> QuerySet[Contract]:
    """Return the contracts matching the list's filters, newest signature first."""
    contracts = Contract.objects.select_related("counterparty")
    if kind:
        contracts = contracts.filter(kind=kind)
    if counterparty:
        contracts = contracts.filter(
            Q(counterparty_id=counterparty)
            | Q(
                pk__in=Contract.other_parties.through.objects.filter(
                    counterparty_id=counterparty
                ).values("contract_id")
            )
        )
    if status:
        contracts = contracts.filter(status_filter(status, today))
    if query:
        contracts = contracts.filter(Q(title__icontains=query) | Q(scope_note__icontains=query))
    if missing_only:
        contracts = contracts.filter(contracts_missing_clauses())
    return contracts.order_by(F("signed_on").desc(nulls_first=True), "title", "pk")


def contract_detail(pk: int) -> Contract | None:
    """Return the contract ``pk`` with its counterparty, or ``None``."""
    return Contract.objects.select_related("counterparty").filter(pk=pk).first()


def contracts_of_counterparty(counterparty: Counterparty) -> QuerySet[Contract]:
    """Return the contracts the counterparty is a party to, newest signature first."""
    return (
        Contract.objects.filter(Q(counterparty=counterparty) | Q(other_parties=counterparty))
        .distinct()
        .select_related("counterparty")
        .order_by(F("signed_on").desc(nulls_first=True), "title", "pk")
    )


def counterparty_options() -> QuerySet:
    """Return (pk, name) of every counterparty, for selects."""
    return Counterparty.objects.order_by("name", "pk").values_list("pk", "name")


# --- clauses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseLine:
    """One line of a contract's clause checklist."""

    clause: Clause
    required: bool
    held: ContractClause | None

    @property
    def missing(self) -> bool:
        return self.required and self.held is None


def clause_checklist(contract: Contract, kind: str | None = None) -> list[ClauseLine]:
    """Return every catalog clause for the contract: the ones its kind requires first."""
    catalog = get_catalog()
    kind = kind or contract.kind
    required = {clause.id for clause in catalog.required_clauses(kind)}
    held = {}
    if contract.pk:
        held = {row.clause: row for row in ContractClause.objects.filter(contract=contract)}
    lines = [
        ClauseLine(clause=clause, required=clause.id in required, held=held.get(clause.id))
        for clause in catalog.clauses
    ]
    return [line for line in lines if line.required] + [line for line in lines if not line.required]


# --- staged provision, files, scope ----------------------------------------------------------


def provision_stages(contract: Contract) -> list[ProvisionStage]:
    """Return the stages of the contract's plan in order, with the assets they release."""
    return list(
        ProvisionStage.objects.filter(contract=contract)
        .prefetch_related(
            models.Prefetch(
                "assets",
                queryset=InformationAsset.objects.select_related("secrecy_class").order_by(
                    "name", "pk"
                ),
            )
        )
        .order_by("order")
    )


def current_stage(contract: Contract, day: datetime.date) -> ProvisionStage | None:
    """Return the latest stage of the contract reached on or before ``day``, if any."""
    return (
        ProvisionStage.objects.filter(
            contract=contract, reached_on__isnull=False, reached_on__lte=day
        )
        .order_by("-order")
        .first()
    )


def contract_files(contract: Contract) -> QuerySet[ContractFile]:
    return ContractFile.objects.filter(contract=contract).order_by("pk")


def contract_scope(contract: Contract) -> QuerySet[InformationAsset]:
    return contract.scope.select_related("secrecy_class").order_by("name", "pk")


def asset_offer(
    *, query: str = "", chosen: list[int] | None = None, first: QuerySet | None = None
) -> list[InformationAsset]:
    """Return the assets a form offers: ``first`` (e.g. the contracts' scope), the chosen
    ones, then the matches of ``query`` by name — at most ``CHOICE_LIMIT`` beyond those
    chosen, which are always offered."""
    assets = InformationAsset.objects.select_related("secrecy_class").order_by("name", "pk")
    offered: dict[int, InformationAsset] = {}
    if first is not None:
        for asset in first.select_related("secrecy_class").order_by("name", "pk")[:CHOICE_LIMIT]:
            offered[asset.pk] = asset
    if chosen:
        for asset in assets.filter(pk__in=chosen):
            offered.setdefault(asset.pk, asset)
    matches = assets.filter(name__icontains=query) if query else assets
    for asset in matches[:CHOICE_LIMIT]:
        if len(offered) >= CHOICE_LIMIT:
            break
        offered.setdefault(asset.pk, asset)
    return list(offered.values())


# How many contracts the counterparty page lists.
COUNTERPARTY_RECENT = 20


def counterparty_panel(counterparty: Counterparty) -> dict[str, object]:
    """Return the counterparty page's contracts panel: the latest contracts the
    counterparty is party to (as the counterparty or another party), and their number."""
    rows = Contract.objects.filter(
        Q(counterparty=counterparty) | Q(other_parties=counterparty)
    ).distinct()
    recent = list(rows.order_by("-signed_on", "title", "pk")[:COUNTERPARTY_RECENT])
    return {"contracts": recent, "contract_count": rows.count()}


def provision_stage_detail(pk: int) -> ProvisionStage | None:
    return ProvisionStage.objects.select_related("contract").filter(pk=pk).first()


def contract_file_detail(pk: int) -> ContractFile | None:
    return ContractFile.objects.select_related("contract").filter(pk=pk).first()
