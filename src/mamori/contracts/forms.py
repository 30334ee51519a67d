"""Forms of the contracts area; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract, ContractKind, ProvisionStage
from mamori.contracts.selectors import ClauseLine, ContractStatus
from mamori.core.forms import DATE_WIDGET, FastSelect, FastSelectMultiple, today
from mamori.core.uploads import UploadLimitFormMixin
from mamori.partners.models import Counterparty


def asset_label(asset: InformationAsset) -> str:
    return f"{asset.name}［{asset.secrecy_class}］" if asset.secrecy_class_id else asset.name


class AssetsField(forms.ModelMultipleChoiceField):
    """Information assets as check boxes; the form decides which are offered."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: InformationAsset) -> str:
        return asset_label(obj)


def offer_assets(field: forms.ModelMultipleChoiceField, offered: list[InformationAsset]) -> None:
    """Offer only ``offered`` (validation still accepts any asset of the field's queryset):
    with tens of thousands of assets, the page lists a searchable slice."""
    field.widget.choices = [(asset.pk, asset_label(asset)) for asset in offered]


class _CounterpartyChoices(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class CounterpartyField(forms.ModelChoiceField):
    iterator = _CounterpartyChoices


class CounterpartiesField(forms.ModelMultipleChoiceField):
    iterator = _CounterpartyChoices


class ContractForm(forms.ModelForm):
    """A contract: type, parties, dates, renewal and the scope of what is provided."""

    class Meta:
        model = Contract
        fields = (
            "title",
            "kind",
            "counterparty",
            "other_parties",
            "signed_on",
            "starts_on",
            "ends_on",
            "renewal",
            "confidentiality_survives_until",
            "scope",
            "scope_note",
            "information_returned_on",
        )
        widgets = {
            "counterparty": FastSelect,
            "other_parties": FastSelectMultiple(attrs={"size": 6}),
            "signed_on": DATE_WIDGET,
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "confidentiality_survives_until": DATE_WIDGET,
            "information_returned_on": DATE_WIDGET,
            "scope_note": forms.Textarea(attrs={"rows": 3}),
            "renewal": forms.RadioSelect,
        }
        field_classes = {
            "counterparty": CounterpartyField,
            "other_parties": CounterpartiesField,
            "scope": AssetsField,
        }
        labels = {"title": _("Contract title")}

    def __init__(self, *args: Any, offered_assets: list[InformationAsset], **kwargs: Any):
        super().__init__(*args, **kwargs)
        counterparties = Counterparty.objects.order_by("name", "pk")
        self.fields["counterparty"].queryset = counterparties
        self.fields["other_parties"].queryset = counterparties
        self.fields["other_parties"].help_text = _(
            "Further parties to a contract with several parties (hold Ctrl or ⌘ to choose "
            "more than one)."
        )
        self.fields["kind"].choices = ContractKind.choices
        self.fields["scope"].queryset = InformationAsset.objects.all()
        offer_assets(self.fields["scope"], offered_assets)
        self.fields["scope"].help_text = _(
            "The information assets the contract lets you provide. Disclosures of anything "
            "else are flagged. Search above the form when an asset is not listed."
        )
        self.fields["scope_note"].help_text = _(
            "The technology provided, in the contract's words (purpose, content, manner)."
        )
        self.fields["information_returned_on"].help_text = _(
            "When the counterparty returned or destroyed the information (confirmed)."
        )

    def service_fields(self) -> dict[str, Any]:
        """Return the contract's own fields for ``contract_save``."""
        data = dict(self.cleaned_data)
        data.pop("other_parties", None)
        data.pop("scope", None)
        return data


class ClauseChecklistForm(forms.Form):
    """One line per catalog clause: held or not, and the article that carries it."""

    def __init__(self, *args: Any, lines: list[ClauseLine], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for index, line in enumerate(lines):
            self.fields[f"held_{index}"] = forms.BooleanField(
                label=_("Held"),
                required=False,
                initial=line.held is not None,
            )
            self.fields[f"article_{index}"] = forms.CharField(
                label=_("Article"),
                required=False,
                max_length=100,
                initial=line.held.article if line.held else "",
                widget=forms.TextInput(attrs={"placeholder": _("e.g. 第5条"), "size": 12}),
            )

    def rows(self) -> list[tuple[ClauseLine, Any, Any]]:
        return [
            (line, self[f"held_{index}"], self[f"article_{index}"])
            for index, line in enumerate(self.lines)
        ]

    def held(self) -> dict[str, str]:
        """Return ``{clause id: article}`` of the clauses held; an article implies the clause."""
        held = {}
        for index, line in enumerate(self.lines):
            article = self.cleaned_data.get(f"article_{index}", "").strip()
            if self.cleaned_data.get(f"held_{index}") or article:
                held[line.clause.id] = article
        return held


class ContractFileForm(UploadLimitFormMixin, forms.Form):
    # Empty files reach the service, whose message names the file.
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("e.g. signed copy, annex 1; the file name when left empty"),
    )


class ProvisionStageForm(forms.ModelForm):
    class Meta:
        model = ProvisionStage
        fields = ("name", "assets", "condition_to_proceed")
        widgets = {"condition_to_proceed": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"assets": AssetsField}

    def __init__(self, *args: Any, scope: list[InformationAsset], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = InformationAsset.objects.all()
        self.fields["assets"].required = False
        offer_assets(self.fields["assets"], scope)
        self.fields["assets"].help_text = _(
            "What this stage lets you give, from the contract's scope."
        )
        self.fields["condition_to_proceed"].help_text = _(
            "What must hold before moving on to the next stage (e.g. prototype accepted, "
            "audit of the plant passed)."
        )


class StageChoiceForm(forms.Form):
    stage = forms.IntegerField(widget=forms.HiddenInput)


class StageReachForm(StageChoiceForm):
    reached_on = forms.DateField(label=_("Reached on"), initial=today, widget=DATE_WIDGET)


class ContractFilterForm(forms.Form):
    """The list's filters; invalid values are ignored rather than refused."""

    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ContractKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (ContractStatus.IN_FORCE, ContractStatus.IN_FORCE.label),
            (ContractStatus.EXPIRING, ContractStatus.EXPIRING.label),
            (ContractStatus.ENDED, ContractStatus.ENDED.label),
            (ContractStatus.NOT_SIGNED, ContractStatus.NOT_SIGNED.label),
        ],
    )
    missing = forms.BooleanField(label=_("Missing required clauses"), required=False)
