"""Findings and the checklist's status per row."""

from __future__ import annotations

from typing import get_args

from rest_framework import serializers

from mamori.api.serializers.common import UserRef
from mamori.assessment.models import Status
from mamori.catalog.schema import Channel, Stage
from mamori.engines.rules import Severity

SEVERITIES = [severity.label for severity in sorted(Severity, reverse=True)]
STAGES = list(get_args(Stage.model_fields["id"].annotation))
CHANNELS = list(get_args(Channel.model_fields["id"].annotation))


class FindingObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="app.model, e.g. assets.informationasset")
    id = serializers.CharField()
    label = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    """An open finding, as ``mamori findings --format json`` prints it."""

    rule = serializers.CharField(source="finding.rule")
    severity = serializers.ChoiceField(SEVERITIES, source="severity.label")
    title = serializers.CharField()
    message = serializers.CharField()
    fix = serializers.CharField()
    objects = FindingObjectSerializer(many=True, help_text="the subject first")
    since = serializers.DateTimeField(source="finding.first_seen")


class DerivedSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField(help_text="whether the registers prove the row")
    reasons = serializers.ListField(child=serializers.CharField())


class ChecklistRowSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="the catalog's row id (urn)")
    title = serializers.CharField()
    channel = serializers.ChoiceField(CHANNELS)
    stage = serializers.ChoiceField(
        STAGES, help_text="the stage whose checklist holds the row (earlier: left undone)"
    )
    status = serializers.ChoiceField(Status.choices)
    owner = UserRef(allow_null=True, help_text="the account responsible")
    due_date = serializers.DateField(allow_null=True)
    evidence_count = serializers.IntegerField()
    derived = DerivedSerializer(
        allow_null=True, help_text="what the registers say, for rows they can prove"
    )


class ChecklistSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(STAGES, help_text="the stage shown (the company's by default)")
    stage_title = serializers.CharField()
    company_stage = serializers.ChoiceField(STAGES, allow_null=True)
    rows = ChecklistRowSerializer(many=True)
