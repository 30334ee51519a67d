"""Forms of the technology and information-asset registers; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import (
    Decision,
    DeemedExportApproval,
    ExportClassification,
    ExportResult,
    InformationAsset,
    ProcessStep,
    SecrecyClass,
    Technology,
    TechnologyCategory,
)
from mamori.core.forms import DATE_WIDGET, FastSelect, person_label, today
from mamori.people.models import Person, PersonStatus

# A select offers at most this many people or assets; a search narrows the rest.
CHOICE_LIMIT = 200


def current_people(extra: Person | None = None) -> QuerySet[Person]:
    """Return the people who may own or receive something: everyone who has not left."""
    chosen = ~Q(status=PersonStatus.DEPARTED)
    if extra is not None:
        chosen |= Q(pk=extra.pk)
    return Person.objects.filter(chosen).select_related("department").order_by("name", "pk")


def _asset_label(name: str, secrecy_class: str | None) -> str:
    return f"{name}［{secrecy_class}］" if secrecy_class else name


class _RowChoiceIterator(ModelChoiceIterator):
    """Yield (pk, label) from plain rows: thousands of options without model instances."""

    columns: tuple[str, ...] = ()

    def label(self, *values: Any) -> str:
        raise NotImplementedError

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *self.columns):
            yield (pk, self.label(*values))


class _PersonChoices(_RowChoiceIterator):
    columns = ("name", "department__name")
    label = staticmethod(person_label)


class _AssetChoices(_RowChoiceIterator):
    columns = ("name", "secrecy_class__name")
    label = staticmethod(_asset_label)


class PersonChoiceField(forms.ModelChoiceField):
    iterator = _PersonChoices

    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj.name, obj.department.name if obj.department_id else None)


class AssetChoiceField(forms.ModelChoiceField):
    iterator = _AssetChoices

    def label_from_instance(self, obj: InformationAsset) -> str:
        return _asset_label(obj.name, obj.secrecy_class.name if obj.secrecy_class_id else None)


class AssetMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: InformationAsset) -> str:
        return f"{obj.name}［{obj.secrecy_class}］" if obj.secrecy_class_id else obj.name


class TechnologyForm(forms.ModelForm):
    """Name, category, the three importance scores, protection strategy and owner.

    The limit on who may know the whole process is the officer's, set on the page.
    """

    class Meta:
        model = Technology
        fields = (
            "name",
            "description",
            "category",
            "competitiveness",
            "damage_if_leaked",
            "others_interest",
            "protection",
            "owner",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "category": forms.RadioSelect,
            "competitiveness": forms.RadioSelect,
            "damage_if_leaked": forms.RadioSelect,
            "others_interest": forms.RadioSelect,
            "protection": forms.RadioSelect,
            "owner": FastSelect,
        }
        field_classes = {"owner": PersonChoiceField}
        labels = {"name": _("Technology name"), "owner": _("Responsible person")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = current_people(self.instance.owner)
        self.fields["category"].choices = TechnologyCategory.choices
        self.fields["competitiveness"].help_text = _(
            "How directly the technology carries the company's competitive edge."
        )
        self.fields["damage_if_leaked"].help_text = _(
            "How badly the business would suffer if it got out."
        )
        self.fields["others_interest"].help_text = _(
            "How much competitors, partners or foreign actors would want it."
        )


class ClassificationForm(forms.ModelForm):
    """A 該非判定 of the technology (the service checks that 該当 names its list item)."""

    class Meta:
        model = ExportClassification
        fields = (
            "result",
            "list_item",
            "basis",
            "judged_by",
            "approved_by",
            "judged_on",
            "rejudge_due",
        )
        widgets = {
            "result": forms.RadioSelect,
            "basis": forms.Textarea(attrs={"rows": 3}),
            "judged_on": DATE_WIDGET,
            "rejudge_due": DATE_WIDGET,
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = ExportResult.choices
        self.fields["judged_on"].initial = today
        self.fields["list_item"].help_text = _(
            "Required when controlled. Technology is listed in the appended table of the "
            "Foreign Exchange Order, e.g. 外為令別表 8項(1); goods in appended table 1 of the "
            "Export Trade Control Order, e.g. 輸出令別表第1 8項(1)."
        )


class ApprovalForm(forms.ModelForm):
    """A deemed-export licence or internal approval for one person."""

    class Meta:
        model = DeemedExportApproval
        fields = ("person", "reference", "approved_on", "valid_until")
        widgets = {
            "person": FastSelect,
            "approved_on": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
        }
        field_classes = {"person": PersonChoiceField}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = current_people()
        self.fields["approved_on"].initial = today


class ProcessStepForm(forms.ModelForm):
    class Meta:
        model = ProcessStep
        fields = ("order", "name", "assets")
        widgets = {"assets": forms.CheckboxSelectMultiple}
        field_classes = {"assets": AssetMultipleChoiceField}
        labels = {"name": _("Step name")}

    def __init__(self, *args: Any, asset_choices: QuerySet[InformationAsset], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = asset_choices
        self.fields["assets"].help_text = _(
            "The information assets used in this step. Only assets linked to this technology "
            "are offered: link an asset to the technology on the asset's page first."
        )


class ProcessLimitForm(forms.Form):
    full_process_limit = forms.IntegerField(
        label=_("Most people who may know the whole process"),
        min_value=1,
        max_value=32767,
        required=False,
        help_text=_("Leave empty for no limit."),
    )


class AssetForm(forms.ModelForm):
    """An information asset with its details and the three trade-secret requirements."""

    class Meta:
        model = InformationAsset
        fields = (
            "name",
            "kind",
            "secrecy_class",
            "owner",
            "technologies",
            "description",
            "storage_location",
            "is_useful",
            "usefulness_note",
            "marking",
            "separation",
            "is_non_public",
            "non_public_note",
            "evidence_note",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "usefulness_note": forms.Textarea(attrs={"rows": 2}),
            "non_public_note": forms.Textarea(attrs={"rows": 2}),
            "evidence_note": forms.Textarea(attrs={"rows": 2}),
            "technologies": forms.CheckboxSelectMultiple,
            "owner": FastSelect,
        }
        field_classes = {"owner": PersonChoiceField}
        labels = {"name": _("Asset name"), "owner": _("Responsible person")}

    class_change_reason = forms.CharField(
        label=_("Why the class is lowered"),
        required=False,
        max_length=500,
        help_text=_(
            "Lowering the class of a 秘 or 極秘 asset takes effect when its owner or the "
            "officer approves it: say why."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        order = list(self.Meta.fields)
        order.insert(order.index("secrecy_class") + 1, "class_change_reason")
        self.order_fields(order)
        if self.instance.pk is None:
            del self.fields["class_change_reason"]
        self.fields["owner"].queryset = current_people(self.instance.owner)
        self.fields["secrecy_class"].empty_label = _("— no secrecy class (not a secret) —")
        self.fields["technologies"].queryset = Technology.objects.order_by("name", "pk")
        self.fields["evidence_note"].help_text = _(
            "Where the proof of the three requirements is kept (rules, access logs, "
            "marked copies...)."
        )

    def service_fields(self) -> dict[str, Any]:
        """Return the cleaned fields ``asset_save`` takes, technologies apart."""
        data = dict(self.cleaned_data)
        data.pop("technologies", None)
        return data


class SecrecyClassForm(forms.ModelForm):
    class Meta:
        model = SecrecyClass
        fields = ("name", "name_en", "description", "grants_need_approval")
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"name": _("Class name"), "name_en": _("English name")}


class GrantForm(forms.Form):
    """Access for one person to one asset. Long lists are narrowed by a search."""

    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), widget=FastSelect)
    asset = AssetChoiceField(
        label=_("Information asset"), queryset=InformationAsset.objects.none(), widget=FastSelect
    )
    reason = forms.CharField(
        label=_("Reason (need to know)"),
        max_length=300,
        help_text=_("Why the person's work needs this information."),
    )
    valid_from = forms.DateField(label=_("From"), initial=today, widget=DATE_WIDGET)
    valid_until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty when the need has no end date; reviews revisit it."),
    )

    def __init__(
        self,
        *args: Any,
        person_query: str = "",
        asset_query: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.truncated: dict[str, bool] = {}
        # Validation accepts any current person and any asset; the select offers a
        # searchable slice so that the page stays small with thousands of rows.
        people = current_people()
        assets = InformationAsset.objects.select_related("secrecy_class").order_by("name", "pk")
        self.fields["person"].queryset = people
        self.fields["asset"].queryset = assets
        self._offer("person", people, person_query, ("name__icontains", "name_kana__icontains"))
        self._offer("asset", assets, asset_query, ("name__icontains",))

    def _offer(self, name: str, rows: QuerySet, query: str, lookups: tuple[str, ...]) -> None:
        field = self.fields[name]
        chosen = self.data.get(name) if self.is_bound else self.initial.get(name)
        offered = rows
        if query:
            condition = Q()
            for lookup in lookups:
                condition |= Q(**{lookup: query})
            offered = offered.filter(condition)
        offered = list(offered[:CHOICE_LIMIT])
        if chosen and str(chosen) not in {str(row.pk) for row in offered}:
            offered = list(rows.filter(pk=chosen if str(chosen).isdigit() else 0)) + offered
        field.widget.choices = [("", "---------")] + [
            (row.pk, field.label_from_instance(row)) for row in offered
        ]
        self.truncated[name] = len(offered) >= CHOICE_LIMIT


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the access revoked?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PeriodicReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)
    secrecy_class = forms.ModelChoiceField(
        label=_("Secrecy class"),
        queryset=SecrecyClass.objects.order_by("rank"),
        required=False,
        empty_label=_("Every active grant"),
        help_text=_("Review only the grants to assets of this class."),
    )


class ReviewDecisionForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[
            (Decision.CONFIRMED, Decision.CONFIRMED.label),
            (Decision.REVOKED, Decision.REVOKED.label),
        ]
    )
