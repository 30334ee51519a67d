"""The form of the API tokens page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core.forms import DATE_WIDGET


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or system that uses it."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty for a token that does not expire."),
    )
