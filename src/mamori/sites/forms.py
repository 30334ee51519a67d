"""Forms of the overseas sites register; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core.forms import DATE_WIDGET, FastSelect, FilterForm, initial_of, today
from mamori.disclosures.forms_outreach import CounterpartyChoiceField, offer
from mamori.partners.models import Counterparty
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteKind
from mamori.sites.selectors import EQUIPMENT_STATUSES, SITE_STATUSES

SITE_STATUS_LABELS = dict(
    zip(
        SITE_STATUSES,
        (_("Audit overdue"), _("Local laws not checked"), _("Audit issues left open")),
        strict=True,
    )
)
EQUIPMENT_STATUS_LABELS = dict(
    zip(
        EQUIPMENT_STATUSES,
        (_("Still out"), _("Customisations not reverted"), _("Returned")),
        strict=True,
    )
)


class SiteFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *SiteKind.choices]
    )
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *SITE_STATUS_LABELS.items()]
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"kind": "", "country": "", "status": ""}
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "country": data["country"].strip().upper(),
            "status": data["status"],
        }


class SiteForm(forms.Form):
    """A site and the checks the handbook asks for before and after going abroad."""

    name = forms.CharField(label=_("Site name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    country = forms.CharField(
        label=_("Country"), max_length=2, help_text=_("Two-letter code, e.g. CN, VN, US.")
    )
    operator = CounterpartyChoiceField(
        label=_("Operated by"),
        queryset=Counterparty.objects.none(),
        required=False,
        widget=FastSelect,
        empty_label=_("— the company itself —"),
        help_text=_("A contract manufacturer or partner, or empty when the company runs it."),
    )
    opened_on = forms.DateField(label=_("Site opened on"), required=False, widget=DATE_WIDGET)
    laws_checked_on = forms.DateField(
        label=_("Local laws checked on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Laws that can force disclosure of technology to authorities or partners."),
    )
    laws_note = forms.CharField(
        label=_("What the laws allow"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    labour_mobility_note = forms.CharField(
        label=_("Labour mobility and practices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How often staff change jobs, non-compete practice, what that means here."),
    )
    advisor = forms.CharField(
        label=_("Local advisor"),
        max_length=200,
        required=False,
        help_text=_("The lawyer or consultant who advised on the local rules."),
    )
    access_restrictions = forms.CharField(
        label=_("Access restrictions in place"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zones, IT permissions, who may enter, what may not leave the site."),
    )
    handles_core_technology = forms.BooleanField(label=_("Handles core technology"), required=False)
    audit_interval_months = forms.IntegerField(
        label=_("Audit every (months)"), min_value=1, max_value=60, initial=12
    )

    def __init__(
        self,
        *args: Any,
        site: OverseasSite | None = None,
        counterparty_query: str = "",
        **kwargs: Any,
    ):
        if site is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_of(site, self.base_fields)
        super().__init__(*args, **kwargs)
        self.truncated = {
            "operator": offer(
                self,
                "operator",
                Counterparty.objects.order_by("name", "pk"),
                query=counterparty_query,
            )
        }


class AuditForm(forms.Form):
    audited_on = forms.DateField(label=_("Audited on"), initial=today, widget=DATE_WIDGET)
    auditor = forms.CharField(label=_("Auditor"), max_length=120)
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    issues_open = forms.BooleanField(label=_("Issues left open"), required=False)


class EquipmentFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *EQUIPMENT_STATUS_LABELS.items()],
    )


class EquipmentForm(forms.Form):
    """Equipment sent out for maintenance or repair, and the check before it left."""

    equipment = forms.CharField(label=_("Equipment"), max_length=200)
    sent_to = CounterpartyChoiceField(
        label=_("Sent to"),
        queryset=Counterparty.objects.none(),
        widget=FastSelect,
        help_text=_("Usually the equipment maker or a repair company."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200, help_text=_("e.g. yearly maintenance, repair")
    )
    sent_on = forms.DateField(label=_("Sent on"), initial=today, widget=DATE_WIDGET)
    has_customisations = forms.BooleanField(
        label=_("Customised by us"),
        required=False,
        initial=True,
        help_text=_("Modifications, settings or software the company added after purchase."),
    )
    customisations_reverted = forms.BooleanField(
        label=_("Customisations reverted before sending"),
        required=False,
        help_text=_("Returned to the as-purchased state, settings and data removed."),
    )
    checked_by = forms.CharField(
        label=_("Checked by"),
        max_length=120,
        required=False,
        help_text=_("Who confirmed that the customisations were reverted."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        dispatch: EquipmentDispatch | None = None,
        counterparty_query: str = "",
        **kwargs: Any,
    ):
        if dispatch is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_of(dispatch, self.base_fields)
        super().__init__(*args, **kwargs)
        self.truncated = {
            "sent_to": offer(
                self,
                "sent_to",
                Counterparty.objects.order_by("name", "pk"),
                query=counterparty_query,
            )
        }


class EquipmentReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), initial=today, widget=DATE_WIDGET)
