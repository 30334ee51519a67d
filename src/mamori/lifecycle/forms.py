"""Forms of the life-cycle pages: they validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core.forms import DATE_WIDGET, today
from mamori.lifecycle.models import RetentionOption
from mamori.people.models import Department

LAST_DAY_BEFORE_NOTICE = _("The last day is before the notice.")


def _date(label: str, *, required: bool = True, initial=None) -> forms.DateField:
    return forms.DateField(label=label, required=required, initial=initial, widget=DATE_WIDGET)


def _note(label: str = _("Note")) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class TransferForm(forms.Form):
    to_department = forms.ModelChoiceField(
        label=_("New department"), queryset=Department.objects.order_by("name")
    )
    date = _date(_("Transferred on"), initial=today)
    note = _note()


class NoticeForm(forms.Form):
    notice_on = _date(_("Notice given on"), initial=today)
    last_day = _date(_("Last day"), required=False)
    note = _note()

    def clean(self):
        cleaned = super().clean()
        notice_on, last_day = cleaned.get("notice_on"), cleaned.get("last_day")
        if notice_on and last_day and last_day < notice_on:
            self.add_error("last_day", LAST_DAY_BEFORE_NOTICE)
        return cleaned


class DepartForm(forms.Form):
    departed_on = _date(_("Last day"), initial=today)
    note = _note()


class ReturnsForm(forms.Form):
    """The dated steps of the departure checklist; an empty date is still outstanding."""

    last_day = _date(_("Last day"), required=False)
    exit_briefing_on = _date(_("Exit briefing held on"), required=False)
    devices_returned_on = _date(_("Devices returned on"), required=False)
    documents_returned_on = _date(_("Documents and data returned on"), required=False)
    samples_returned_on = _date(_("Samples returned on"), required=False)
    note = _note()


class RetentionForm(forms.Form):
    retention_option = forms.ChoiceField(
        label=_("Retention or follow-up"),
        choices=RetentionOption.choices,
        widget=forms.RadioSelect,
    )
    retention_note = _note(_("Note on retention"))


class PledgeSignForm(forms.Form):
    pledge = forms.IntegerField(widget=forms.HiddenInput)
    signed_on = _date(_("Signed on"), initial=today)
