"""What the API says about assets: the list fields, and the details only on need-to-know."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mamori.assets.models import InformationAsset


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class AssetListSerializer(serializers.ModelSerializer):
    """Name, kind, class and owner: what every reader of the programme may see."""

    secrecy_class = serializers.SerializerMethodField()
    owner = PersonRefSerializer(allow_null=True)

    class Meta:
        model = InformationAsset
        fields = ("id", "name", "kind", "secrecy_class", "owner")

    def get_secrecy_class(self, asset: InformationAsset) -> str | None:
        return asset.secrecy_class.name if asset.secrecy_class_id else None


class AssetSummarySerializer(AssetListSerializer):
    """The list fields for a user who may not see the details."""

    details_visible = serializers.SerializerMethodField()

    class Meta(AssetListSerializer.Meta):
        fields = (*AssetListSerializer.Meta.fields, "details_visible")

    def get_details_visible(self, asset: InformationAsset) -> bool:
        return False


class AssetDetailSerializer(AssetListSerializer):
    """Every field, for a user who needs to know (the view audits each use)."""

    technologies = serializers.SerializerMethodField()
    is_secret_managed = serializers.BooleanField(read_only=True)
    details_visible = serializers.SerializerMethodField()

    class Meta(AssetListSerializer.Meta):
        fields = (
            *AssetListSerializer.Meta.fields,
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
            "details_visible",
        )

    def get_technologies(self, asset: InformationAsset) -> list[dict[str, Any]]:
        return [
            {"id": technology.pk, "name": technology.name}
            for technology in asset.technologies.order_by("name", "pk")
        ]

    def get_details_visible(self, asset: InformationAsset) -> bool:
        return True
