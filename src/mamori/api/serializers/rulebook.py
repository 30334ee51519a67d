"""Information-management rules: documents with their versions, and acknowledgements."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import TitleRef, ref, user_ref
from mamori.rulebook.models import RuleAcknowledgement, RuleDocument, RuleVersion


class RuleVersionSerializer(serializers.ModelSerializer):
    published_by = user_ref()
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = RuleVersion
        fields = (
            "id",
            "label",
            "effective_from",
            "changes",
            "text",
            "has_file",
            "original_name",
            "size",
            "sha256",
            "published_by",
        )

    def get_has_file(self, version: RuleVersion) -> bool:
        return bool(version.file)


class RuleDocumentSerializer(serializers.ModelSerializer):
    versions = RuleVersionSerializer(many=True, read_only=True)

    class Meta:
        model = RuleDocument
        fields = ("id", "title", "covers", "versions")


class RuleVersionRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    document = TitleRef(read_only=True)


class RuleAcknowledgementSerializer(serializers.ModelSerializer):
    version = RuleVersionRef(read_only=True)
    person = ref()
    recorded_by = user_ref()

    class Meta:
        model = RuleAcknowledgement
        fields = ("id", "version", "person", "acknowledged_on", "recorded_by")


class MyRuleSerializer(serializers.ModelSerializer):
    document = TitleRef(read_only=True)
    acknowledged_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = RuleVersion
        fields = ("id", "document", "label", "effective_from", "acknowledged_on")
