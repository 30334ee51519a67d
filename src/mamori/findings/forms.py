"""Forms of the work on a finding."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.accounts.models import User
from mamori.findings.models import FindingStatus


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (FindingStatus.OPEN.value, FindingStatus.OPEN.label),
            (FindingStatus.IN_PROGRESS.value, FindingStatus.IN_PROGRESS.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(forms.Form):
    accepted_until = forms.DateField(
        label=_("Accept the risk until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    accepted_reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.filter(is_active=True).order_by("username")
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
