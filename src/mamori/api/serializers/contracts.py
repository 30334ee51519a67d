"""Contracts with the clauses they hold, their scope and staged provision."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mamori.api.serializers.common import ref
from mamori.assets.models import InformationAsset
from mamori.contracts.forms import ContractForm
from mamori.contracts.models import Contract, ContractClause, ProvisionStage
from mamori.contracts.selectors import ContractStatus, contract_status
from mamori.partners.models import Counterparty


class ClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractClause
        fields = ("clause", "article", "source", "weak")


class StageSerializer(serializers.ModelSerializer):
    assets = ref(many=True)

    class Meta:
        model = ProvisionStage
        fields = ("id", "order", "name", "assets", "condition_to_proceed", "reached_on")


class ContractSerializer(serializers.ModelSerializer):
    counterparty = ref()
    other_parties = ref(many=True)
    scope = ref(many=True, help_text="the information assets provided under it")
    clauses = ClauseSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = (
            "id",
            "title",
            "kind",
            "counterparty",
            "other_parties",
            "signed_on",
            "starts_on",
            "ends_on",
            "renewal",
            "confidentiality_survives_until",
            "status",
            "scope",
            "scope_note",
            "information_returned_on",
            "clauses",
        )

    @extend_schema_field(serializers.ChoiceField(choices=ContractStatus.choices))
    def get_status(self, contract: Contract) -> str:
        return contract_status(contract, timezone.localdate())


class ContractDetailSerializer(ContractSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = (*ContractSerializer.Meta.fields, "stages")


class ContractWriteSerializer(serializers.ModelSerializer):
    """The contract's fields; ``other_parties`` and ``scope`` replace the lists when
    given; ``clauses`` (``{clause id: article}``) replaces the clauses it holds."""

    other_parties = serializers.PrimaryKeyRelatedField(
        queryset=Counterparty.objects.all(), many=True, required=False
    )
    scope = serializers.PrimaryKeyRelatedField(
        queryset=InformationAsset.objects.all(), many=True, required=False
    )
    clauses = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=100),
        required=False,
        help_text="the catalog's clause ids the contract holds, each with its article",
    )

    class Meta:
        model = Contract
        # What the page's form changes, and the clauses held.
        fields = (*ContractForm.Meta.fields, "clauses")
