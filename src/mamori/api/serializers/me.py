"""What a user sees of themselves (self-service): account, register entry, own records."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mamori.accounts.models import User
from mamori.accounts.roles import Capability, Role
from mamori.api.serializers.common import optional_ref, ref
from mamori.assets.models import AccessGrant
from mamori.people.models import Person, Pledge, TrainingRecord

CAPABILITIES = sorted(str(capability) for capability in Capability)


class MyPersonSerializer(serializers.ModelSerializer):
    department = optional_ref()

    class Meta:
        model = Person
        fields = ("id", "employee_number", "name", "kind", "department", "title", "status")


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    role = serializers.ChoiceField(Role.choices, read_only=True)
    capabilities = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "username", "name", "email", "role", "language", "capabilities", "person")

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(CAPABILITIES)))
    def get_capabilities(self, user: User) -> list[str]:
        return sorted(str(capability) for capability in user.capabilities())

    @extend_schema_field(MyPersonSerializer(allow_null=True))
    def get_person(self, user: User) -> dict | None:
        person = self.context.get("person")
        return MyPersonSerializer(person).data if person is not None else None


class MyGrantSerializer(serializers.ModelSerializer):
    asset = ref()
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = AccessGrant
        fields = ("id", "asset", "reason", "valid_from", "valid_until", "revoked_on", "is_active")


class MyPledgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pledge
        fields = ("id", "kind", "title", "text", "requested_on", "signed_on")


class MyTrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingRecord
        fields = ("id", "course", "tier", "completed_on")
