"""Forms of the export-control area: they check the shape of what was typed; the
services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import Technology
from mamori.core.forms import DATE_WIDGET, date_widgets, today
from mamori.core.uploads import UploadLimitFormMixin
from mamori.exportcontrol.knowledge import investment_rules
from mamori.exportcontrol.models import (
    CatchAllCheck,
    ExportAuthorization,
    FundingRound,
    HitStatus,
    InvestorProfile,
    RoundParticipation,
)
from mamori.partners.models import Counterparty, CounterpartyKind
from mamori.people.models import Person, PersonStatus


class AuthorizationForm(forms.ModelForm):
    class Meta:
        model = ExportAuthorization
        fields = (
            "technology",
            "counterparty",
            "person",
            "kind",
            "reference",
            "basis",
            "decided_by",
            "decided_on",
            "valid_until",
        )
        widgets = {
            **date_widgets("decided_on", "valid_until"),
            "basis": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["technology"].queryset = Technology.objects.order_by("name")
        self.fields["counterparty"].queryset = Counterparty.objects.exclude(country="JP").order_by(
            "name"
        )
        self.fields["counterparty"].help_text = _("A counterparty outside Japan")
        self.fields["person"].queryset = Person.objects.exclude(
            status=PersonStatus.DEPARTED
        ).order_by("name")
        self.fields["person"].help_text = _("Or a person in Japan under a 特定類型")
        self.fields["decided_on"].initial = timezone.localdate

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("counterparty") and not cleaned.get("person"):
            self.add_error("counterparty", _("Choose the counterparty or the person."))
        return cleaned


class CatchAllForm(forms.ModelForm):
    class Meta:
        model = CatchAllCheck
        fields = (
            "end_use",
            "end_user",
            "military_end_use",
            "end_user_listed",
            "informed",
            "conclusion",
            "checked_by",
            "checked_on",
            "note",
        )
        widgets = {
            "checked_on": DATE_WIDGET,
            "end_use": forms.Textarea(attrs={"rows": 2}),
            "end_user": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate


class ListImportForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(
        label=_("List file (CSV or Excel)"),
        help_text=_(
            "Columns in any order: 企業名・組織名 (required), 別名, 国名・地域名, 懸念区分, No."
        ),
    )
    label = forms.CharField(label=_("Version"), max_length=200, help_text=_("e.g. 2026年9月改正"))
    published_on = forms.DateField(label=_("Published on"), required=False, widget=DATE_WIDGET)


class HitDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (HitStatus.CLEARED, HitStatus.CLEARED.label),
            (HitStatus.CONFIRMED, HitStatus.CONFIRMED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 3}))


class HitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("All")), *HitStatus.choices]
    )


def _sector_choices() -> list[tuple[str, str]]:
    language = translation.get_language() or "ja"
    choices = []
    for sector in investment_rules().sectors:
        label = sector.name.get(language)
        if sector.core:
            label = f"{label} ({_('core sector')})"
        choices.append((sector.id, label))
    return choices


class SectorForm(forms.Form):
    sectors = forms.MultipleChoiceField(
        label=_("Designated sectors the business falls under"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_listed = forms.BooleanField(label=_("The company's shares are listed"), required=False)
    note = forms.CharField(
        label=_("Reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = _sector_choices()


class InvestorProfileForm(forms.ModelForm):
    class Meta:
        model = InvestorProfile
        fields = ("category", "foreign_share", "state_owned", "relation", "basis", "checked_on")
        widgets = {"checked_on": DATE_WIDGET, "basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate


class RoundForm(forms.ModelForm):
    class Meta:
        model = FundingRound
        fields = ("name", "status", "planned_on", "closed_on", "note")
        widgets = {
            **date_widgets("planned_on", "closed_on"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = RoundParticipation
        fields = ("investor", "stake", "board_seat", "technology_access")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["investor"].queryset = Counterparty.objects.filter(
            kind=CounterpartyKind.INVESTOR
        ).order_by("name")


class LeakageReviewForm(forms.Form):
    review = forms.CharField(
        label=_("What was decided"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "mamori's suggestions: limit information rights and board materials in the "
            "investment agreement, an observer instead of a director, an NDA."
        ),
    )
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET, initial=today)


class NotificationForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_WIDGET)
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
