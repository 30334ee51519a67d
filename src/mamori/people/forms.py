"""Forms of the people register, the person page, the import and the self-service page.

Forms check the shape of what was typed; the services check the rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.core.forms import DATE_WIDGET, YesNoField, initial_of, today
from mamori.core.uploads import UploadLimitFormMixin
from mamori.people import selectors
from mamori.people.models import (
    DeclarationOccasion,
    Person,
    PersonKind,
    PersonStatus,
    PledgeKind,
    ReviewStatus,
    TrainingTier,
)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=selectors.departments(),
        empty_label=_("All"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *PersonKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PersonStatus.choices]
    )
    key = forms.ChoiceField(
        label=_("Key engineer"),
        required=False,
        choices=[("", _("All")), ("yes", _("Key engineers only"))],
    )

    def filters(self) -> dict[str, str]:
        """Return the selector's keyword arguments (invalid values are ignored)."""
        if not self.is_valid():
            return {"query": "", "department": "", "kind": "", "status": "", "key": ""}
        data = self.cleaned_data
        return {
            "query": data["q"].strip(),
            "department": str(data["department"].pk) if data["department"] else "",
            "kind": data["kind"],
            "status": data["status"],
            "key": data["key"],
        }


class PersonForm(forms.Form):
    """Add or edit a person. The department is set here only while the person has none;
    a later move is a transfer (on the life-cycle page), which reviews their access."""

    name = forms.CharField(label=_("Name"), max_length=120)
    name_kana = forms.CharField(label=_("Name (kana)"), max_length=120, required=False)
    employee_number = forms.CharField(label=_("Employee number"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PersonKind.choices, initial=PersonKind.EMPLOYEE
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=selectors.departments()
    )
    new_department = forms.CharField(
        label=_("Or a new department"),
        max_length=120,
        required=False,
        help_text=_("Type a name to add a department that is not in the list yet."),
    )
    title = forms.CharField(label=_("Position"), max_length=120, required=False)
    is_key_engineer = forms.BooleanField(
        label=_("Key engineer (holds know-how the company depends on)"), required=False
    )
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE_WIDGET)
    manager = forms.ModelChoiceField(
        label=_("Manager"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("Works the findings about this person, such as a missing training."),
    )
    user = forms.ModelChoiceField(
        label=_("mamori account"),
        required=False,
        queryset=selectors.linkable_accounts(),
        help_text=_("Link the person's account so they can see their own page."),
    )

    def __init__(
        self, *args: Any, person: Person | None = None, may_link: bool = False, **kwargs: Any
    ):
        if person is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_of(person, self.base_fields)
        super().__init__(*args, **kwargs)
        self.person = person
        if may_link:
            self.fields["user"].queryset = selectors.linkable_accounts(person=person)
        else:  # only the officer links a person to an account (people.services)
            del self.fields["user"]
        self.fields["department"].queryset = selectors.departments()
        managers = Person.objects.exclude(status=PersonStatus.DEPARTED).order_by("name", "pk")
        self.fields["manager"].queryset = (
            managers.exclude(pk=person.pk) if person is not None else managers
        )
        if person is not None and person.department_id is not None:
            del self.fields["department"]
            del self.fields["new_department"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("department") and (cleaned.get("new_department") or "").strip():
            self.add_error("new_department", _("Choose a department or type a new one, not both."))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("name", "name_kana", "employee_number", "email", "title"):
            data[name] = data[name].strip()
        return data


class PeopleImportForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        allow_empty_file=True,
        help_text=_(
            "UTF-8 or Shift_JIS CSV as Excel saves it, or an .xlsx workbook (first sheet)."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)


# --- person page ---------------------------------------------------------------------------


class PledgeRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PledgeKind.choices, initial=PledgeKind.JOINING
    )
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Confidentiality pledge"))
    requested_on = forms.DateField(label=_("Requested on"), initial=today, widget=DATE_WIDGET)
    signed_on = forms.DateField(
        label=_("Signed on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Fill in only when recording a pledge already signed on paper."),
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        requested, signed = cleaned.get("requested_on"), cleaned.get("signed_on")
        if requested and signed and signed < requested:
            self.add_error("signed_on", _("The pledge cannot be signed before it was requested."))
        if signed and signed > timezone.localdate():
            self.add_error("signed_on", _("The date is in the future."))
        return cleaned


class PledgeSignForm(forms.Form):
    pledge = forms.IntegerField(widget=forms.HiddenInput)
    signed_on = forms.DateField(label=_("Signed on"), initial=today, widget=DATE_WIDGET)


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    tier = forms.ChoiceField(label=_("Tier"), choices=TrainingTier.choices)
    completed_on = forms.DateField(label=_("Completed on"), initial=today, widget=DATE_WIDGET)

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class SideJobForm(forms.Form):
    """A side-job declaration; the person page adds the date it was declared."""

    organisation = forms.CharField(label=_("Where (organisation)"), max_length=200)
    activity = forms.CharField(
        label=_("What you do there"), widget=forms.Textarea(attrs={"rows": 3})
    )
    overlaps_our_technology = YesNoField(
        label=_("Does it overlap with our technology or business?")
    )
    overlap_note = forms.CharField(
        label=_("How it overlaps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when it overlaps."),
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE_WIDGET)


class SideJobOnBehalfForm(SideJobForm):
    declared_on = forms.DateField(label=_("Declared on"), initial=today, widget=DATE_WIDGET)


class SideJobReviewForm(forms.Form):
    declaration = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ReviewStatus.ACCEPTED, _("Accept")), (ReviewStatus.REJECTED, _("Do not accept"))],
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("status") == ReviewStatus.REJECTED
            and not (cleaned.get("review_note") or "").strip()
        ):
            self.add_error("review_note", _("Say why the side job is not accepted."))
        return cleaned


