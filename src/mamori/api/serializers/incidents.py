"""Incidents (the officer's alone) and the concerns reported."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import Ref, optional_ref, user_ref
from mamori.incidents.models import (
    ConcernReport,
    Consultation,
    ContainmentStep,
    Incident,
    IncidentEvidence,
    ResponseDecision,
)

# What every reader of a concern sees: the officer and the reporter.
CONCERN_FIELDS = ("id", "kind", "occurred_on", "who", "description", "exhibition")


class IncidentSummarySerializer(serializers.ModelSerializer):
    """An incident as the list shows it: its number, kind and dates, no details."""

    contained_on = serializers.DateField(source="first_containment", read_only=True)

    class Meta:
        model = Incident
        fields = ("id", "kind", "found_on", "contained_on", "closed_on")


class _EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentEvidence
        fields = ("id", "title", "original_name", "size", "sha256", "preserved_on", "preserved_by")


class _ContainmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContainmentStep
        fields = ("id", "kind", "done_on", "done_by", "note")


class _ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ("id", "contact_id", "organisation", "consulted_on", "consulted_by", "advice")


class _ResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponseDecision
        fields = ("id", "kind", "decided_on", "decided_by", "owner", "reason")


class IncidentSerializer(IncidentSummarySerializer):
    """An incident with everything recorded about it (each read is audited)."""

    persons = Ref(many=True, read_only=True)
    assets = Ref(many=True, read_only=True)
    counterparty = optional_ref()
    evidence = _EvidenceSerializer(many=True, read_only=True)
    containment = _ContainmentSerializer(many=True, read_only=True)
    consultations = _ConsultationSerializer(many=True, read_only=True)
    responses = _ResponseSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = (
            *IncidentSummarySerializer.Meta.fields,
            "title",
            "description",
            "found_by",
            "handled_by",
            "persons",
            "others_involved",
            "counterparty",
            "assets",
            "closing_note",
            "evidence",
            "containment",
            "consultations",
            "responses",
        )


class ConcernSerializer(serializers.ModelSerializer):
    reported_by = user_ref()
    exhibition = optional_ref()
    incident = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ConcernReport
        fields = (*CONCERN_FIELDS, "reported_by", "reviewed_on", "incident")


class MyConcernSerializer(serializers.ModelSerializer):
    """A concern as its reporter sees it: whether the officer has seen it, not what they noted."""

    exhibition = optional_ref()
    seen_by_officer = serializers.SerializerMethodField()

    class Meta:
        model = ConcernReport
        fields = (*CONCERN_FIELDS, "seen_by_officer")

    def get_seen_by_officer(self, concern: ConcernReport) -> bool:
        return concern.reviewed_on is not None or concern.incident_id is not None


class ConcernWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConcernReport
        fields = ("kind", "occurred_on", "who", "description", "exhibition")
