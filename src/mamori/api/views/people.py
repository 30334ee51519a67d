"""People, departments, pledges, trainings; declarations only with DECLARATIONS_VIEW."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.api.base import Creates, RegisterDetailView, RegisterListView, Updates
from mamori.api.filters import Filter
from mamori.api.serializers import people as s
from mamori.core.errors import ApplicationError
from mamori.people import selectors, services
from mamori.people.models import (
    DeclarationOccasion,
    Department,
    ForeignInfluenceDeclaration,
    Person,
    PersonKind,
    PersonStatus,
    Pledge,
    PledgeKind,
    ReviewStatus,
    SideJobDeclaration,
    TrainingRecord,
    TrainingTier,
)

TRANSFER_NEEDED = gettext_lazy(
    "Move a person to another department with a transfer (life-cycle), which reviews their access."
)
PERSON_SEARCH = ("name__icontains", "name_kana__icontains", "employee_number__iexact")
OF_PERSON = ("person__name__icontains", "person__name_kana__icontains")


class _People:
    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.PersonSerializer
    write_serializer_class = s.PersonWriteSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.person_register().select_related("user")


class PersonList(_People, Creates, RegisterListView):
    """The people register, in the order of their reading. POST registers a person (the
    joining date, when given, is recorded as a life-cycle event)."""

    filters = (
        Filter.choice("kind", PersonKind),
        Filter.choice("status", PersonStatus),
        Filter.ref("department"),
        Filter.flag("key_engineer", "is_key_engineer"),
    )
    search = (*PERSON_SEARCH, "email__icontains")

    def create(self, data: dict[str, Any]) -> Person:
        return services.person_create(**data)


class PersonDetail(_People, Updates, RegisterDetailView):
    """A person. PATCH changes their details (department and status change through the
    life-cycle pages: transfer, notice, departure)."""

    def update(self, instance: Person, data: dict[str, Any]) -> Person:
        # As on the edit page: a department is set only while there is none; a move is a
        # transfer, which also opens a review of the person's access.
        moved = "department" in data and data["department"] != instance.department
        if moved and instance.department_id is not None:
            raise ApplicationError(str(TRANSFER_NEEDED), field="department")
        return services.person_update(person=instance, **data)


class _Departments:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.DepartmentSerializer
    model = Department


class DepartmentList(_Departments, RegisterListView):
    search = ("name__icontains", "code__iexact")


class DepartmentDetail(_Departments, RegisterDetailView):
    pass


class _Pledges:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.PledgeSerializer

    queryset = Pledge.objects.select_related("person").order_by("-requested_on", "-pk")


class PledgeList(_Pledges, RegisterListView):
    filters = (
        Filter.ref("person"),
        Filter.choice("kind", PledgeKind),
        Filter.custom(
            "signed",
            lambda rows, value: rows.filter(signed_on__isnull=not value),
            kind="boolean",
            description="signed (true) or still awaited (false)",
        ),
    )
    search = ("title__icontains", *OF_PERSON)


class PledgeDetail(_Pledges, RegisterDetailView):
    pass


class _Trainings:
    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.TrainingSerializer
    write_serializer_class = s.TrainingWriteSerializer

    queryset = TrainingRecord.objects.select_related("person").order_by("-completed_on", "-pk")


class TrainingList(_Trainings, Creates, RegisterListView):
    """Trainings completed. POST records one."""

    filters = (
        Filter.ref("person"),
        Filter.choice("tier", TrainingTier),
        Filter.date_from("completed_from", "completed_on"),
        Filter.date_to("completed_to", "completed_on"),
    )
    search = ("course__icontains", *OF_PERSON)

    def create(self, data: dict[str, Any]) -> TrainingRecord:
        return services.training_record(**data)


class TrainingDetail(_Trainings, RegisterDetailView):
    write_capability = None


class _SideJobs:
    """Side-job declarations of others are read only with DECLARATIONS_VIEW; everyone
    reads their own under ``/api/me/side-jobs/``."""

    capability = Capability.DECLARATIONS_VIEW
    serializer_class = s.SideJobSerializer

    queryset = SideJobDeclaration.objects.select_related("person").order_by("-declared_on", "-pk")


class SideJobList(_SideJobs, RegisterListView):
    filters = (
        Filter.ref("person"),
        Filter.choice("status", ReviewStatus),
        Filter.flag("overlaps", "overlaps_our_technology"),
    )
    search = ("organisation__icontains", *OF_PERSON)


class SideJobDetail(_SideJobs, RegisterDetailView):
    pass


def _open(rows: QuerySet, value: bool) -> QuerySet:
    falls = (
        Q(type1_foreign_contract=True)
        | Q(type2_foreign_benefit=True)
        | Q(type3_foreign_instruction=True)
    )
    is_open = falls & Q(closed_on__isnull=True)
    return rows.filter(is_open) if value else rows.exclude(is_open)


class _ForeignDeclarations:
    """特定類型 declarations of others: only with DECLARATIONS_VIEW (own ones under
    ``/api/me/foreign-declarations/``)."""

    capability = Capability.DECLARATIONS_VIEW
    serializer_class = s.ForeignDeclarationSerializer

    queryset = ForeignInfluenceDeclaration.objects.select_related("person").order_by(
        "-declared_on", "-pk"
    )


class ForeignDeclarationList(_ForeignDeclarations, RegisterListView):
    filters = (
        Filter.ref("person"),
        Filter.choice("occasion", DeclarationOccasion),
        Filter.custom(
            "open",
            _open,
            kind="boolean",
            description="falls under a type and is not closed (true), or not (false)",
        ),
    )
    search = OF_PERSON


class ForeignDeclarationDetail(_ForeignDeclarations, RegisterDetailView):
    pass
