"""Forms of the incident register and the concern reports; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.assets.forms import AssetMultipleChoiceField
from mamori.assets.models import InformationAsset
from mamori.core.forms import (
    DATE_WIDGET,
    FastSelect,
    FastSelectMultiple,
    FilterForm,
    initial_of,
    today,
)
from mamori.core.uploads import UploadLimitFormMixin
from mamori.disclosures.forms_outreach import CounterpartyChoiceField, PersonMultipleChoiceField
from mamori.disclosures.models import Exhibition
from mamori.incidents.models import (
    ConcernKind,
    ContainmentKind,
    Incident,
    IncidentKind,
    ResponseKind,
)
from mamori.incidents.selectors import CONCERN_STATUSES, INCIDENT_STATUSES, handbook_contacts
from mamori.incidents.services import POLICE
from mamori.partners.models import Counterparty
from mamori.people.models import Person

INCIDENT_STATUS_LABELS = dict(
    zip(INCIDENT_STATUSES, (_("Open"), _("Not contained yet"), _("Closed")), strict=True)
)
CONCERN_STATUS_LABELS = dict(
    zip(CONCERN_STATUSES, (_("Not reviewed"), _("Reviewed"), _("Became an incident")), strict=True)
)


class IncidentFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *INCIDENT_STATUS_LABELS.items()]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *IncidentKind.choices]
    )
    query = forms.CharField(label=_("Search"), required=False, max_length=100)


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("What happened (in a line)"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    description = forms.CharField(
        label=_("What is known"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Facts only: what was taken or shown, how it came to light, what is unclear."),
    )
    found_on = forms.DateField(label=_("Found on"), widget=DATE_WIDGET, initial=today)
    found_by = forms.CharField(label=_("Found by"), max_length=200)
    handled_by = forms.CharField(
        label=_("Handled by"), max_length=200, help_text=_("Who drives the response.")
    )
    persons = PersonMultipleChoiceField(
        label=_("People involved"),
        queryset=Person.objects.select_related("department").order_by("name", "pk"),
        required=False,
        widget=FastSelectMultiple,
    )
    others_involved = forms.CharField(label=_("Others involved"), max_length=300, required=False)
    counterparty = CounterpartyChoiceField(
        label=_("Partner involved"),
        queryset=Counterparty.objects.order_by("name", "pk"),
        required=False,
        widget=FastSelect,
    )
    assets = AssetMultipleChoiceField(
        label=_("Information assets affected"),
        queryset=InformationAsset.objects.select_related("secrecy_class").order_by("name", "pk"),
        required=False,
        widget=FastSelectMultiple,
    )

    def __init__(self, *args: Any, incident: Incident | None = None, **kwargs: Any):
        if incident is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_of(incident, self.base_fields)
        super().__init__(*args, **kwargs)


class EvidenceForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Kept as it is, with its SHA-256 digest."))
    title = forms.CharField(label=_("What it is"), max_length=200, required=False)
    preserved_on = forms.DateField(label=_("Preserved on"), widget=DATE_WIDGET, initial=today)
    preserved_by = forms.CharField(label=_("Preserved by"), max_length=200)


class ContainmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=ContainmentKind.choices)
    done_on = forms.DateField(label=_("Done on"), widget=DATE_WIDGET, initial=today)
    done_by = forms.CharField(label=_("Done by"), max_length=200)
    note = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _contact_choices() -> list[tuple[str, str]]:
    contacts = [
        (
            contact.id,
            f"{contact.organisation.ja} {contact.department.ja}（{contact.phone_printed}）",
        )
        for contact in handbook_contacts()
    ]
    return [
        *contacts,
        (POLICE, str(_("Police (the prefectural police's consultation desk)"))),
        ("", str(_("Another body (name it below)"))),
    ]


class ConsultationForm(forms.Form):
    contact_id = forms.ChoiceField(label=_("Consulted"), required=False, choices=())
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("The police station or desk, a law firm, another body."),
    )
    consulted_on = forms.DateField(label=_("Consulted on"), widget=DATE_WIDGET, initial=today)
    consulted_by = forms.CharField(label=_("Consulted by"), max_length=200)
    advice = forms.CharField(
        label=_("Advice received"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["contact_id"].choices = _contact_choices()


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Response"), choices=ResponseKind.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET, initial=today)
    decided_by = forms.CharField(label=_("Decided by"), max_length=200)
    owner = forms.CharField(label=_("Carried out by"), max_length=200)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET, initial=today)
    closing_note = forms.CharField(
        label=_("How it ended"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    pass


# --- concerns ----------------------------------------------------------------------------------


class ExhibitionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Exhibition) -> str:
        return f"{obj.name}（{obj.starts_on:%Y-%m-%d}）"


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=ConcernKind.choices)
    occurred_on = forms.DateField(label=_("When"), widget=DATE_WIDGET, initial=today)
    who = forms.CharField(
        label=_("Who approached you"),
        max_length=200,
        required=False,
        help_text=_("Name, organisation, or how they introduced themselves, as far as known."),
    )
    description = forms.CharField(
        label=_("What was asked or requested"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write it down while you remember; you need not be sure it matters."),
    )
    exhibition = ExhibitionChoiceField(
        label=_("At the exhibition"),
        queryset=Exhibition.objects.order_by("-starts_on", "-pk"),
        required=False,
        empty_label=_("— not at an exhibition —"),
    )


class ConcernFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CONCERN_STATUS_LABELS.items()]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ConcernKind.choices]
    )


class ConcernReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET, initial=today)
    review_note = forms.CharField(
        label=_("What the review concluded"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConcernEscalateForm(forms.Form):
    handled_by = forms.CharField(label=_("Handled by"), max_length=200)


class NoFilterForm(FilterForm):
    """A list without filters (the reporter's own concerns)."""
