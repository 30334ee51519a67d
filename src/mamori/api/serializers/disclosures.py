"""Disclosures, samples lent out and exhibitions."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mamori.api.serializers.common import TitleRef, optional_ref, ref, user_ref
from mamori.disclosures.models import Disclosure, Exhibition, ExhibitionContact, Sample
from mamori.disclosures.selectors import SAMPLE_STATUSES, sample_status

# What is given, to whom, how and under which contract: read and written alike.
DISCLOSURE_FIELDS = (
    "counterparty",
    "contract",
    "assets",
    "disclosed_on",
    "disclosed_by",
    "purpose",
    "method",
    "codenamed",
    "use_withheld",
)


class DisclosureSerializer(serializers.ModelSerializer):
    counterparty = ref()
    contract = TitleRef(read_only=True, allow_null=True)
    assets = ref(many=True)
    disclosed_by = optional_ref()
    provision_stage = optional_ref()
    override_by = user_ref()
    warnings = serializers.JSONField(read_only=True, help_text="warnings when it was recorded")
    checks = serializers.JSONField(
        read_only=True, help_text="the checks that ran when it was recorded, with outcomes"
    )

    class Meta:
        model = Disclosure
        fields = (
            "id",
            *DISCLOSURE_FIELDS,
            "provision_stage",
            "pre_deal",
            "warnings",
            "checks",
            "override_reason",
            "override_by",
        )


class DisclosureWriteSerializer(serializers.ModelSerializer):
    """A disclosure to record. It is checked first against every contract in force with
    the counterparty (or the ``contract`` given): unconfirmed warnings answer 409 with
    their keys; send them back in ``confirmed``. 極秘 information with warnings also needs
    the officer's ``override_reason``."""

    confirmed = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        default=list,
        help_text="keys of the warnings seen and accepted",
    )
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="the officer's reason"
    )

    class Meta:
        model = Disclosure
        fields = (
            *DISCLOSURE_FIELDS,
            "pre_deal",
            "confirmed",
            "override_reason",
        )
        extra_kwargs = {"assets": {"required": True}}


class SampleSerializer(serializers.ModelSerializer):
    counterparty = ref()
    contract = TitleRef(read_only=True, allow_null=True)
    asset = optional_ref()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Sample
        fields = (
            "id",
            "counterparty",
            "contract",
            "description",
            "asset",
            "quantity",
            "lent_on",
            "due_back_on",
            "returned_on",
            "condition",
            "inspected_on",
            "reverse_engineering_signs",
            "inspection_note",
            "status",
        )

    @extend_schema_field(serializers.ChoiceField(choices=SAMPLE_STATUSES))
    def get_status(self, sample: Sample) -> str:
        return sample_status(sample, timezone.localdate())


class ExhibitionContactSerializer(serializers.ModelSerializer):
    recorded_by = optional_ref()

    class Meta:
        model = ExhibitionContact
        fields = (
            "id",
            "occurred_on",
            "visitor",
            "what_happened",
            "very_technical",
            "asked_private_contact",
            "recorded_by",
            "escalated_on",
            "action",
        )


class ExhibitionSerializer(serializers.ModelSerializer):
    staff = ref(many=True)
    scope_approved_by = user_ref()
    escalation_contact = optional_ref()
    contacts = ExhibitionContactSerializer(many=True, read_only=True)

    class Meta:
        model = Exhibition
        fields = (
            "id",
            "name",
            "venue",
            "country",
            "starts_on",
            "ends_on",
            "staff",
            "may_disclose",
            "must_not_disclose",
            "scope_approved_by",
            "scope_approved_on",
            "staff_briefed_on",
            "escalation_contact",
            "contacts",
        )
