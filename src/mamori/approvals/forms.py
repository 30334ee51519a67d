from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label=_("Comment (optional)"), max_length=500, required=False, widget=forms.Textarea
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why it is declined"), max_length=500, widget=forms.Textarea)


class WithdrawForm(forms.Form):
    pass
