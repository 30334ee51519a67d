from __future__ import annotations

import json

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.catalog.loader import Catalog
from mamori.company.models import Company, Stage
from mamori.company.services import PROFILE_FIELDS
from mamori.company.stage_wizard import questions_on_path
from mamori.core.forms import DATE_WIDGET, YES_NO


class CompanyForm(forms.ModelForm):
    officer = forms.ModelChoiceField(
        label=_("Responsible officer"),
        queryset=User.objects.filter(role=Role.OFFICER, is_active=True),
        required=False,
        help_text=_("STEP 1: the person who drives leakage prevention across the company."),
    )

    class Meta:
        model = Company
        fields = [*PROFILE_FIELDS, "officer", "officer_appointed_on", "officer_mandate"]
        widgets = {
            "founded_on": DATE_WIDGET,
            "officer_appointed_on": DATE_WIDGET,
            "business": forms.Textarea(attrs={"rows": 3}),
            "officer_mandate": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty (or not sent by a script), the policy keeps its value: mamori's
        # default of 3 days for a new profile.
        self.fields["incident_containment_days"].required = False

    def clean_incident_containment_days(self) -> int:
        value = self.cleaned_data.get("incident_containment_days")
        return value if value is not None else self.instance.incident_containment_days


ANSWER_VALUES = {"yes": True, "no": False}


class StageWizardForm(forms.Form):
    """A yes/no field for each wizard question on the way the answers so far lead (the
    catalog's questions; one the answers before it rule out is not asked). ``shown``
    lists the questions the page showed, to tell a question just reached from one left
    unanswered."""

    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, catalog: Catalog, answers: dict[str, bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if answers is None:
            data = self.data if self.is_bound else {}
            answers = {
                question.id: ANSWER_VALUES.get(data.get(question.id, ""))
                for question in catalog.wizard
            }
        language = translation.get_language() or "ja"
        path = questions_on_path(catalog, answers)
        for question in path:
            self.fields[question.id] = forms.ChoiceField(
                label=question.text.get(language),
                help_text=question.help.get(language) if question.help else "",
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            if answers.get(question.id) is not None:
                self.initial[question.id] = "yes" if answers[question.id] else "no"
        self.initial["shown"] = " ".join(question.id for question in path)
        self.order_fields([question.id for question in path])

    def answers(self) -> dict[str, bool | None]:
        return {
            name: ANSWER_VALUES.get(value)
            for name, value in self.cleaned_data.items()
            if name != "shown"
        }

    def shown_questions(self) -> set[str]:
        return set((self.cleaned_data.get("shown") or "").split())


class StageConfirmForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (required when you choose another stage than proposed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answers = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_answers(self) -> dict[str, bool]:
        raw = self.cleaned_data.get("answers") or "{}"
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("The wizard answers were damaged; start again.")) from exc
        if not isinstance(value, dict) or not all(isinstance(v, bool) for v in value.values()):
            raise forms.ValidationError(_("The wizard answers were damaged; start again."))
        return value
