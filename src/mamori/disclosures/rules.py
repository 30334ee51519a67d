"""Rules about what left the company: disclosures, samples, exhibitions."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db.models import Count, Exists, Max, OuterRef, Q

from mamori.contracts.models import Contract, ContractClause, ProvisionStage, Renewal
from mamori.contracts.rules import CONFIDENTIALITY, confidentiality_in_force, in_force
from mamori.core.bilingual import bilingual_date
from mamori.disclosures.models import Disclosure, Exhibition, Sample
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.partners.models import Counterparty, CounterpartyKind

COUNTERPARTY, DISCLOSURE = "partners.counterparty", "disclosures.disclosure"
ASSET = "assets.informationasset"
UPCOMING_DAYS = 30
MAX_NAMED = 5


def _counterparty(pk: int, name: str) -> ObjectRef:
    return ObjectRef(COUNTERPARTY, pk, name)


def _names(names: list[str]) -> dict[str, str]:
    rest = len(names) - MAX_NAMED
    return {
        "ja": "「" + "」「".join(names[:MAX_NAMED]) + "」" + (f" ほか{rest}件" if rest > 0 else ""),
        "en": "“"
        + "”, “".join(names[:MAX_NAMED])
        + "”"
        + (f" and {rest} more" if rest > 0 else ""),
    }


def _grouped(disclosures, **params) -> Iterator[Hit]:
    """One hit per counterparty: how many disclosures, and the latest date."""
    rows = (
        disclosures.values("counterparty_id", "counterparty__name", "counterparty__country")
        .annotate(count=Count("pk"), latest=Max("disclosed_on"))
        .order_by("counterparty__name")
    )
    for row in rows:
        yield Hit(
            objects=(_counterparty(row["counterparty_id"], row["counterparty__name"]),),
            params={
                "counterparty": row["counterparty__name"],
                "count": row["count"],
                "latest": bilingual_date(row["latest"]),
                "country": row["counterparty__country"],
                **params,
            },
        )


@registry.rule("disclosures.without_nda")
def without_nda(ctx: RuleContext) -> Iterator[Hit]:
    missing = Disclosure.objects.filter(
        ~confidentiality_in_force(OuterRef("counterparty"), OuterRef("disclosed_on"))
    )
    yield from _grouped(missing)


def _asset_hits(rows, extra: Callable[[tuple], dict] | None = None) -> Iterator[Hit]:
    """Group (disclosure, asset) rows into one hit per disclosure; ``extra`` gives more
    parameters from the disclosure's key (id, counterparty id and name, day, contract)."""
    by_disclosure: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        key = (
            row["disclosure_id"],
            row["disclosure__counterparty_id"],
            row["disclosure__counterparty__name"],
            row["disclosure__disclosed_on"],
            row["disclosure__contract__title"],
        )
        by_disclosure[key].append((row["informationasset_id"], row["informationasset__name"]))
    for key, assets in sorted(
        by_disclosure.items(), key=lambda item: (item[0][2], item[0][3], item[0][0])
    ):
        pk, counterparty_id, counterparty, day, contract = key
        yield Hit(
            objects=(
                ObjectRef(DISCLOSURE, pk, f"{counterparty} {day.isoformat()}"),
                _counterparty(counterparty_id, counterparty),
                *(ObjectRef(ASSET, a, n) for a, n in assets),
            ),
            params={
                "counterparty": counterparty,
                "date": bilingual_date(day),
                "contract": contract,
                "assets": _names([name for _, name in assets]),
                **(extra(key) if extra else {}),
            },
        )


_ROW_FIELDS = (
    "disclosure_id",
    "disclosure__counterparty_id",
    "disclosure__counterparty__name",
    "disclosure__disclosed_on",
    "disclosure__contract__title",
    "informationasset_id",
    "informationasset__name",
)


def _covering(prefix: str, **lookups) -> Q:
    """A condition on a disclosed (disclosure, asset) row: a contract in force with the
    disclosure's counterparty on its day, as the counterparty or one of the other parties
    (``prefix`` leads from the subquery's model to the contract), meets ``lookups``. Two
    EXISTS instead of one with an OR across the other parties: each uses its index."""
    day, party = OuterRef("disclosure__disclosed_on"), OuterRef("disclosure__counterparty_id")
    model = Contract.scope.through if prefix else Contract
    rows = model.objects.filter(in_force(day, prefix), **lookups)
    return Exists(rows.filter(**{f"{prefix}counterparty_id": party})) | Exists(
        rows.filter(**{f"{prefix}other_parties": party})
    )


def _quoted(titles: list[str], language: str) -> str:
    if language == "ja":
        return "「" + "」「".join(titles) + "」"
    return "“" + "”, “".join(titles) + "”"


