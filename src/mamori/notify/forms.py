from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    digest_enabled = forms.BooleanField(
        label=_("Send me the e-mail digest"),
        required=False,
        help_text=_("Findings on what you own, dates coming due and pledges waiting for you."),
    )
