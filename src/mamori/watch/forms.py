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
    ("m365", _("Microsoft 365 audit log (Purview CSV, Search-UnifiedAuditLog, JSON)")),
    ("gws", _("Google Workspace Drive log (Reports API JSON, GAM or Admin console CSV)")),
    ("windows", _("Windows security events (.evtx, Event Viewer, PowerShell or EvtxECmd CSV)")),
]
DATE_ORDER_CHOICES = [
    ("", _("Detect from the file")),
    ("dmy", _("Day/month/year (03/02/2026 is 3 February)")),
    ("mdy", _("Month/day/year (03/02/2026 is 2 March)")),
]


class ImportForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(label=_("Log file"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    date_order = forms.ChoiceField(
        label=_("Order of day and month"),
        choices=DATE_ORDER_CHOICES,
        required=False,
        help_text=_(
            "Only for dates such as 03/02/2026 without the year first; times with an offset "
            "are always exact."
        ),
    )


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
    company_domains = forms.CharField(
        label=_("The company's e-mail domains"),
        max_length=500,
        required=False,
        help_text=_(
            "Separated by spaces or commas. Sharing with any other domain counts as sharing "
            "outside the company."
        ),
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
