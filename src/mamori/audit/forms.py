from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.audit.models import Action


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    actor = forms.CharField(label=_("By"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict:
        """Return the valid filters; a field with an error is ignored, not guessed."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return {
            "query": (data.get("q") or "").strip(),
            "action": data.get("action") or "",
            "actor": (data.get("actor") or "").strip(),
            "object_type": (data.get("object_type") or "").strip(),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
