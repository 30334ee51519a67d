"""Counterparties with their shareholders, members, capital changes and due diligence;
joint-research themes."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import ref, user_ref
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    DueDiligence,
    DueDiligenceAnswer,
    PartnerMember,
    ResearchTheme,
    Shareholder,
)
from mamori.partners.services import COUNTERPARTY_FIELDS


class ShareholderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shareholder
        fields = ("id", "name", "country", "share", "is_government_related")


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerMember
        fields = ("id", "name", "role", "affiliation", "background", "since", "until")


class CapitalChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CapitalChange
        fields = ("id", "occurred_on", "description", "foreign_share_after")


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = DueDiligenceAnswer
        fields = ("question", "answer", "concern", "evidence")


class DueDiligenceSerializer(serializers.ModelSerializer):
    approved_by = user_ref()
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = DueDiligence
        fields = (
            "id",
            "questionnaire",
            "performed_on",
            "performed_by",
            "risk",
            "reasoning",
            "approved_by",
            "approved_on",
            "valid_until",
            "answers",
        )


class CounterpartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Counterparty
        fields = (
            "id",
            "name",
            "kind",
            "country",
            "corporate_number",
            "established_on",
            "website",
        )


class CounterpartyDetailSerializer(CounterpartySerializer):
    shareholders = ShareholderSerializer(many=True, read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    capital_changes = CapitalChangeSerializer(many=True, read_only=True)
    due_diligences = DueDiligenceSerializer(many=True, read_only=True)

    class Meta(CounterpartySerializer.Meta):
        fields = (
            *CounterpartySerializer.Meta.fields,
            "business_record",
            "information_management",
            "note",
            "shareholders",
            "members",
            "capital_changes",
            "due_diligences",
        )


class CounterpartyWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Counterparty
        fields = COUNTERPARTY_FIELDS


class ThemeSerializer(serializers.ModelSerializer):
    counterparty = ref()
    technologies = ref(many=True)

    class Meta:
        model = ResearchTheme
        fields = (
            "id",
            "counterparty",
            "title",
            "description",
            "technologies",
            "reputational_risk",
            "reputational_note",
            "foreign_law_risk",
            "foreign_law_note",
            "risk",
            "decision",
            "conditions",
            "decided_on",
        )
