"""Reads of the people register."""

from __future__ import annotations

import datetime

from django.db.models import Max, Q, QuerySet

from mamori.accounts.models import User
from mamori.people.models import ForeignInfluenceDeclaration, Person, PersonStatus


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
    if department:
        people = people.filter(department_id=department)
    if kind:
        people = people.filter(kind=kind)
    if status:
        people = people.filter(status=status)
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
    latest = ForeignInfluenceDeclaration.objects.values("person").annotate(
        last=Max("declared_on")
    )
    open_latest = ForeignInfluenceDeclaration.objects.filter(
        Q(type1_foreign_contract=True) | Q(type2_foreign_benefit=True) | Q(type3_foreign_instruction=True),
        closed_on__isnull=True,
    )
    pairs = {(row["person"], row["last"]) for row in latest}
    person_ids = [
        decl.person_id
        for decl in open_latest.only("person_id", "declared_on")
        if (decl.person_id, decl.declared_on) in pairs
    ]
    return Person.objects.filter(pk__in=person_ids)


def years_before(day: datetime.date, years: int = 1) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
