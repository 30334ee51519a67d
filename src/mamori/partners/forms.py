"""Forms of the counterparty register, due diligence and research themes.

Forms check the shape of what was typed; the services check the rules.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import Technology
from mamori.catalog.schema import Question, Questionnaire
from mamori.core.forms import DATE_WIDGET, FilterForm, today
from mamori.partners import selectors
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    CounterpartyKind,
    PartnerMember,
    Risk,
    Shareholder,
    ThemeDecision,
)
from mamori.partners.services import COUNTERPARTY_FIELDS


def _language() -> str:
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


class CounterpartyFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *CounterpartyKind.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    dd = forms.ChoiceField(
        label=_("Due diligence"),
        required=False,
        choices=[("", _("All")), *selectors.DDStatus.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All"))] + [
            (code, code) for code in selectors.countries()
        ]

    arguments: ClassVar[dict[str, str]] = {"q": "query", "dd": "dd_status"}


class CounterpartyForm(forms.ModelForm):
    website = forms.URLField(
        label=Counterparty._meta.get_field("website").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Counterparty
        fields = COUNTERPARTY_FIELDS
        widgets = {
            "established_on": DATE_WIDGET,
            "business_record": forms.Textarea(attrs={"rows": 3}),
            "information_management": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = _(
            "The type decides which due-diligence questionnaires are offered."
        )
        self.fields["corporate_number"].help_text = _(
            "The 13-digit 法人番号, to look the counterparty up in the commercial register."
        )

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()


class ShareholderForm(forms.ModelForm):
    class Meta:
        model = Shareholder
        fields = ("name", "country", "share", "is_government_related")
        labels = {"name": _("Shareholder")}
        help_texts = {
            "share": _("Between 0 and 100; all shareholders together at most 100."),
            "is_government_related": _("A government, state-owned company or public fund."),
        }

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()


class MemberForm(forms.ModelForm):
    class Meta:
        model = PartnerMember
        fields = ("name", "role", "affiliation", "background", "since", "until")
        widgets = {
            "background": forms.Textarea(attrs={"rows": 2}),
            "since": DATE_WIDGET,
            "until": DATE_WIDGET,
        }
        labels = {"name": _("Name")}
        help_texts = {
            "background": _("What was checked about the person (career, other affiliations)."),
            "until": _("The day the person stopped handling our information, if known."),
        }


class MemberEndForm(forms.Form):
    until = forms.DateField(
        label=_("Stopped on"),
        initial=today,
        widget=DATE_WIDGET,
        help_text=_("The last day the person handled our information."),
    )


class CapitalChangeForm(forms.ModelForm):
    class Meta:
        model = CapitalChange
        fields = ("occurred_on", "description", "foreign_share_after")
        widgets = {"occurred_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "description": _("e.g. acquired by another company, a new major shareholder"),
        }


# --- due diligence -----------------------------------------------------------------------


def questionnaire_label(questionnaire: Questionnaire) -> str:
    return questionnaire.title.get(_language())


class DDStartForm(forms.Form):
    questionnaire = forms.ChoiceField(label=_("Questionnaire"), widget=forms.RadioSelect)
    performed_on = forms.DateField(label=_("Performed on"), initial=today, widget=DATE_WIDGET)
    performed_by = forms.CharField(label=_("Performed by"), max_length=120)

    def __init__(self, *args: Any, questionnaires: list[Questionnaire], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = [
            (questionnaire.id, questionnaire_label(questionnaire))
            for questionnaire in questionnaires
        ]


def _field(question: str, name: str) -> str:
    return f"{question}__{name}"


class DDAnswersForm(forms.Form):
    """One answer, concern and evidence field for each question of the questionnaire."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[_field(question.id, "answer")] = forms.CharField(
                label=_("Answer"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[_field(question.id, "concern")] = forms.BooleanField(
                label=_("This is a concern"), required=False
            )
            self.fields[_field(question.id, "evidence")] = forms.CharField(
                label=_("Evidence (source, link)"),
                required=False,
                max_length=500,
                help_text=_("Where it was found: a web page, the commercial register, a meeting."),
            )

    def bound_fields(self, question_id: str) -> list[forms.BoundField]:
        return [self[_field(question_id, name)] for name in ("answer", "concern", "evidence")]

    def answers(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            question.id: {
                name: data.get(_field(question.id, name))
                for name in ("answer", "concern", "evidence")
            }
            for question in self.questions
        }


class DDRateForm(forms.Form):
    risk = forms.ChoiceField(label=_("Risk rating"), choices=Risk.choices, widget=forms.RadioSelect)
    reasoning = forms.CharField(
        label=_("Reasoning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this rating: the answers and concerns that weigh most."),
    )


class DDApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), initial=today, widget=DATE_WIDGET)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Leave empty to use the questionnaire's validity counted from the day of the review."
        ),
    )


# --- research themes ---------------------------------------------------------------------


class TechnologyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Technology) -> str:
        return f"{obj.name}（{obj.get_importance_display()}）"


class ThemeForm(forms.Form):
    counterparty = forms.ModelChoiceField(label=_("Partner"), queryset=Counterparty.objects.none())
    title = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    technologies = TechnologyChoiceField(
        label=_("Technologies touched"),
        required=False,
        queryset=Technology.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The technologies of the register the research will involve; their importance "
            "decides the risk."
        ),
    )

    reputational_risk = forms.ChoiceField(
        label=_("Reputational risk"),
        required=False,
        choices=[("", _("Not assessed")), *Risk.choices],
        help_text=_(
            "How the theme or the partner could harm the company's standing (for example a "
            "partner linked to military end use or to human-rights concerns)."
        ),
    )
    reputational_note = forms.CharField(
        label=_("Reputational risk: reasoning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    foreign_law_risk = forms.ChoiceField(
        label=_("Risk of conflicting with foreign law"),
        required=False,
        choices=[("", _("Not assessed")), *Risk.choices],
        help_text=_(
            "Whether the research could conflict with another country's laws (export "
            "controls and sanctions of the partner's or a third country, data-localisation "
            "rules)."
        ),
    )
    foreign_law_note = forms.CharField(
        label=_("Foreign-law risk: reasoning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, counterparty_id: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["counterparty"].queryset = selectors.research_partner_choices(counterparty_id)
        self.fields["counterparty"].help_text = _(
            "Universities and joint-research companies are offered; to choose another "
            "counterparty, start from its page."
        )
        self.fields["technologies"].queryset = Technology.objects.order_by("name", "pk")


class ThemeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ThemeDecision.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Conditions and reasoning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why, in the light of the risk; with conditions, what must hold (a narrower "
            "scope, staged provision, codenames...)."
        ),
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, initial=today, widget=DATE_WIDGET
    )


class ThemeFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    decision = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("All")), *ThemeDecision.choices]
    )
    risk = forms.ChoiceField(
        label=_("Resulting risk"), required=False, choices=[("", _("All")), *Risk.choices]
    )
