"""Forms of the black-boxing area; the services check the dictionary and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mamori.assets.models import InformationAsset
from mamori.blackbox.models import Term, TermCategory
from mamori.contracts.forms import AssetsField, CounterpartyField, offer_assets
from mamori.contracts.models import Contract
from mamori.core.forms import FastSelect
from mamori.core.uploads import UploadLimitFormMixin
from mamori.disclosures.models import Method
from mamori.partners.models import Counterparty

DOCUMENT_HELP = _(
    "Text, Markdown or CSV (UTF-8, Shift_JIS or EUC-JP), Word (.docx), Excel (.xlsx), "
    "PowerPoint (.pptx) or PDF."
)


class TermForm(forms.Form):
    """A term of the dictionary, its category, codename and other spellings."""

    text = forms.CharField(label=_("Term"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=TermCategory.choices)
    codename = forms.CharField(
        label=_("Codename"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to have one made from the category (素材A, 供給元B…)."),
    )
    variants = forms.CharField(
        label=_("Other spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: abbreviations, English names, old names. Width (ＡＢＣ/ABC), case and "
            "hyphens or spaces (PF-200, PF 200, PF200) need no extra line; a company's name "
            "without 株式会社 is found too."
        ),
    )
    assets = AssetsField(
        label=_("Information it gives away"),
        queryset=InformationAsset.objects.all(),
        required=False,
        help_text=_(
            "When a document with this term goes to a counterparty, these assets are "
            "recorded as disclosed (codenamed)."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, offered_assets: list[InformationAsset], **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer_assets(self.fields["assets"], offered_assets)

    def clean_variants(self) -> list[str]:
        lines = self.cleaned_data.get("variants") or ""
        return [line.strip() for line in lines.splitlines() if line.strip()]

    @staticmethod
    def initial_for(term: Term) -> dict[str, Any]:
        return {
            "text": term.text,
            "category": term.category,
            "codename": term.codename,
            "variants": "\n".join(term.variants or []),
            "assets": [asset.pk for asset in term.assets.all()],
            "note": term.note,
        }


class TermFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *TermCategory.choices], required=False
    )


class TermsImportForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        allow_empty_file=True,
        help_text=_("Columns: term, category, and optionally codename and variants."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)


class _ContractChoices(forms.models.ModelChoiceIterator):
    """(pk, "title（counterparty）") straight from the database: thousands of contracts
    render fast."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, title, party in self.queryset.values_list("pk", "title", "counterparty__name"):
            yield (pk, f"{title}（{party}）")


class ContractChoiceField(forms.ModelChoiceField):
    iterator = _ContractChoices


class SanitizeForm(UploadLimitFormMixin, forms.Form):
    """A document to sanitize, and to whom it will go (to record the disclosure)."""

    file = forms.FileField(label=_("Document"), allow_empty_file=True, help_text=DOCUMENT_HELP)
    counterparty = CounterpartyField(
        label=_("Sent to (counterparty)"),
        queryset=Counterparty.objects.order_by("name", "pk"),
        required=False,
        widget=FastSelect,
        empty_label=_("— not recorded as a disclosure —"),
        help_text=_("With a recipient, confirming records a disclosure in the ledger."),
    )
    contract = ContractChoiceField(
        label=_("Under contract"),
        queryset=Contract.objects.order_by("title", "pk"),
        required=False,
        widget=FastSelect,
        empty_label=_("— not under a contract —"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("contract") is not None and data.get("counterparty") is None:
            self.add_error("counterparty", _("Choose the counterparty the contract is with."))
        return data


class ConfirmForm(forms.Form):
    """What the disclosure records: the information given, why and how."""

    assets = AssetsField(
        label=_("Information given (codenamed)"),
        queryset=InformationAsset.objects.all(),
        required=False,
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices, initial=Method.EMAIL)

    def __init__(
        self,
        *args: Any,
        offered_assets: list[InformationAsset],
        recipient: bool,
        remaining: int = 0,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        offer_assets(self.fields["assets"], offered_assets)
        self.recipient = recipient
        if not recipient:
            for name in ("assets", "purpose", "method"):
                self.fields[name].required = False
        if remaining:
            # A confidentiality marking or a dictionary term is still in the file: one
            # click must not send it; the sender says they looked.
            self.fields["acknowledge_remaining"] = forms.BooleanField(
                label=ngettext_lazy(
                    "I have checked the %(count)d marking or term still in the file; it may "
                    "leave as it is.",
                    "I have checked the %(count)d markings or terms still in the file; they "
                    "may leave as they are.",
                    "count",
                )
                % {"count": remaining},
                required=True,
                error_messages={
                    "required": _(
                        "Something that must not leave is still in the file: check it and "
                        "tick the box, or sanitize an edited document."
                    )
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.recipient and not (data.get("purpose") or "").strip():
            self.add_error("purpose", _("Say why the document is given."))
        return data


class DocumentForm(UploadLimitFormMixin, forms.Form):
    """A document to scan or restore."""

    file = forms.FileField(label=_("Document"), allow_empty_file=True, help_text=DOCUMENT_HELP)
