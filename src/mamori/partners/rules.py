"""Rules about counterparties: due diligence, capital changes, partner members."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef, Q

from mamori.catalog.selectors import get_catalog
from mamori.core.bilingual import bilingual_choice, bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    CounterpartyKind,
    DueDiligence,
)

COUNTERPARTY = "partners.counterparty"
RESEARCH_KINDS = (CounterpartyKind.UNIVERSITY, CounterpartyKind.JOINT_RESEARCH)
PERSPECTIVES = "urn:mamori:dd:joint-research-perspectives"


def kinds_needing_dd() -> set[str]:
    """Return the counterparty kinds the catalog's questionnaires are meant for."""
    return {kind for q in get_catalog().questionnaires for kind in q.applies_to}


def _ref(pk: int, name: str) -> ObjectRef:
    return ObjectRef(COUNTERPARTY, pk, name)


def _approved(**filters):
    return DueDiligence.objects.filter(approved_on__isnull=False, **filters)


@registry.rule("partners.without_dd")
def without_dd(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        Counterparty.objects.filter(kind__in=kinds_needing_dd())
        .filter(~Exists(_approved(counterparty=OuterRef("pk"))))
        .values_list("pk", "name", "kind")
        .order_by("name")
    )
    for pk, name, kind in rows:
        yield Hit(
            objects=(_ref(pk, name),),
            params={"counterparty": name, "kind": bilingual_choice(CounterpartyKind(kind))},
        )


@registry.rule("partners.dd_expired")
def dd_expired(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        Counterparty.objects.filter(Exists(_approved(counterparty=OuterRef("pk"))))
        .filter(~Exists(_approved(counterparty=OuterRef("pk"), valid_until__isnull=True)))
        .annotate(
            until=Max(
                "due_diligences__valid_until", filter=Q(due_diligences__approved_on__isnull=False)
            )
        )
        .filter(until__lt=ctx.today)
        .values_list("pk", "name", "until")
        .order_by("name")
    )
    for pk, name, until in rows:
        yield Hit(
            objects=(_ref(pk, name),),
            params={"counterparty": name, "until": bilingual_date(until)},
        )


@registry.rule("partners.capital_change_not_reviewed")
def capital_change_not_reviewed(ctx: RuleContext) -> Iterator[Hit]:
    last_change = (
        CapitalChange.objects.filter(counterparty=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    reviewed_since = _approved(counterparty=OuterRef("pk"), performed_on__gte=OuterRef("changed"))
    # Only partners we review at all: those of a kind with a questionnaire, or with a DD.
    reviewed_at_all = Q(kind__in=kinds_needing_dd()) | Exists(
        DueDiligence.objects.filter(counterparty=OuterRef("pk"))
    )
    rows = (
        Counterparty.objects.filter(reviewed_at_all)
        .annotate(changed=last_change)
        .filter(changed__isnull=False)
        .filter(~Exists(reviewed_since))
        .values_list("pk", "name", "changed")
        .order_by("name")
    )
    for pk, name, changed in rows:
        yield Hit(
            objects=(_ref(pk, name),),
            params={"counterparty": name, "date": bilingual_date(changed)},
        )


@registry.requirement("partners.has_approved_dd")
def has_approved_dd(ctx: RuleContext) -> bool:
    return _approved().exists()


@registry.requirement("partners.joint_research_perspectives")
def joint_research_perspectives(ctx: RuleContext) -> bool:
    partners = Counterparty.objects.filter(kind__in=RESEARCH_KINDS)
    covered = _approved(counterparty=OuterRef("pk"), questionnaire=PERSPECTIVES)
    return partners.exists() and not partners.filter(~Exists(covered)).exists()
