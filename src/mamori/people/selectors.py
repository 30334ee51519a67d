"""Reads of the people register."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from mamori.accounts.models import User
from mamori.core.selectors import filter_given
from mamori.people.models import (
    Department,
    ForeignInfluenceDeclaration,
    LifecycleEvent,
    Person,
    PersonStatus,
    Pledge,
    SideJobDeclaration,
    TrainingRecord,
)


def person_list(
    *, query: str = "", department: str = "", kind: str = "", status: str = "", key: str = ""
) -> QuerySet[Person]:
    """Return people matching the filters, with their department (one query)."""
    people = Person.objects.select_related("department")
    if query:
        people = people.filter(
            Q(name__icontains=query)
            | Q(name_kana__icontains=query)
            | Q(employee_number__iexact=query)
            | Q(email__icontains=query)
        )
    people = filter_given(people, department_id=department, kind=kind, status=status)
    if key == "yes":
        people = people.filter(is_key_engineer=True)
    return people.order_by("name", "pk")


def person_for_user(user: User) -> Person | None:
    """Return the register entry of a signed-in user, if the officer linked one."""
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("department").filter(user=user).first()


def current_people() -> QuerySet[Person]:
    """People still with the company (including those who gave notice)."""
    return Person.objects.exclude(status=PersonStatus.DEPARTED)


def people_under_a_type() -> QuerySet[Person]:
    """People whose latest 特定類型 declaration falls under a type and is not closed."""
    return Person.objects.filter(pk__in=under_a_type_person_ids())


def under_a_type_person_ids() -> QuerySet:
    """The ids of the people of ``people_under_a_type`` (read from their declarations only,
    for a rule that needs no more of the people)."""
    # The few open declarations under a type, kept when no later declaration replaced
    # them: one query on the flagged rows, never a pass over everyone's declarations.
    later = ForeignInfluenceDeclaration.objects.filter(
        person=OuterRef("person"), declared_on__gt=OuterRef("declared_on")
    )
    flagged = ForeignInfluenceDeclaration.objects.filter(
        Q(type1_foreign_contract=True)
        | Q(type2_foreign_benefit=True)
        | Q(type3_foreign_instruction=True),
        closed_on__isnull=True,
    ).filter(~Exists(later))
    return flagged.values("person_id")


def years_before(day: datetime.date, years: int = 1) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- register pages and self-service ------------------------------------------------------


def _grant_model() -> type[models.Model]:
    # Access grants are the assets app's, which builds on this one: reach them through the
    # relation it declares (``AccessGrant.person``, related name ``grants``).
    return Person._meta.get_field("grants").related_model


def person_grants(person: Person, *, active_only: bool = False) -> QuerySet:
    """Return the person's access grants (the active ones only with ``active_only``),
    active first, by information name."""
    grants = person.grants.select_related(
        "asset", "asset__secrecy_class", "granted_by", "revoked_by"
    )
    if active_only:
        grants = grants.filter(revoked_on__isnull=True)
    return grants.order_by("revoked_on", "asset__name", "pk")


def person_grants_now(person: Person, *, on: datetime.date | None = None) -> dict[str, list]:
    """Return the person's grants that give access on ``on`` (today) as ``in_force``, and
    those that start later as ``later``, each by information name. A grant that ended or
    was revoked is in neither (``AccessGrant.is_in_force`` is the rule)."""
    on = on or timezone.localdate()
    grants = (
        person.grants.select_related("asset", "asset__secrecy_class")
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("asset__name", "valid_from", "pk")
    )
    now: dict[str, list] = {"in_force": [], "later": []}
    for grant in grants:
        now["in_force" if grant.valid_from <= on else "later"].append(grant)
    return now


def person_register(
    *, query: str = "", department: str = "", kind: str = "", status: str = "", key: str = ""
) -> QuerySet[Person]:
    """Return ``person_list`` with each person's number of active grants (one query).

    The count is a correlated subquery on the (person, revoked_on) index, so a page of
    fifty people costs fifty index look-ups instead of a GROUP BY over every grant.
    """
    active = (
        _grant_model()
        .objects.filter(person=OuterRef("pk"), revoked_on__isnull=True)
        .order_by()
        .values("person")
        .annotate(total=Count("pk"))
        .values("total")
    )
    people = person_list(query=query, department=department, kind=kind, status=status, key=key)
    # Japanese names sort by their reading; people without one by the name itself.
    reading = Coalesce(NullIf("name_kana", Value("")), "name")
    return people.annotate(
        active_grants=Coalesce(Subquery(active, output_field=IntegerField()), Value(0))
    ).order_by(reading, "name", "pk")


def person_status_counts(
    *, query: str = "", department: str = "", kind: str = "", key: str = ""
) -> dict[str, int]:
    """Return how many people of each status match the other filters (one query)."""
    rows = (
        person_list(query=query, department=department, kind=kind, key=key)
        .order_by()
        .values("status")
        .annotate(total=Count("pk"))
    )
    counts = {status: 0 for status in PersonStatus.values}
    counts.update({row["status"]: row["total"] for row in rows})
    return counts


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("name", "pk")


def linkable_accounts(*, person: Person | None = None) -> QuerySet[User]:
    """Return the active accounts not yet linked to a person (and ``person``'s own)."""
    free = Q(person__isnull=True)
    if person is not None and person.user_id:
        free |= Q(pk=person.user_id)
    return User.objects.filter(free, is_active=True).order_by("display_name", "username")


def person_detail(pk: int) -> Person | None:
    """Return the person ``pk`` with their department and account, or ``None``."""
    return Person.objects.select_related("department", "user", "manager").filter(pk=pk).first()


def person_events(person: Person) -> QuerySet[LifecycleEvent]:
    return person.events.select_related("from_department", "to_department").order_by("-date", "-pk")


def person_pledges(person: Person) -> QuerySet[Pledge]:
    return person.pledges.order_by("-requested_on", "-pk")


def pledges_awaiting(person: Person) -> QuerySet[Pledge]:
    """Return the person's pledges not yet signed or acknowledged."""
    return person.pledges.filter(signed_on__isnull=True).order_by("requested_on", "pk")


def person_trainings(person: Person) -> QuerySet[TrainingRecord]:
    return person.trainings.order_by("-completed_on", "-pk")


def person_side_jobs(person: Person) -> QuerySet[SideJobDeclaration]:
    return person.side_jobs.order_by("-declared_on", "-pk")


def person_foreign_declarations(person: Person) -> QuerySet[ForeignInfluenceDeclaration]:
    return person.foreign_declarations.order_by("-declared_on", "-pk")


def pledges_signed(person: Person) -> QuerySet[Pledge]:
    return person.pledges.filter(signed_on__isnull=False).order_by("-signed_on", "-pk")