# The three 特定類型 as METI's 役務通達 words them (「外国為替及び外国貿易法第25条第1項及び
# 外国為替令第17条第2項の規定に基づき許可を要する技術を提供する取引又は行為について」,
# 1(3)サ, in force since 2022-05-01): (1) a contract with a 外国政府等 or 外国法人等 and
# bound by its instructions (or owing it a duty of care); (2) 25% or more of annual income
# from a 外国政府等; (3) otherwise, instructions or requests (指示又は依頼) from a 外国政府等
# about conduct in Japan (本邦における行動). https://www.meti.go.jp/policy/anpo/
TYPE_HELP = {
    "type1_foreign_contract": _(
        "Under an employment or other contract with a foreign government etc. (外国政府等) or "
        "a foreign company etc., and bound by its instructions or owing it a duty of care."
    ),
    "type2_foreign_benefit": _(
        "Receiving money or other benefits from a foreign government etc. (外国政府等) "
        "amounting to 25 percent or more of your annual income, or having agreed to do so."
    ),
    "type3_foreign_instruction": _(
        "Besides the above, receiving instructions or requests from a foreign government etc. "
        "(外国政府等) regarding your conduct in Japan."
    ),
}


class ForeignDeclarationForm(forms.Form):
    """The 特定類型 declaration of the person themselves (yearly, or on a change)."""

    occasion_choices = [
        (DeclarationOccasion.YEARLY, DeclarationOccasion.YEARLY.label),
        (DeclarationOccasion.CHANGE, DeclarationOccasion.CHANGE.label),
    ]

    occasion = forms.ChoiceField(label=_("Occasion"), initial=DeclarationOccasion.YEARLY)
    type1_foreign_contract = YesNoField(
        label=_(
            "Type 1: a contract with a foreign government etc. or a foreign company, "
            "bound by its instructions"
        ),
        help_text=TYPE_HELP["type1_foreign_contract"],
    )
    type2_foreign_benefit = YesNoField(
        label=_("Type 2: 25 percent or more of annual income from a foreign government etc."),
        help_text=TYPE_HELP["type2_foreign_benefit"],
    )
    type3_foreign_instruction = YesNoField(
        label=_(
            "Type 3: instructions or requests from a foreign government etc. about conduct in Japan"
        ),
        help_text=TYPE_HELP["type3_foreign_instruction"],
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you answer yes to any type."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].choices = self.occasion_choices


class ForeignDeclarationOnBehalfForm(ForeignDeclarationForm):
    occasion_choices = DeclarationOccasion.choices

    declared_on = forms.DateField(label=_("Declared on"), initial=today, widget=DATE_WIDGET)


class ForeignCloseForm(forms.Form):
    declaration = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = forms.DateField(label=_("Closed on"), initial=today, widget=DATE_WIDGET)
    closing_note = forms.CharField(
        label=_("How it was dealt with"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For instance the licence or internal approval recorded, or the change."),
    )


class AcknowledgeForm(forms.Form):
    pledge = forms.IntegerField(widget=forms.HiddenInput)
