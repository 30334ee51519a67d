"""Rules about people: trainings, yearly declarations, pledges, side jobs."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mamori.core.bilingual import bilingual_choice, bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, owner_resolver, registry
from mamori.people.models import (
    Person,
    PersonStatus,
    Pledge,
    PledgeKind,
    ReviewStatus,
    SideJobDeclaration,
    TrainingRecord,
)
from mamori.people.selectors import years_before

PERSON = "people.person"
# New joiners get time before trainings, declarations and pledges count as missing.
GRACE_DAYS = {"training": 90, "declaration": 30, "pledge": 30}
NEVER = _("no record")


def _current_joined_before(day: datetime.date):
    return Person.objects.exclude(status=PersonStatus.DEPARTED).filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=day)
    )


def _overdue(ctx: RuleContext, related: str, grace: int) -> Iterator[tuple[int, str, object]]:
    cutoff = years_before(ctx.today)
    people = (
        ctx.narrow(_current_joined_before(ctx.today - datetime.timedelta(days=grace)))
        .annotate(last=Max(related))
        .filter(Q(last__isnull=True) | Q(last__lt=cutoff))
        .values_list("pk", "name", "last")
        .order_by("name")
    )
    yield from people


def _ints(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if str(i).isdigit()]


@owner_resolver("manager")
def manager_accounts(subject_ids: list[str]) -> dict[str, int | None]:
    """The findings about a person are their manager's to work (when the manager has an
    account); ``None`` leaves them with the officer."""
    rows = Person.objects.filter(pk__in=_ints(subject_ids), manager__user__isnull=False)
    return {str(pk): user for pk, user in rows.values_list("pk", "manager__user_id")}


@registry.rule("people.training_overdue")
def training_overdue(ctx: RuleContext) -> Iterator[Hit]:
    for pk, name, last in _overdue(ctx, "trainings__completed_on", GRACE_DAYS["training"]):
        yield Hit(
            objects=(ObjectRef(PERSON, pk, name),),
            params={"person": name, "last": bilingual_date(last, missing=NEVER)},
        )


@registry.rule("people.declaration_overdue")
def declaration_overdue(ctx: RuleContext) -> Iterator[Hit]:
    for pk, name, last in _overdue(
        ctx, "foreign_declarations__declared_on", GRACE_DAYS["declaration"]
    ):
        yield Hit(
            objects=(ObjectRef(PERSON, pk, name),),
            params={"person": name, "last": bilingual_date(last, missing=NEVER)},
        )


@registry.rule("people.pledge_missing")
def pledge_missing(ctx: RuleContext) -> Iterator[Hit]:
    # The few people without the signed pledge, found by the database (NOT EXISTS on the
    # person's pledges) rather than by reading everyone's pledges.
    signed = Pledge.objects.filter(signed_on__isnull=False, person=OuterRef("pk"))
    cutoff = ctx.today - datetime.timedelta(days=GRACE_DAYS["pledge"])
    current = ctx.narrow(_current_joined_before(cutoff)).filter(
        ~Exists(signed.filter(kind=PledgeKind.JOINING))
    )
    for pk, name in current.values_list("pk", "name").order_by("name"):
        yield Hit(
            objects=(ObjectRef(PERSON, pk, name),),
            params={"person": name, "kind": bilingual_choice(PledgeKind.JOINING)},
        )
    departed = ctx.narrow(Person.objects.filter(status=PersonStatus.DEPARTED)).filter(
        ~Exists(signed.filter(kind=PledgeKind.LEAVING))
    )
    for pk, name in departed.values_list("pk", "name").order_by("name"):
        yield Hit(
            objects=(ObjectRef(PERSON, pk, name),),
            params={"person": name, "kind": bilingual_choice(PledgeKind.LEAVING)},
        )


@registry.rule("people.side_job_not_reviewed")
def side_job_not_reviewed(ctx: RuleContext) -> Iterator[Hit]:
    # The declaration's content is need-to-know (DECLARATIONS_VIEW): the finding names
    # only the person, so that everyone who reads findings may see it.
    rows = (
        ctx.narrow(
            SideJobDeclaration.objects.filter(
                overlaps_our_technology=True, status=ReviewStatus.SUBMITTED
            ),
            "person_id",
        )
        .exclude(person__status=PersonStatus.DEPARTED)
        .values_list("person_id", "person__name")
        .distinct()
        .order_by("person__name")
    )
    for person_id, name in rows:
        yield Hit(objects=(ObjectRef(PERSON, person_id, name),), params={"person": name})


@registry.requirement("people.has_trainings")
def has_trainings(ctx: RuleContext) -> bool:
    return TrainingRecord.objects.exists()


@registry.requirement("people.has_pledges")
def has_pledges(ctx: RuleContext) -> bool:
    return Pledge.objects.filter(signed_on__isnull=False).exists()


@registry.requirement("people.key_engineers_identified")
def key_engineers_identified(ctx: RuleContext) -> bool:
    return (
        Person.objects.filter(is_key_engineer=True).exclude(status=PersonStatus.DEPARTED).exists()
    )