def _in_force_titles(keys: list[tuple]) -> dict[int, list[str]]:
    """Return disclosure id -> the titles of the contracts in force with its counterparty
    on its day (for the disclosures of ``keys``, read in one query)."""
    parties = {key[1] for key in keys}
    contracts = (
        Contract.objects.filter(Q(counterparty_id__in=parties) | Q(other_parties__in=parties))
        .distinct()
        .prefetch_related("other_parties")
        .order_by("title", "pk")
    )
    by_party: dict[int, list[Contract]] = defaultdict(list)
    for contract in contracts:
        for party in {contract.counterparty_id, *(p.pk for p in contract.other_parties.all())}:
            by_party[party].append(contract)
    return {key[0]: [c.title for c in by_party[key[1]] if c.is_in_force(key[3])] for key in keys}


@registry.rule("disclosures.outside_scope")
def outside_scope(ctx: RuleContext) -> Iterator[Hit]:
    """Under a chosen contract: an asset outside its scope. Without one: an asset no
    contract in force with the counterparty on the day covers, when one is in force (with
    none, nothing could cover it: ``disclosures.without_nda`` speaks then)."""
    through = Disclosure.assets.through
    in_chosen_scope = Contract.scope.through.objects.filter(
        contract_id=OuterRef("disclosure__contract_id"),
        informationasset_id=OuterRef("informationasset_id"),
    )
    chosen = Q(disclosure__contract__isnull=False) & ~Exists(in_chosen_scope)
    unchosen = (
        Q(disclosure__contract__isnull=True)
        & _covering("")
        & ~_covering("contract__", informationasset_id=OuterRef("informationasset_id"))
    )
    rows = list(
        ctx.narrow(through.objects.all(), "disclosure_id")
        .filter(chosen | unchosen)
        .values(*_ROW_FIELDS, "disclosure__contract_id")
    )
    titles = _in_force_titles(
        list(
            {
                (
                    row["disclosure_id"],
                    row["disclosure__counterparty_id"],
                    None,
                    row["disclosure__disclosed_on"],
                )
                for row in rows
                if row["disclosure__contract_id"] is None
            }
        )
    )

    def scope(key: tuple) -> dict:
        pk, contract = key[0], key[4]
        if contract is not None:
            return {
                "scope": {
                    "ja": f"契約「{contract}」の提供範囲に含まれていません",
                    "en": f"outside the scope of “{contract}”",
                }
            }
        ja, en = _quoted(titles[pk], "ja"), _quoted(titles[pk], "en")
        return {
            "contract": "、".join(titles[pk]),
            "scope": {
                "ja": f"その日に有効な契約（{ja}）のいずれの提供範囲にも含まれていません",
                "en": f"within the scope of no contract in force that day ({en})",
            },
        }

    yield from _asset_hits(rows, scope)


@registry.rule("disclosures.beyond_stage")
def beyond_stage(ctx: RuleContext) -> Iterator[Hit]:
    through = Disclosure.assets.through
    # The contracts planning stages are few: the disclosures under them are found by the
    # index on the contract, not by reading every disclosed asset.
    planned = ProvisionStage.objects.order_by().values("contract_id")
    released = ProvisionStage.assets.through.objects.filter(
        provisionstage__contract_id=OuterRef("disclosure__contract_id"),
        provisionstage__reached_on__isnull=False,
        provisionstage__reached_on__lte=OuterRef("disclosure__disclosed_on"),
        informationasset_id=OuterRef("informationasset_id"),
    )
    rows = (
        through.objects.filter(disclosure__contract_id__in=planned)
        .filter(~Exists(released))
        .values(*_ROW_FIELDS)
    )
    yield from _asset_hits(rows)


def _to(**counterparty_filters) -> list[int]:
    """Return the ids of the counterparties matching the filters (a short list), so that
    the disclosure queries use the index on the counterparty instead of a join."""
    return list(Counterparty.objects.filter(**counterparty_filters).values_list("pk", flat=True))


@registry.rule("disclosures.customer_not_codenamed")
def customer_not_codenamed(ctx: RuleContext) -> Iterator[Hit]:
    customers = _to(kind=CounterpartyKind.CUSTOMER)
    yield from _grouped(Disclosure.objects.filter(counterparty_id__in=customers, codenamed=False))


@registry.rule("disclosures.supplier_without_scope")
def supplier_without_scope(ctx: RuleContext) -> Iterator[Hit]:
    scoped = Contract.scope.through.objects.filter(contract_id=OuterRef("pk"))
    unscoped = Contract.objects.order_by().filter(~Exists(scoped)).values("pk")
    suppliers = _to(kind=CounterpartyKind.SUPPLIER)
    # The disclosures without a contract or under one without a scope (few), found by
    # the index on the contract rather than by reading every disclosure to a supplier.
    yield from _grouped(
        Disclosure.objects.filter(counterparty_id__in=suppliers).filter(
            Q(contract__isnull=True) | Q(contract_id__in=unscoped)
        )
    )


