"""Forms of samples lent out and exhibitions; the services check the rules.

Selects of counterparties, contracts and information assets offer a slice (the chosen
row, the matches of a search, at most ``CHOICE_LIMIT``) while validation accepts any
row: the page stays small with thousands of counterparties.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mamori.assets.forms import AssetChoiceField, PersonChoiceField, current_people
from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract
from mamori.core.forms import (
    DATE_WIDGET,
    FastSelect,
    FastSelectMultiple,
    FilterForm,
    YesNoField,
    initial_of,
    person_label,
    today,
)
from mamori.disclosures import selectors
from mamori.disclosures.models import Exhibition
from mamori.partners.models import Counterparty
from mamori.people.models import Person, PersonStatus

CHOICE_LIMIT = 200

SAMPLE_STATUS_LABELS = {
    selectors.SAMPLE_OUT: _("Out, not yet due"),
    selectors.SAMPLE_OVERDUE: _("Overdue"),
    selectors.SAMPLE_RETURNED: _("Returned, not inspected"),
    selectors.SAMPLE_DONE: _("Returned and inspected"),
}
EXHIBITION_STATUS_LABELS = {
    "upcoming": _("Upcoming or under way"),
    "past": _("Past"),
    "not_approved": _("Scope not approved yet"),
}


def counterparty_label(counterparty: Counterparty) -> str:
    return f"{counterparty.name}（{counterparty.country}）"


class CounterpartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Counterparty) -> str:
        return counterparty_label(obj)


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.title}（{obj.counterparty.name}）"


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj.name, obj.department.name if obj.department_id else None)


def offer(
    form: forms.Form,
    name: str,
    rows: QuerySet,
    *,
    query: str = "",
    lookups: tuple[str, ...] = ("name__icontains",),
    only: QuerySet | None = None,
) -> bool:
    """Offer some of ``rows`` in field ``name``'s select: the chosen one, and either
    ``only`` (e.g. the counterparty's own contracts) or the matches of ``query`` —
    ``CHOICE_LIMIT`` at most.

    Validation still accepts any of ``rows``. Return whether the list was cut short.
    """
    field = form.fields[name]
    field.queryset = rows
    chosen = form.data.get(name) if form.is_bound else form.initial.get(name)
    chosen = getattr(chosen, "pk", chosen)
    if only is None:
        only = rows
        if query:
            condition = Q()
            for lookup in lookups:
                condition |= Q(**{lookup: query})
            only = only.filter(condition)
    offered = list(only[:CHOICE_LIMIT])
    seen = {row.pk for row in offered}
    if chosen and str(chosen).isdigit() and int(chosen) not in seen:
        offered = list(rows.filter(pk=int(chosen))) + offered
    empty = field.empty_label if field.empty_label is not None else "---------"
    field.widget.choices = [("", empty)] + [
        (row.pk, field.label_from_instance(row)) for row in offered
    ]
    return len(offered) >= CHOICE_LIMIT


# --- samples --------------------------------------------------------------------------------


class SampleFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *SAMPLE_STATUS_LABELS.items()],
    )


class SampleForm(forms.Form):
    """Lend a sample (or correct the lending): to whom, under what, what, until when."""

    counterparty = CounterpartyChoiceField(
        label=_("Lent to"), queryset=Counterparty.objects.none(), widget=FastSelect
    )
    contract = ContractChoiceField(
        label=_("Under contract"),
        queryset=Contract.objects.none(),
        required=False,
        widget=FastSelect,
        empty_label=_("— no contract —"),
        help_text=_(
            "Ideally an agreement that forbids reverse engineering and fixes when the sample "
            "comes back."
        ),
    )
    description = forms.CharField(
        label=_("Sample"),
        max_length=200,
        help_text=_("What was lent, e.g. a lot or serial number."),
    )
    asset = AssetChoiceField(
        label=_("Information asset it embodies"),
        queryset=InformationAsset.objects.none(),
        required=False,
        widget=FastSelect,
        empty_label=_("— none —"),
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    lent_on = forms.DateField(label=_("Lent on"), initial=today, widget=DATE_WIDGET)
    due_back_on = forms.DateField(
        label=_("Due back on"),
        widget=DATE_WIDGET,
        help_text=_("mamori flags the sample as a finding when it is not back by then."),
    )

    def __init__(
        self,
        *args: Any,
        counterparty_query: str = "",
        asset_query: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.truncated = {
            "counterparty": offer(
                self,
                "counterparty",
                Counterparty.objects.order_by("name", "pk"),
                query=counterparty_query,
            ),
            "asset": offer(
                self,
                "asset",
                InformationAsset.objects.select_related("secrecy_class").order_by("name", "pk"),
                query=asset_query,
            ),
        }
        chosen = (
            self.data.get("counterparty") if self.is_bound else self.initial.get("counterparty")
        )
        chosen = getattr(chosen, "pk", chosen)
        contracts = Contract.objects.select_related("counterparty").order_by("-signed_on", "pk")
        if chosen and str(chosen).isdigit():
            # The counterparty's own contracts only: the service refuses any other.
            own = contracts.filter(Q(counterparty=int(chosen)) | Q(other_parties=int(chosen)))
            offer(self, "contract", contracts, only=own.distinct())
        else:
            offer(self, "contract", contracts)


class SampleReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), initial=today, widget=DATE_WIDGET)
    condition = forms.CharField(
        label=_("Condition on return"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Complete? Damaged? Seals intact? Note what you see before inspecting it."),
    )


class SampleInspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), initial=today, widget=DATE_WIDGET)
    reverse_engineering_signs = YesNoField(
        label=_("Signs of reverse engineering?"),
        help_text=_("Opened casings, cuts, missing parts, traces of analysis or dismantling."),
    )
    note = forms.CharField(
        label=_("Inspection note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when signs were found: describe them."),
    )


# --- exhibitions ----------------------------------------------------------------------------


class ExhibitionFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *EXHIBITION_STATUS_LABELS.items()],
    )


class ExhibitionForm(forms.Form):
    """An exhibition: when and where, who attends, and what may and must not be said."""

    name = forms.CharField(label=_("Exhibition or event"), max_length=200)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        initial="JP",
        help_text=_("Two-letter code, e.g. JP, US, DE."),
    )
    starts_on = forms.DateField(label=_("First day of the event"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Last day of the event"), widget=DATE_WIDGET)
    staff = PersonMultipleChoiceField(
        label=_("Staff attending"),
        queryset=Person.objects.none(),
        required=False,
        widget=FastSelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several people."),
    )
    may_disclose = forms.CharField(
        label=_("What may be said and shown"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Products, published papers and patents, exhibits; the officer approves this."),
    )
    must_not_disclose = forms.CharField(
        label=_("What must not be said or shown"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Process conditions, materials and suppliers, customers, unpublished data…"),
    )
    escalation_contact = PersonChoiceField(
        label=_("Whom to call when in doubt"),
        queryset=Person.objects.none(),
        required=False,
        widget=FastSelect,
        empty_label=_("— nobody named yet —"),
    )

    def __init__(self, *args: Any, exhibition: Exhibition | None = None, **kwargs: Any):
        if exhibition is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_of(exhibition, self.base_fields)
        super().__init__(*args, **kwargs)
        self.fields["escalation_contact"].queryset = current_people(
            exhibition.escalation_contact if exhibition else None
        )
        # Anyone may be validated (a staff member of a past event may have left since);
        # the current people, and whoever is already listed, are offered.
        staff = self.fields["staff"]
        staff.queryset = Person.objects.select_related("department").order_by("name", "pk")
        if self.is_bound:
            getlist = getattr(self.data, "getlist", None)
            listed = getlist("staff") if getlist else self.data.get("staff") or []
        else:
            listed = self.initial.get("staff") or []
        listed = [int(pk) for pk in listed if str(pk).isdigit()]
        offered = Person.objects.filter(~Q(status=PersonStatus.DEPARTED) | Q(pk__in=listed))
        staff.widget.choices = [
            (pk, person_label(name, department))
            for pk, name, department in offered.order_by("name", "pk").values_list(
                "pk", "name", "department__name"
            )
        ]


class ScopeApprovalForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), initial=today, widget=DATE_WIDGET)


class BriefingForm(forms.Form):
    briefed_on = forms.DateField(label=_("Staff briefed on"), initial=today, widget=DATE_WIDGET)


class ContactForm(forms.Form):
    """An approach at the exhibition that needs care."""

    occurred_on = forms.DateField(label=_("Date"), initial=today, widget=DATE_WIDGET)
    visitor = forms.CharField(label=_("Visitor (name, organisation)"), max_length=200)
    what_happened = forms.CharField(
        label=_("What was asked or requested"), widget=forms.Textarea(attrs={"rows": 3})
    )
    very_technical = forms.BooleanField(label=_("Very technical questions"), required=False)
    asked_private_contact = forms.BooleanField(
        label=_("Asked for private contact details"), required=False
    )
    recorded_by = PersonChoiceField(
        label=_("Recorded by"),
        queryset=Person.objects.none(),
        required=False,
        widget=FastSelect,
    )
    escalated_on = forms.DateField(
        label=_("Escalated on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("When it was reported to the person to call when in doubt."),
    )
    # Not "action": that name carries which form was posted.
    action_taken = forms.CharField(
        label=_("Action taken"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["recorded_by"].queryset = current_people()


class EscalationForm(forms.Form):
    contact = forms.IntegerField(widget=forms.HiddenInput)
    escalated_on = forms.DateField(label=_("Escalated on"), initial=today, widget=DATE_WIDGET)
    action_taken = forms.CharField(
        label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 2})
    )
