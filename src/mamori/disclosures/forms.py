"""Forms of the disclosure ledger; the service evaluates the warnings and writes.

(Forms for samples and exhibitions live in ``forms_outreach.py``.)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.assets.forms import PersonChoiceField, current_people
from mamori.assets.models import InformationAsset
from mamori.contracts.forms import AssetsField, CounterpartyField, offer_assets
from mamori.contracts.models import Contract
from mamori.core import views as core_views
from mamori.core.forms import DATE_WIDGET, FastSelect, today
from mamori.disclosures.models import Method
from mamori.partners.models import Counterparty
from mamori.people.models import Person


class CounterpartyPickForm(forms.Form):
    """The first step of recording a disclosure: to whom."""

    counterparty = CounterpartyField(
        label=_("Given to (counterparty)"),
        queryset=Counterparty.objects.order_by("name", "pk"),
        widget=FastSelect,
    )


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        kind = obj.get_kind_display()
        if obj.signed_on:
            return f"{obj.title}（{kind}、{obj.signed_on.isoformat()}）"
        return f"{obj.title}（{kind}）"


class DisclosureForm(forms.Form):
    """What was given to the counterparty, when, how and under which contract."""

    contract = ContractChoiceField(
        label=_("Under contract"),
        queryset=Contract.objects.none(),
        required=False,
        empty_label=_("— not under a contract —"),
    )
    assets = AssetsField(label=_("Information given"), queryset=InformationAsset.objects.all())
    disclosed_on = forms.DateField(label=_("Disclosed on"), initial=today, widget=DATE_WIDGET)
    disclosed_by = PersonChoiceField(
        label=_("Disclosed by"), queryset=Person.objects.none(), required=False, widget=FastSelect
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    codenamed = forms.BooleanField(
        label=_("Proper nouns codenamed"),
        required=False,
        help_text=_("Raw materials, suppliers, customers and process names replaced by codenames."),
    )
    use_withheld = forms.TypedChoiceField(
        label=_("Specific use withheld"),
        choices=[
            ("", "---------"),
            ("yes", _("Yes: the specific use was not mentioned")),
            ("no", _("No: the specific use was mentioned")),
        ],
        coerce=lambda value: value == "yes",
        empty_value=None,
        help_text=_(
            "The handbook: 「提供する情報は必要最小限の範囲に限定することや、具体的な用途について"
            "言及しないことが大切です」 (仕入先に対する情報提供範囲の限定)."
        ),
    )
    pre_deal = forms.BooleanField(
        label=_("Before the deal (feasibility study)"),
        required=False,
        help_text=_("A feasibility study before the deal needs an NDA too."),
    )

    def __init__(
        self,
        *args: Any,
        contracts: Any,
        offered_assets: list[InformationAsset],
        supplier: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if not supplier:
            # Asked of suppliers only, where the handbook asks for it; an answer is required.
            del self.fields["use_withheld"]
        self.fields["contract"].queryset = contracts
        self.fields["disclosed_by"].queryset = current_people()
        offer_assets(self.fields["assets"], offered_assets)
        self.fields["assets"].help_text = _(
            "The information assets of the contracts with this counterparty come first. "
            "Search above the form when an asset is not listed."
        )


class WarningsForm(core_views.WarningsForm):
    """Confirmation of the warnings shown, or the officer's override of a block."""

    confirm = forms.BooleanField(
        label=_("I have read the warnings and record the disclosure anyway"), required=False
    )
    override_reason = forms.CharField(
        label=_("The officer's reason to proceed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DisclosureFilterForm(forms.Form):
    """The ledger's filters; invalid values are ignored rather than refused."""

    asset_q = forms.CharField(label=_("Information asset"), required=False)
    date_from = forms.DateField(label=_("Disclosed from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Disclosed until"), required=False, widget=DATE_WIDGET)
    warnings = forms.BooleanField(label=_("With warnings only"), required=False)
