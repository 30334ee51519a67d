"""Reads of the disclosures area. The disclosure ledger comes first; samples and
exhibitions follow."""

from __future__ import annotations

import datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract, ContractClause
from mamori.contracts.rules import confidentiality_in_force
from mamori.core.selectors import filter_given
from mamori.disclosures.models import Disclosure, Exhibition, ExhibitionContact, Sample
from mamori.partners.models import Counterparty
from mamori.people.models import Person

# --- the disclosure ledger -----------------------------------------------------------------


def _with_assets(disclosures: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    return disclosures.select_related(
        "counterparty", "contract", "disclosed_by", "provision_stage", "override_by"
    ).prefetch_related(
        Prefetch(
            "assets",
            queryset=InformationAsset.objects.select_related("secrecy_class").order_by(
                "name", "pk"
            ),
        )
    )


def disclosure_list(
    *,
    counterparty: int | None = None,
    contract: int | None = None,
    asset: int | None = None,
    asset_query: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    warnings_only: bool = False,
) -> QuerySet[Disclosure]:
    """Return the ledger filtered as asked, newest first, with what each row shows."""
    disclosures = Disclosure.objects.all()
    disclosures = filter_given(disclosures, counterparty_id=counterparty, contract_id=contract)
    through = Disclosure.assets.through.objects.filter(disclosure_id=OuterRef("pk"))
    if asset:
        disclosures = disclosures.filter(Exists(through.filter(informationasset_id=asset)))
    if asset_query:
        disclosures = disclosures.filter(
            Exists(through.filter(informationasset__name__icontains=asset_query))
        )
    disclosures = filter_given(disclosures, disclosed_on__gte=date_from, disclosed_on__lte=date_to)
    if warnings_only:
        disclosures = disclosures.exclude(Q(warnings=[]) | Q(warnings__isnull=True))
    return _with_assets(disclosures).order_by("-disclosed_on", "-pk")


def disclosure_detail(pk: int) -> Disclosure | None:
    """Return the disclosure ``pk`` with what was given and to whom, or ``None``."""
    return _with_assets(Disclosure.objects.filter(pk=pk)).first()


def disclosures_of_contract(contract: Contract) -> QuerySet[Disclosure]:
    return _with_assets(Disclosure.objects.filter(contract=contract)).order_by(
        "-disclosed_on", "-pk"
    )


def disclosures_of_counterparty(counterparty: Counterparty) -> QuerySet[Disclosure]:
    return _with_assets(Disclosure.objects.filter(counterparty=counterparty)).order_by(
        "-disclosed_on", "-pk"
    )


def contracts_for_disclosure(counterparty: Counterparty) -> QuerySet[Contract]:
    """Return the contracts a disclosure to the counterparty may be made under."""
    return (
        Contract.objects.filter(Q(counterparty=counterparty) | Q(other_parties=counterparty))
        .distinct()
        .order_by("-signed_on", "title", "pk")
    )


# --- samples and exhibitions ----------------------------------------------------------------

NO_REVERSE_ENGINEERING = "urn:mamori:clause:no_reverse_engineering"
SAMPLE_OUT, SAMPLE_OVERDUE, SAMPLE_RETURNED, SAMPLE_DONE = "out", "overdue", "returned", "done"
SAMPLE_STATUSES = (SAMPLE_OUT, SAMPLE_OVERDUE, SAMPLE_RETURNED, SAMPLE_DONE)
EXHIBITION_STATUSES = ("upcoming", "past", "not_approved")


def sample_status(sample: Sample, today: datetime.date) -> str:
    """Return where a sample stands: out, overdue, returned (not inspected) or done."""
    if sample.inspected_on is not None:
        return SAMPLE_DONE
    if sample.returned_on is not None:
        return SAMPLE_RETURNED
    if sample.due_back_on is not None and sample.due_back_on < today:
        return SAMPLE_OVERDUE
    return SAMPLE_OUT


def _sample_status_filter(status: str, today: datetime.date) -> Q:
    if status == SAMPLE_OUT:
        return Q(returned_on__isnull=True) & (
            Q(due_back_on__isnull=True) | Q(due_back_on__gte=today)
        )
    if status == SAMPLE_OVERDUE:
        return Q(returned_on__isnull=True, due_back_on__lt=today)
    if status == SAMPLE_RETURNED:
        return Q(returned_on__isnull=False, inspected_on__isnull=True)
    if status == SAMPLE_DONE:
        return Q(inspected_on__isnull=False)
    return Q()


def sample_register(*, today: datetime.date, status: str = "", query: str = "") -> QuerySet[Sample]:
    """Return the samples lent out (filtered), the latest lending first, with their
    counterparty, contract and asset names joined (one query a page)."""
    rows = Sample.objects.select_related("counterparty", "contract", "asset").filter(
        _sample_status_filter(status, today)
    )
    if query:
        rows = rows.filter(Q(description__icontains=query) | Q(counterparty__name__icontains=query))
    return rows.order_by("-lent_on", "-pk")


def sample_status_counts(*, today: datetime.date) -> dict[str, int]:
    """Return how many samples are in each status (one query)."""
    counts = Sample.objects.aggregate(
        **{
            status: Count("pk", filter=_sample_status_filter(status, today))
            for status in SAMPLE_STATUSES
        }
    )
    return {status: counts[status] or 0 for status in SAMPLE_STATUSES}


def sample_detail(pk: int) -> Sample | None:
    """Return a sample with its counterparty, contract and asset, and whether a
    confidentiality agreement with the counterparty was in force when it was lent
    (``nda_in_force``)."""
    return (
        Sample.objects.select_related("counterparty", "contract", "asset")
        .annotate(
            nda_in_force=ExpressionWrapper(
                confidentiality_in_force(OuterRef("counterparty"), OuterRef("lent_on")),
                output_field=BooleanField(),
            )
        )
        .filter(pk=pk)
        .first()
    )


def sample_reverse_engineering_clause(sample: Sample) -> ContractClause | None:
    """Return the contract's no-reverse-engineering clause, or ``None`` (also without a
    contract)."""
    if sample.contract_id is None:
        return None
    return ContractClause.objects.filter(
        contract_id=sample.contract_id, clause=NO_REVERSE_ENGINEERING
    ).first()


def _exhibition_status_filter(status: str, today: datetime.date) -> Q:
    if status == "upcoming":
        return Q(ends_on__gte=today)
    if status == "past":
        return Q(ends_on__lt=today)
    if status == "not_approved":
        return Q(scope_approved_on__isnull=True, ends_on__gte=today)
    return Q()


def exhibition_register(*, today: datetime.date, status: str = "") -> QuerySet[Exhibition]:
    """Return the exhibitions (filtered), newest first, with how many staff attend and
    how many approaches were logged (one query a page)."""
    return (
        Exhibition.objects.filter(_exhibition_status_filter(status, today))
        .select_related("scope_approved_by", "escalation_contact")
        .annotate(
            staff_count=Count("staff", distinct=True),
            contact_count=Count("contacts", distinct=True),
        )
        .order_by("-starts_on", "-pk")
    )


def exhibition_detail(pk: int) -> Exhibition | None:
    """Return an exhibition with its staff, approver and escalation contact."""
    return (
        Exhibition.objects.select_related("scope_approved_by", "escalation_contact")
        .prefetch_related(
            Prefetch(
                "staff",
                queryset=Person.objects.select_related("department").order_by("name", "pk"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def exhibition_contacts(exhibition: Exhibition) -> QuerySet[ExhibitionContact]:
    """Return the approaches logged at an exhibition, newest first."""
    return exhibition.contacts.select_related("recorded_by").order_by("-occurred_on", "-pk")


# How many disclosures the counterparty page lists.
COUNTERPARTY_RECENT = 20


def counterparty_panel(counterparty: Counterparty) -> dict[str, object]:
    """Return the counterparty page's disclosures panel: the latest disclosures to the
    counterparty (with what was given), and their number."""
    rows = Disclosure.objects.filter(counterparty=counterparty)
    recent = (
        rows.select_related("contract")
        .prefetch_related(Prefetch("assets", to_attr="asset_list"))
        .order_by("-disclosed_on", "-pk")[:COUNTERPARTY_RECENT]
    )
    return {"disclosures": list(recent), "disclosure_count": rows.count()}


# How many disclosures the contract page lists.
CONTRACT_RECENT = 20


def contract_panel(contract: Contract) -> dict[str, object]:
    """Return the contract page's disclosures panel: the latest disclosures under the
    contract, and their number."""
    disclosures = disclosures_of_contract(contract)
    return {"disclosures": disclosures[:CONTRACT_RECENT], "disclosure_total": disclosures.count()}