@registry.rule("disclosures.supplier_use_mentioned")
def supplier_use_mentioned(ctx: RuleContext) -> Iterator[Hit]:
    suppliers = _to(kind=CounterpartyKind.SUPPLIER)
    yield from _grouped(
        Disclosure.objects.filter(counterparty_id__in=suppliers, use_withheld=False)
    )


@registry.rule("disclosures.overseas_not_codenamed")
def overseas_not_codenamed(ctx: RuleContext) -> Iterator[Hit]:
    abroad = list(
        Counterparty.objects.filter(
            kind__in=[CounterpartyKind.MANUFACTURER, CounterpartyKind.LICENSEE]
        )
        .exclude(country="JP")
        .values_list("pk", flat=True)
    )
    yield from _grouped(Disclosure.objects.filter(counterparty_id__in=abroad, codenamed=False))


def _sample_ref(sample_id: int, description: str) -> ObjectRef:
    return ObjectRef("disclosures.sample", sample_id, description)


@registry.rule("disclosures.sample_overdue")
def sample_overdue(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        Sample.objects.filter(returned_on__isnull=True, due_back_on__lt=ctx.today)
        .values_list("pk", "description", "due_back_on", "counterparty_id", "counterparty__name")
        .order_by("due_back_on", "pk")
    )
    for pk, description, due, counterparty_id, counterparty in rows:
        yield Hit(
            objects=(_sample_ref(pk, description), _counterparty(counterparty_id, counterparty)),
            params={
                "sample": description,
                "counterparty": counterparty,
                "due": bilingual_date(due),
            },
        )


@registry.rule("disclosures.sample_not_inspected")
def sample_not_inspected(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        Sample.objects.filter(returned_on__isnull=False, inspected_on__isnull=True)
        .values_list("pk", "description", "returned_on", "counterparty_id", "counterparty__name")
        .order_by("returned_on", "pk")
    )
    for pk, description, returned, counterparty_id, counterparty in rows:
        yield Hit(
            objects=(_sample_ref(pk, description), _counterparty(counterparty_id, counterparty)),
            params={
                "sample": description,
                "counterparty": counterparty,
                "returned": bilingual_date(returned),
            },
        )


@registry.rule("disclosures.exhibition_without_scope")
def exhibition_without_scope(ctx: RuleContext) -> Iterator[Hit]:
    horizon = ctx.today + datetime.timedelta(days=UPCOMING_DAYS)
    rows = (
        Exhibition.objects.filter(
            scope_approved_on__isnull=True, starts_on__lte=horizon, ends_on__gte=ctx.today
        )
        .values_list("pk", "name", "starts_on")
        .order_by("starts_on", "pk")
    )
    for pk, name, starts in rows:
        yield Hit(
            objects=(ObjectRef("disclosures.exhibition", pk, name),),
            params={"exhibition": name, "starts": bilingual_date(starts)},
        )


@registry.requirement("disclosures.recorded")
def recorded(ctx: RuleContext) -> bool:
    return Disclosure.objects.exists()


@registry.requirement("disclosures.exhibitions_recorded")
def exhibitions_recorded(ctx: RuleContext) -> bool:
    return Exhibition.objects.filter(scope_approved_on__isnull=False).exists()


# A rule about contracts that depends on what was disclosed under them.


@registry.rule("contracts.nda_expired")
def nda_expired(ctx: RuleContext) -> Iterator[Hit]:
    has_confidentiality = Exists(
        ContractClause.objects.filter(contract=OuterRef("pk"), clause=CONFIDENTIALITY)
    )
    disclosed = Exists(Disclosure.objects.filter(contract=OuterRef("pk")))
    rows = (
        Contract.objects.filter(has_confidentiality, disclosed)
        .filter(ends_on__lt=ctx.today, information_returned_on__isnull=True)
        .exclude(renewal=Renewal.AUTOMATIC)
        .filter(
            Q(confidentiality_survives_until__isnull=True)
            | Q(confidentiality_survives_until__lt=ctx.today)
        )
        .filter(~confidentiality_in_force(OuterRef("counterparty"), ctx.today))
        .values_list("pk", "title", "ends_on", "counterparty_id", "counterparty__name")
        .order_by("title")
    )
    for pk, title, ended, counterparty_id, counterparty in rows:
        yield Hit(
            objects=(
                ObjectRef("contracts.contract", pk, title),
                ObjectRef(COUNTERPARTY, counterparty_id, counterparty),
            ),
            params={
                "contract": title,
                "counterparty": counterparty,
                "ended": bilingual_date(ended),
            },
        )
