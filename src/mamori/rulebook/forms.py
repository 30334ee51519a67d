"""Forms of the information-management rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core.forms import DATE_WIDGET, today
from mamori.core.uploads import UploadLimitFormMixin
from mamori.people.models import Person


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    covers = forms.CharField(
        label=_("What it covers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: how confidential information is handled; which devices, cloud "
            "services and software may be used for work and how."
        ),
    )


class VersionForm(UploadLimitFormMixin, forms.Form):
    label = forms.CharField(label=_("Version"), max_length=60, help_text=_("For example 第2版."))
    effective_from = forms.DateField(label=_("In force from"), initial=today, widget=DATE_WIDGET)
    changes = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("The rules as text, or upload the file below (or both)."),
    )
    upload = forms.FileField(label=_("File"), required=False)


class AcknowledgeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PaperAcknowledgementForm(forms.Form):
    """The officer records an acknowledgement given on paper (someone without an account)."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    acknowledged_on = forms.DateField(label=_("Acknowledged on"), initial=today, widget=DATE_WIDGET)

    def __init__(self, *args: Any, pending: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if pending is not None:
            self.fields["person"].queryset = pending
