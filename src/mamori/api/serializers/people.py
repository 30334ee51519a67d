"""People, departments, pledges, trainings and declarations."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import optional_ref, ref, user_ref
from mamori.people.models import (
    Department,
    ForeignInfluenceDeclaration,
    Person,
    Pledge,
    SideJobDeclaration,
    TrainingRecord,
)
from mamori.people.services import PERSON_FIELDS


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "name", "code")


class PersonSerializer(serializers.ModelSerializer):
    department = optional_ref()
    user = user_ref()
    active_grants = serializers.IntegerField(read_only=True, help_text="access grants not revoked")

    class Meta:
        model = Person
        fields = (
            "id",
            "employee_number",
            "name",
            "name_kana",
            "email",
            "kind",
            "department",
            "title",
            "is_key_engineer",
            "user",
            "joined_on",
            "status",
            "notice_given_on",
            "departed_on",
            "active_grants",
        )


class PersonWriteSerializer(serializers.ModelSerializer):
    """A person's details; department and status change through the life-cycle."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        # The service checks uniqueness with a message that names the other person.
        validators: list = []
        extra_kwargs = {"employee_number": {"validators": []}}


class PledgeSerializer(serializers.ModelSerializer):
    person = ref()
    listed_assets = serializers.JSONField(
        read_only=True, help_text="for an exit pledge: the assets it names"
    )

    class Meta:
        model = Pledge
        fields = (
            "id",
            "person",
            "kind",
            "title",
            "text",
            "requested_on",
            "signed_on",
            "listed_assets",
        )


class TrainingSerializer(serializers.ModelSerializer):
    person = ref()

    class Meta:
        model = TrainingRecord
        fields = ("id", "person", "course", "tier", "completed_on")


class TrainingWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingRecord
        fields = ("person", "course", "tier", "completed_on")


class SideJobSerializer(serializers.ModelSerializer):
    person = ref()

    class Meta:
        model = SideJobDeclaration
        fields = (
            "id",
            "person",
            "organisation",
            "activity",
            "overlaps_our_technology",
            "overlap_note",
            "starts_on",
            "ends_on",
            "declared_on",
            "status",
            "review_note",
        )


class ForeignDeclarationSerializer(serializers.ModelSerializer):
    person = ref()
    is_open = serializers.BooleanField(
        read_only=True, help_text="falls under a type and not closed by the officer"
    )

    class Meta:
        model = ForeignInfluenceDeclaration
        fields = (
            "id",
            "person",
            "occasion",
            "declared_on",
            "type1_foreign_contract",
            "type2_foreign_benefit",
            "type3_foreign_instruction",
            "details",
            "closed_on",
            "closing_note",
            "is_open",
        )
