"""Views of the disclosures area: samples lent out. Its URLs are listed at the end (see
../urls.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core import views as generic
from mamori.disclosures import selectors
from mamori.disclosures.forms_outreach import (
    SAMPLE_STATUS_LABELS,
    SampleFilterForm,
    SampleForm,
    SampleInspectionForm,
    SampleReturnForm,
)
from mamori.disclosures.models import Sample
from mamori.disclosures.services import samples as services
from mamori.findings.selectors import findings_for_object

SAMPLE_TYPE = "disclosures.sample"
CUSTOMER_SCOPE_ROW = "urn:mamori:row:alignment:customer-scope"
SAMPLE_CASE = "urn:mamori:case:middle:2"
INPIT = "urn:mamori:contact:inpit"


def handbook_context() -> dict[str, Any]:
    """Return the handbook's word on samples: the customer-scope measure and the case."""
    catalog = get_catalog()
    case = next((case for case in catalog.cases if case.id == SAMPLE_CASE), None)
    contact = next((contact for contact in catalog.contacts if contact.id == INPIT), None)
    return {"row": catalog.row(CUSTOMER_SCOPE_ROW), "case": case, "contact": contact}


class SampleListView(generic.ObjectListView):
    """Samples lent out: filter by status, overdue ones highlighted, fifty a page."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "disclosures/sample_list.html"
    edit_capability = Capability.REGISTERS_EDIT
    filter_form = SampleFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.sample_register(today=timezone.localdate(), **filters)

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        today = timezone.localdate()
        counts = selectors.sample_status_counts(today=today)
        return {
            "rows": [(sample, selectors.sample_status(sample, today)) for sample in page],
            "labels": SAMPLE_STATUS_LABELS,
            "status_counts": [
                (status, label, counts[status]) for status, label in SAMPLE_STATUS_LABELS.items()
            ],
            "total": sum(counts.values()),
        }


class SampleFormMixin:
    """The lend form, with ``?counterparty=`` preselecting and searches narrowing lists."""

    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["counterparty_query"] = self.request.GET.get("counterparty_q", "").strip()
        kwargs["asset_query"] = self.request.GET.get("asset_q", "").strip()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(  # type: ignore[misc]
            counterparty_query=self.request.GET.get("counterparty_q", "").strip(),
            asset_query=self.request.GET.get("asset_q", "").strip(),
            **kwargs,
        )


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "counterparty": data["counterparty"],
        "contract": data.get("contract"),
        "description": data["description"],
        "asset": data.get("asset"),
        "quantity": data["quantity"],
        "lent_on": data["lent_on"],
        "due_back_on": data["due_back_on"],
    }


def _sample_save(view: Any, sample: Sample | None, data: dict[str, Any]) -> Sample:
    if sample is None:
        return services.sample_lend(**_service_fields(data))
    return services.sample_update(sample=sample, **_service_fields(data))


class SampleCreateView(SampleFormMixin, generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/sample_form.html"
    form_class = SampleForm
    selector = staticmethod(selectors.sample_detail)
    context_object_name = "sample"
    service = staticmethod(_sample_save)
    success_message = gettext_lazy("The sample has been recorded as lent.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for key in ("counterparty", "contract", "asset"):
            value = self.request.GET.get(key, "")
            if value.isdigit():
                initial[key] = int(value)
        return initial

    def form_kwargs_for(self, sample: Sample) -> dict[str, Any]:
        return {
            "initial": {
                "counterparty": sample.counterparty_id,
                "contract": sample.contract_id,
                "description": sample.description,
                "asset": sample.asset_id,
                "quantity": sample.quantity,
                "lent_on": sample.lent_on,
                "due_back_on": sample.due_back_on,
            }
        }


class SampleEditView(SampleCreateView):
    """Correct a lending or move its due date."""

    success_message = gettext_lazy("The lending has been saved.")


def _sample_return(view: Any, sample: Sample, data: dict[str, Any]) -> None:
    services.sample_record_return(
        sample=sample, returned_on=data["returned_on"], condition=data["condition"]
    )


def _sample_inspection(view: Any, sample: Sample, data: dict[str, Any]) -> str:
    inspected = services.sample_record_inspection(
        sample=sample,
        inspected_on=data["inspected_on"],
        reverse_engineering_signs=data["reverse_engineering_signs"],
        note=data["note"],
    )
    if inspected.reverse_engineering_signs:
        return _("The inspection has been recorded: signs of reverse engineering.")
    return _("The inspection has been recorded.")


class SampleView(generic.ObjectActionsView):
    """A sample: the lending, its return and the inspection for reverse engineering.

    The return and the inspection post here with an ``action``; an invalid form, or one
    the service refuses, is shown again with what was typed.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/sample.html"
    selector = staticmethod(selectors.sample_detail)
    context_object_name = "sample"
    actions = {
        "return": generic.InlineAction(
            SampleReturnForm,
            _sample_return,
            anchor="return",
            message=gettext_lazy("The return has been recorded. Inspect the sample next."),
            form_kwargs=lambda view: {
                "initial": {
                    "returned_on": view.object.returned_on or timezone.localdate(),
                    "condition": view.object.condition,
                }
            },
        ),
        "inspection": generic.InlineAction(
            SampleInspectionForm, _sample_inspection, anchor="inspection"
        ),
    }

    def allowed_actions(self) -> dict[str, generic.InlineAction]:
        sample, allowed = self.object, super().allowed_actions()
        if sample.inspected_on is not None:
            return {}
        if sample.returned_on is None and "inspection" not in self.bound:
            allowed.pop("inspection", None)
        return allowed

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sample, today = self.object, timezone.localdate()
        sample_status = selectors.sample_status(sample, today)
        return {
            **context,
            "status": sample_status,
            "status_label": SAMPLE_STATUS_LABELS[sample_status],
            "days_overdue": (today - sample.due_back_on).days
            if sample_status == selectors.SAMPLE_OVERDUE
            else 0,
            "clause": selectors.sample_reverse_engineering_clause(sample),
            "findings": findings_for_object(SAMPLE_TYPE, sample.pk),
            "handbook": handbook_context(),
        }


urlpatterns = [
    path("samples/", SampleListView.as_view(), name="sample_list"),
    path("samples/new/", SampleCreateView.as_view(), name="sample_create"),
    path("samples/<int:pk>/", SampleView.as_view(), name="sample"),
    path("samples/<int:pk>/edit/", SampleEditView.as_view(), name="sample_edit"),
]
