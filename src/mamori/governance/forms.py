"""Forms of the officer appointment and the security posture; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.assets.forms import PersonChoiceField, current_people
from mamori.core.forms import DATE_WIDGET, FastSelect, FilterForm, initial_of, today
from mamori.governance.models import OfficerAppointment, PostureArea, PostureMeasure


class AppointmentForm(forms.Form):
    person = PersonChoiceField(label=_("Officer"), queryset=current_people(), widget=FastSelect)
    appointed_on = forms.DateField(label=_("Appointed on"), widget=DATE_WIDGET, initial=today)
    mandate = forms.CharField(
        label=_("Mandate"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the officer decides and drives across departments, and to whom they report."
        ),
    )
    reviewed_on = forms.DateField(
        label=_("Reviewed by the executives on"), widget=DATE_WIDGET, required=False
    )
    reviewed_by = forms.CharField(
        label=_("Reviewed by"),
        max_length=200,
        required=False,
        help_text=_("The board meeting or the executives who reviewed it."),
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, appointment: OfficerAppointment | None = None, **kwargs: Any):
        if appointment is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_of(appointment, self.base_fields)
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = current_people(appointment.person if appointment else None)


class NoFilterForm(FilterForm):
    """The appointments' list has no filters."""


class PostureMeasureForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=PostureArea.choices)
    measures = forms.CharField(
        label=_("Measures in place"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "E.g. who grants access and how often it is reviewed; entry control of the "
            "rooms where drawings and samples are kept; the security person's role; "
            "patching, monitoring and the response procedure for an attack."
        ),
    )
    owner = PersonChoiceField(
        label=_("Responsible person"), queryset=current_people(), widget=FastSelect
    )
    review_interval_months = forms.IntegerField(
        label=_("Review every (months)"), min_value=1, max_value=36, initial=12
    )

    def __init__(self, *args: Any, measure: PostureMeasure | None = None, **kwargs: Any):
        if measure is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_of(measure, self.base_fields)
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = current_people(measure.owner if measure else None)


class PostureReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET, initial=today)
    reviewed_by = forms.CharField(label=_("Reviewed by"), max_length=200)
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
