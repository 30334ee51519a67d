"""Forms of the departure watch: they check the shape of what was typed; the services
check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.core.uploads import UploadLimitFormMixin
from mamori.people.models import Person

FORMAT_CHOICES = [
    ("generic", _("Generic CSV or JSON lines (mamori's schema)")),
    ("m365", _("Microsoft 365 unified audit log (CSV export)")),
    ("gws", _("Google Workspace Drive audit (CSV export or JSON lines)")),
    ("winusb", _("Windows removable-storage events (CSV)")),
]


class ImportForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(label=_("Log file"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)


class SettingsForm(forms.Form):
    before_days = forms.IntegerField(
        label=_("Days watched before the notice"), min_value=1, max_value=365
    )
    after_days = forms.IntegerField(
        label=_("Days watched after the notice"), min_value=0, max_value=180
    )
    work_start_hour = forms.IntegerField(
        label=_("Working hours start (hour)"), min_value=0, max_value=23
    )
    work_end_hour = forms.IntegerField(
        label=_("Working hours end (hour)"), min_value=1, max_value=24
    )
    threshold = forms.IntegerField(
        label=_("Report as a finding from a risk score of"), min_value=1, max_value=100
    )


class AliasForm(forms.Form):
    account = forms.CharField(label=_("Account in the logs"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AssignAccountForm(forms.Form):
    """Say who an unmatched account is."""

    account = forms.CharField(widget=forms.HiddenInput, max_length=200)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.order_by("name", "pk"),
        empty_label=_("Choose a person"),
    )


class AssetPathForm(forms.Form):
    asset = forms.ModelChoiceField(
        label=_("Information asset"),
        queryset=InformationAsset.objects.filter(secrecy_class__isnull=False).order_by(
            "name", "pk"
        ),
        empty_label=_("Choose an asset"),
    )
    pattern = forms.CharField(
        label=_("Path, folder or file name in the logs"),
        max_length=500,
        help_text=_(
            "A folder or file path matches it and everything in it; a name without a slash "
            "matches every file whose name contains it."
        ),
    )
