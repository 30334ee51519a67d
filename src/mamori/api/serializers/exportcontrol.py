"""Export control records: licences and judgements, catch-all checks, end-user screening
hits and funding rounds (the technologies' 該非判定 are in ``assets``)."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import optional_ref, ref, user_ref
from mamori.exportcontrol.models import (
    CatchAllCheck,
    EndUserEntry,
    ExportAuthorization,
    FundingRound,
    InvestorRelation,
    RoundParticipation,
    ScreeningHit,
)


class DisclosureRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    counterparty = ref()
    disclosed_on = serializers.DateField(read_only=True)


class AuthorizationSerializer(serializers.ModelSerializer):
    technology = ref()
    counterparty = optional_ref()
    person = optional_ref()
    disclosure = DisclosureRef(read_only=True, allow_null=True)
    recorded_by = user_ref()

    class Meta:
        model = ExportAuthorization
        fields = (
            "id",
            "technology",
            "counterparty",
            "person",
            "disclosure",
            "kind",
            "reference",
            "basis",
            "decided_by",
            "decided_on",
            "valid_until",
            "recorded_by",
        )


class CatchAllSerializer(serializers.ModelSerializer):
    disclosure = DisclosureRef(read_only=True)
    has_concern = serializers.BooleanField(read_only=True)

    class Meta:
        model = CatchAllCheck
        fields = (
            "id",
            "disclosure",
            "end_use",
            "end_user",
            "military_end_use",
            "end_user_listed",
            "informed",
            "has_concern",
            "conclusion",
            "checked_by",
            "checked_on",
            "note",
        )


class EntrySerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = EndUserEntry
        fields = ("id", "number", "name", "aliases", "country", "category")


class HitSerializer(serializers.ModelSerializer):
    counterparty = ref()
    entry = EntrySerializer(read_only=True)
    decided_by = user_ref()

    class Meta:
        model = ScreeningHit
        fields = (
            "id",
            "counterparty",
            "entry",
            "screened_name",
            "matched_name",
            "score",
            "match_kind",
            "reason",
            "status",
            "decided_by",
            "decided_on",
            "decision_note",
        )


class ParticipationSerializer(serializers.ModelSerializer):
    investor = ref()
    investor_relation = serializers.ChoiceField(
        source="investor.investor_profile.relation",
        choices=InvestorRelation.choices,
        read_only=True,
        allow_null=True,
        allow_blank=True,
        help_text="competitor or corporate (CVC): reviewed in the capital policy",
    )
    leakage_reviewed_by = user_ref()

    class Meta:
        model = RoundParticipation
        fields = (
            "id",
            "investor",
            "stake",
            "board_seat",
            "technology_access",
            "notification_filed_on",
            "notification_reference",
            "investor_relation",
            "leakage_review",
            "leakage_reviewed_on",
            "leakage_reviewed_by",
        )


class FundingRoundSerializer(serializers.ModelSerializer):
    participations = ParticipationSerializer(many=True, read_only=True)

    class Meta:
        model = FundingRound
        fields = ("id", "name", "status", "planned_on", "closed_on", "note", "participations")
