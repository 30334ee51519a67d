"""Technologies, information assets (details only on need-to-know), access grants and
reviews, and 該非判定."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mamori.api.serializers.common import Ref, optional_ref, ref, user_ref
from mamori.assets.forms import AssetForm, ClassificationForm
from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    ExportClassification,
    ExportResult,
    InformationAsset,
    Technology,
)
from mamori.assets.services import TECHNOLOGY_FIELDS


class TechnologySerializer(serializers.ModelSerializer):
    owner = optional_ref()
    classification = serializers.ChoiceField(
        ExportResult.choices,
        source="current_result",
        read_only=True,
        allow_null=True,
        help_text="the 該非判定 in force (the newest), or null when never classified",
    )
    asset_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Technology
        fields = (
            "id",
            "name",
            "description",
            "category",
            "competitiveness",
            "damage_if_leaked",
            "others_interest",
            "importance",
            "protection",
            "owner",
            "full_process_limit",
            "classification",
            "asset_count",
        )


class TechnologyWriteSerializer(serializers.ModelSerializer):
    """The importance follows from the three scores; it cannot be set."""

    class Meta:
        model = Technology
        fields = TECHNOLOGY_FIELDS


class ClassificationSerializer(serializers.ModelSerializer):
    technology = ref()

    class Meta:
        model = ExportClassification
        fields = ("id", "technology", *ClassificationForm.Meta.fields)


class AssetListSerializer(serializers.ModelSerializer):
    """Name, kind, class and owner: what every reader of the programme may see."""

    secrecy_class = serializers.SerializerMethodField()
    owner = optional_ref()

    class Meta:
        model = InformationAsset
        fields = ("id", "name", "kind", "secrecy_class", "owner")

    def get_secrecy_class(self, asset: InformationAsset) -> str | None:
        return asset.secrecy_class.name if asset.secrecy_class_id else None


# The fields shown only to those who need to know (grant, owner, officer).
NEED_TO_KNOW = (
    "technologies",
    "description",
    "storage_location",
    "is_useful",
    "usefulness_note",
    "marking",
    "separation",
    "is_secret_managed",
    "is_non_public",
    "non_public_note",
    "evidence_note",
)


class AssetDetailSerializer(AssetListSerializer):
    """Every field; the need-to-know ones are ``null`` unless ``details_visible``.

    The view decides (``context["details_visible"]``) and audits every use.
    """

    technologies = serializers.SerializerMethodField()
    description = serializers.CharField(read_only=True, allow_null=True)
    storage_location = serializers.CharField(read_only=True, allow_null=True)
    is_useful = serializers.BooleanField(read_only=True, allow_null=True)
    usefulness_note = serializers.CharField(read_only=True, allow_null=True)
    marking = serializers.CharField(read_only=True, allow_null=True)
    separation = serializers.CharField(read_only=True, allow_null=True)
    is_secret_managed = serializers.BooleanField(read_only=True, allow_null=True)
    is_non_public = serializers.BooleanField(read_only=True, allow_null=True)
    non_public_note = serializers.CharField(read_only=True, allow_null=True)
    evidence_note = serializers.CharField(read_only=True, allow_null=True)
    details_visible = serializers.SerializerMethodField()

    class Meta(AssetListSerializer.Meta):
        fields = (*AssetListSerializer.Meta.fields, *NEED_TO_KNOW, "details_visible")

    def to_representation(self, asset: InformationAsset) -> dict[str, Any]:
        if self.get_details_visible(asset):
            return super().to_representation(asset)
        # The public part only: the details are never read from the row.
        data = AssetListSerializer(asset, context=self.context).data
        return {**data, **dict.fromkeys(NEED_TO_KNOW), "details_visible": False}

    @extend_schema_field(Ref(many=True, allow_null=True))
    def get_technologies(self, asset: InformationAsset) -> list[dict[str, Any]]:
        return [
            {"id": technology.pk, "name": technology.name}
            for technology in asset.technologies.order_by("name", "pk")
        ]

    def get_details_visible(self, asset: InformationAsset) -> bool:
        return bool(self.context.get("details_visible"))


class AssetWriteSerializer(serializers.ModelSerializer):
    technologies = serializers.PrimaryKeyRelatedField(
        queryset=Technology.objects.all(), many=True, required=False
    )

    class Meta:
        model = InformationAsset
        fields = AssetForm.Meta.fields  # what the page's form changes, the API changes


class GrantSerializer(serializers.ModelSerializer):
    person = ref()
    asset = ref()
    granted_by = user_ref()
    revoked_by = user_ref()
    is_active = serializers.BooleanField(read_only=True, help_text="not revoked")

    class Meta:
        model = AccessGrant
        fields = (
            "id",
            "person",
            "asset",
            "reason",
            "granted_by",
            "valid_from",
            "valid_until",
            "revoked_on",
            "revoked_by",
            "revoke_reason",
            "is_active",
        )


class GrantWriteSerializer(serializers.ModelSerializer):
    """A new grant: ``valid_from`` defaults to today."""

    class Meta:
        model = AccessGrant
        fields = ("person", "asset", "reason", "valid_from", "valid_until")
        extra_kwargs = {"valid_from": {"required": False}}


class GrantRequestedSerializer(serializers.Serializer):
    """Access to an asset whose class needs approval: the request that waits for the
    asset's owner or the officer."""

    approval_request = serializers.IntegerField(help_text="the request's id")
    status = serializers.CharField(help_text="pending")
    url = serializers.CharField(help_text="the request's page")


class AssetChangeRequestedSerializer(GrantRequestedSerializer):
    """A lowered secrecy class waits for the asset's owner or the officer; the other
    fields of the change are saved."""

    asset = AssetDetailSerializer(help_text="the asset as it is now, its old class kept")


class GrantRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    revoked_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReviewSerializer(serializers.ModelSerializer):
    person = optional_ref()
    pending = serializers.IntegerField(read_only=True, help_text="items not yet decided")
    confirmed = serializers.IntegerField(read_only=True)
    revoked = serializers.IntegerField(read_only=True)

    class Meta:
        model = AccessReview
        fields = (
            "id",
            "kind",
            "title",
            "person",
            "opened_on",
            "due_on",
            "closed_on",
            "pending",
            "confirmed",
            "revoked",
        )
