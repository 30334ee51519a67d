"""Rules about contracts: required clauses, expired NDAs, capital changes."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterator
from functools import reduce
from typing import Any

from django.db.models import Exists, Func, IntegerField, Max, OuterRef, Q, Subquery, Value

from mamori.catalog.selectors import get_catalog
from mamori.contracts.models import (
    Contract,
    ContractClause,
    ContractKind,
    ProvisionStage,
    Renewal,
)
from mamori.core.bilingual import bilingual_choice, bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    PartnerMember,
    ResearchTheme,
    ThemeDecision,
)
from mamori.partners.rules import RESEARCH_KINDS

CONTRACT, COUNTERPARTY = "contracts.contract", "partners.counterparty"
CONFIDENTIALITY = "urn:mamori:clause:confidentiality"
CAPITAL_CHANGE = "urn:mamori:clause:change_of_control"
MANUFACTURING_KINDS = (ContractKind.MANUFACTURING, ContractKind.LICENCE)


def in_force(day, prefix: str = "") -> Q:
    """Contracts binding on ``day``: signed, started, and not ended (or renewing).
    ``prefix`` (``"contract__"``) applies the condition to a related contract."""

    def q(**lookups: Any) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    return (
        q(signed_on__isnull=False, signed_on__lte=day)
        & (q(starts_on__isnull=True) | q(starts_on__lte=day))
        & (q(ends_on__isnull=True) | q(ends_on__gte=day) | q(renewal=Renewal.AUTOMATIC))
    )


def confidentiality_in_force(counterparty_ref, day_ref) -> Q:
    """A condition: the counterparty is a party (the counterparty, or one of the other
    parties) to a contract with a confidentiality clause in force on the day.

    Two separate Exists() rather than one with an OR across the other parties: each can
    then use the indexes, which keeps the rule fast over hundreds of thousands of
    disclosures.
    """
    binding = Contract.objects.filter(
        signed_on__isnull=False,
        signed_on__lte=day_ref,
    ).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=day_ref),
        Q(ends_on__isnull=True) | Q(ends_on__gte=day_ref) | Q(renewal=Renewal.AUTOMATIC),
        Exists(ContractClause.objects.filter(contract=OuterRef("pk"), clause=CONFIDENTIALITY)),
    )
    return Q(Exists(binding.filter(counterparty=counterparty_ref))) | Q(
        Exists(binding.filter(other_parties=counterparty_ref))
    )


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _contract(pk: int, title: str) -> ObjectRef:
    return ObjectRef(CONTRACT, pk, title)


@registry.rule("contracts.missing_clause")
def missing_clause(ctx: RuleContext) -> Iterator[Hit]:
    catalog = get_catalog()
    current = ctx.narrow(
        Contract.objects.filter(signed_on__isnull=False).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=ctx.today) | Q(renewal=Renewal.AUTOMATIC)
        )
    )
    # One pass over the contracts in force: a contract is short when it holds fewer of its
    # kind's required clauses than required (counted on the clause table's index); then
    # the clauses those few hold.
    required = {kind: catalog.required_clauses(kind) for kind in ContractKind.values}
    required = {kind: clauses for kind, clauses in required.items() if clauses}
    held_counts = {
        f"held_{index}": Subquery(
            ContractClause.objects.filter(
                contract=OuterRef("pk"), clause__in=[clause.id for clause in clauses]
            )
            .order_by()
            .annotate(count=Func(Value(1), function="COUNT"))
            .values("count"),
            output_field=IntegerField(),
        )
        for index, clauses in enumerate(required.values())
    }
    short_of = [
        Q(kind=kind) & Q(**{f"held_{index}__lt": len(clauses)})
        for index, (kind, clauses) in enumerate(required.items())
    ]
    short = dict(
        current.alias(**held_counts)
        .filter(reduce(operator.or_, short_of, Q(pk__in=[])))
        .values_list("pk", "kind")
    )
    held: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(list(short)):
        rows = ContractClause.objects.filter(contract_id__in=chunk)
        for pk, clause in rows.values_list("contract_id", "clause"):
            held[pk].add(clause)
    missing = {
        pk: [clause for clause in required[kind] if clause.id not in held[pk]]
        for pk, kind in short.items()
    }
    contracts = (
        Contract.objects.filter(pk__in=list(missing))
        .values_list("pk", "title", "kind", "counterparty_id", "counterparty__name")
        .order_by("title", "pk")
    )
    for pk, title, kind, counterparty_id, counterparty in contracts:
        clauses = missing[pk]
        yield Hit(
            objects=(_contract(pk, title), ObjectRef(COUNTERPARTY, counterparty_id, counterparty)),
            params={
                "contract": title,
                "counterparty": counterparty,
                "kind": bilingual_choice(ContractKind(kind)),
                "clauses": {
                    "ja": "、".join(c.title.ja for c in clauses),
                    "en": ", ".join(c.title.en for c in clauses),
                },
            },
        )


@registry.rule("contracts.weak_clause")
def weak_clause(ctx: RuleContext) -> Iterator[Hit]:
    catalog = get_catalog()
    current = Q(contract__signed_on__isnull=False) & (
        Q(contract__ends_on__isnull=True)
        | Q(contract__ends_on__gte=ctx.today)
        | Q(contract__renewal=Renewal.AUTOMATIC)
    )
    required = {
        kind: {c.id for c in catalog.required_clauses(kind)} for kind in ContractKind.values
    }
    # One query: the weak clauses (an index of their own) of contracts in force.
    rows = (
        ContractClause.objects.filter(current, weak=True)
        .values_list(
            "contract_id",
            "contract__title",
            "contract__kind",
            "contract__counterparty_id",
            "contract__counterparty__name",
            "clause",
        )
        .order_by("contract__title", "contract_id", "pk")
    )
    weak: dict[int, tuple[tuple, list]] = {}
    for pk, title, kind, counterparty_id, counterparty, clause_id in rows:
        if clause_id not in required.get(kind, ()):
            continue
        entry = weak.setdefault(pk, ((pk, title, kind, counterparty_id, counterparty), []))
        entry[1].append(catalog.clause(clause_id))
    for (pk, title, kind, counterparty_id, counterparty), clauses in weak.values():
        yield Hit(
            objects=(_contract(pk, title), ObjectRef(COUNTERPARTY, counterparty_id, counterparty)),
            params={
                "contract": title,
                "counterparty": counterparty,
                "kind": bilingual_choice(ContractKind(kind)),
                "clauses": {
                    "ja": "、".join(c.title.ja for c in clauses),
                    "en": ", ".join(c.title.en for c in clauses),
                },
            },
        )


@registry.rule("contracts.capital_change_without_clause")
def capital_change_without_clause(ctx: RuleContext) -> Iterator[Hit]:
    change_after_signing = CapitalChange.objects.filter(
        counterparty=OuterRef("counterparty"), occurred_on__gte=OuterRef("signed_on")
    )
    has_clause = ContractClause.objects.filter(contract=OuterRef("pk"), clause=CAPITAL_CHANGE)
    rows = (
        Contract.objects.filter(in_force(ctx.today), kind=ContractKind.JOINT_RESEARCH)
        .filter(Exists(change_after_signing), ~Exists(has_clause))
        .values_list("pk", "title", "counterparty_id", "counterparty__name")
        .order_by("title")
    )
    for pk, title, counterparty_id, counterparty in rows:
        changed = (
            CapitalChange.objects.filter(counterparty_id=counterparty_id)
            .order_by("-occurred_on")
            .values_list("occurred_on", flat=True)
            .first()
        )
        yield Hit(
            objects=(_contract(pk, title), ObjectRef(COUNTERPARTY, counterparty_id, counterparty)),
            params={
                "contract": title,
                "counterparty": counterparty,
                "date": bilingual_date(changed),
            },
        )


@registry.requirement("contracts.manufacturing_scoped")
def manufacturing_scoped(ctx: RuleContext) -> bool:
    contracts = Contract.objects.filter(in_force(ctx.today), kind__in=MANUFACTURING_KINDS)
    # NOT EXISTS rather than a join: the check runs after every change, over every contract.
    scoped = Contract.scope.through.objects.filter(contract_id=OuterRef("pk"))
    unscoped = contracts.filter(~Exists(scoped), scope_note="")
    return contracts.exists() and not unscoped.exists()


@registry.requirement("contracts.manufacturing_staged")
def manufacturing_staged(ctx: RuleContext) -> bool:
    contracts = Contract.objects.filter(in_force(ctx.today), kind__in=MANUFACTURING_KINDS)
    staged = ProvisionStage.objects.filter(contract_id=OuterRef("pk"))
    return contracts.exists() and not contracts.filter(~Exists(staged)).exists()


@registry.requirement("contracts.has_contracts")
def has_contracts(ctx: RuleContext) -> bool:
    return Contract.objects.filter(signed_on__isnull=False).exists()


@registry.requirement("contracts.joint_research_capital_clause")
def joint_research_capital_clause(ctx: RuleContext) -> bool:
    contracts = Contract.objects.filter(in_force(ctx.today), kind=ContractKind.JOINT_RESEARCH)
    has_clause = ContractClause.objects.filter(contract=OuterRef("pk"), clause=CAPITAL_CHANGE)
    return contracts.exists() and not contracts.filter(~Exists(has_clause)).exists()


# Rules about counterparties that depend on their contracts.


@registry.rule("partners.member_after_project")
def member_after_project(ctx: RuleContext) -> Iterator[Hit]:
    research = Contract.objects.filter(kind=ContractKind.JOINT_RESEARCH)
    still_running = research.filter(counterparty=OuterRef("pk")).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=ctx.today) | Q(renewal=Renewal.AUTOMATIC)
    )
    ended = (
        Counterparty.objects.filter(Exists(research.filter(counterparty=OuterRef("pk"))))
        .filter(~Exists(still_running))
        .annotate(
            ended=Max("contracts__ends_on", filter=Q(contracts__kind=ContractKind.JOINT_RESEARCH))
        )
    )
    rows = list(ended.values_list("pk", "name", "ended"))
    ended_on = {pk: day for pk, _, day in rows}
    names = {pk: name for pk, name, _ in rows}
    listed: dict[int, int] = {}
    members = PartnerMember.objects.filter(counterparty_id__in=list(ended_on)).values_list(
        "counterparty_id", "until"
    )
    for counterparty_id, until in members:
        if until is None or until > ended_on[counterparty_id]:
            listed[counterparty_id] = listed.get(counterparty_id, 0) + 1
    for counterparty_id in sorted(listed, key=lambda pk: names[pk]):
        yield Hit(
            objects=(ObjectRef(COUNTERPARTY, counterparty_id, names[counterparty_id]),),
            params={
                "counterparty": names[counterparty_id],
                "ended": bilingual_date(ended_on[counterparty_id]),
                "count": listed[counterparty_id],
            },
        )


@registry.requirement("partners.themes_decided")
def themes_decided(ctx: RuleContext) -> bool:
    decided = ResearchTheme.objects.exclude(decision=ThemeDecision.UNDECIDED)
    if not decided.exists():
        return False
    running = Contract.objects.filter(
        counterparty=OuterRef("pk"), kind=ContractKind.JOINT_RESEARCH
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=ctx.today) | Q(renewal=Renewal.AUTOMATIC))
    partners = Counterparty.objects.filter(kind__in=RESEARCH_KINDS).filter(Exists(running))
    return not partners.filter(~Exists(decided.filter(counterparty=OuterRef("pk")))).exists()
