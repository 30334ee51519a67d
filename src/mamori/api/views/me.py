"""Self-service: what every user (employees too) may read about themselves."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mamori.accounts.roles import Capability
from mamori.api.base import ProtectedAPIView, RegisterListView
from mamori.api.filters import grants_in_force_filter
from mamori.api.serializers import me as s
from mamori.api.serializers import people as people_s
from mamori.api.serializers import rulebook as rulebook_s
from mamori.assets.models import AccessGrant
from mamori.people import selectors
from mamori.people.models import (
    ForeignInfluenceDeclaration,
    Person,
    Pledge,
    SideJobDeclaration,
    TrainingRecord,
)
from mamori.rulebook.models import RuleAcknowledgement, RuleVersion
from mamori.rulebook.selectors import versions_in_force


class MeView(ProtectedAPIView):
    """The signed-in user: account, role, capabilities and register entry (``null`` when
    the officer has not linked one)."""

    capability = Capability.SELF_SERVICE

    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        person = selectors.person_for_user(request.user)
        return Response(s.MeSerializer(request.user, context={"person": person}).data)


class _Mine(RegisterListView):
    """One of the user's own lists; empty when no register entry is linked."""

    capability = Capability.SELF_SERVICE
    model: type = Person

    def person(self) -> Person | None:
        if getattr(self, "swagger_fake_view", False):
            return None
        return selectors.person_for_user(self.request.user)

    def get_queryset(self) -> QuerySet:
        person = self.person()
        if person is None:
            return self.model.objects.none()
        return self.mine(person)

    def mine(self, person: Person) -> QuerySet:
        raise NotImplementedError


class MyGrants(_Mine):
    """The information assets the user may access, and why."""

    serializer_class = s.MyGrantSerializer
    model = AccessGrant
    filters = (grants_in_force_filter(),)

    def mine(self, person: Person) -> QuerySet:
        return (
            AccessGrant.objects.filter(person=person)
            .select_related("asset")
            .order_by("-valid_from", "-pk")
        )


class MyPledges(_Mine):
    serializer_class = s.MyPledgeSerializer
    model = Pledge

    def mine(self, person: Person) -> QuerySet:
        return selectors.person_pledges(person)


class MyTrainings(_Mine):
    serializer_class = s.MyTrainingSerializer
    model = TrainingRecord

    def mine(self, person: Person) -> QuerySet:
        return selectors.person_trainings(person)


class MySideJobs(_Mine):
    serializer_class = people_s.SideJobSerializer
    model = SideJobDeclaration

    def mine(self, person: Person) -> QuerySet:
        return selectors.person_side_jobs(person).select_related("person")


class MyForeignDeclarations(_Mine):
    serializer_class = people_s.ForeignDeclarationSerializer
    model = ForeignInfluenceDeclaration

    def mine(self, person: Person) -> QuerySet:
        return selectors.person_foreign_declarations(person).select_related("person")


class MyRules(_Mine):
    """The information-management rules in force, each with the day the user acknowledged
    it (``null``: not yet; acknowledge on My Page)."""

    serializer_class = rulebook_s.MyRuleSerializer
    model = RuleVersion

    def mine(self, person: Person) -> QuerySet:
        acknowledged = RuleAcknowledgement.objects.filter(
            version=OuterRef("pk"), person=person
        ).values("acknowledged_on")[:1]
        return versions_in_force().annotate(acknowledged_on=Subquery(acknowledged))
