"""Overseas sites with their audits, and equipment sent out."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import optional_ref, ref
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteAudit
from mamori.sites.services import SITE_FIELDS


class SiteAuditSerializer(serializers.ModelSerializer):
    class Meta:
        model = SiteAudit
        fields = ("id", "audited_on", "auditor", "result", "issues_open")


class SiteSerializer(serializers.ModelSerializer):
    operator = optional_ref()
    audits = SiteAuditSerializer(many=True, read_only=True)

    class Meta:
        model = OverseasSite
        fields = ("id", *SITE_FIELDS, "audits")


class EquipmentSerializer(serializers.ModelSerializer):
    sent_to = ref()

    class Meta:
        model = EquipmentDispatch
        fields = (
            "id",
            "equipment",
            "sent_to",
            "purpose",
            "sent_on",
            "has_customisations",
            "customisations_reverted",
            "checked_by",
            "returned_on",
            "note",
        )
