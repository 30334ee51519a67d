"""Views of the disclosures area: samples lent out. Its URLs are listed at the end (see
../urls.py)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, ServiceFormView, paginate
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


def _sample_url(sample: Sample, anchor: str = "") -> str:
    return reverse("disclosures:sample", kwargs={"pk": sample.pk}) + (
        f"#{anchor}" if anchor else ""
    )


def handbook_context() -> dict[str, Any]:
    """Return the handbook's word on samples: the customer-scope measure and the case."""
    catalog = get_catalog()
    case = next((case for case in catalog.cases if case.id == SAMPLE_CASE), None)
    contact = next((contact for contact in catalog.contacts if contact.id == INPIT), None)
    return {"row": catalog.row(CUSTOMER_SCOPE_ROW), "case": case, "contact": contact}


class SampleListView(ProtectedTemplateView):
    """Samples lent out: filter by status, overdue ones highlighted, fifty a page."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "disclosures/sample_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        form = SampleFilterForm(self.request.GET or None)
        filters = form.filters()
        page = paginate(self.request, selectors.sample_register(today=today, **filters))
        rows = [(sample, selectors.sample_status(sample, today)) for sample in page.object_list]
        counts = selectors.sample_status_counts(today=today)
        return super().get_context_data(
            form=form,
            page=page,
            rows=rows,
            labels=SAMPLE_STATUS_LABELS,
            status_counts=[
                (status, label, counts[status]) for status, label in SAMPLE_STATUS_LABELS.items()
            ],
            total=sum(counts.values()),
            filtered=any(filters.values()),
            params=filters,
            **kwargs,
        )


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


class SampleCreateView(SampleFormMixin, ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/sample_form.html"
    form_class = SampleForm
    success_message = gettext_lazy("The sample has been recorded as lent.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for key in ("counterparty", "contract", "asset"):
            value = self.request.GET.get(key, "")
            if value.isdigit():
                initial[key] = int(value)
        return initial

    def perform(self, form: SampleForm) -> Sample:
        return services.sample_lend(**_service_fields(form.cleaned_data))

    def get_success_url_for(self, result: Sample) -> str:
        return _sample_url(result)


class SampleEditView(SampleFormMixin, ServiceFormView):
    """Correct a lending or move its due date."""

    capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/sample_form.html"
    form_class = SampleForm
    success_message = gettext_lazy("The lending has been saved.")

    @cached_property
    def sample(self) -> Sample:
        sample = selectors.sample_detail(self.kwargs["pk"])
        if sample is None:
            raise Http404
        return sample

    def get_initial(self) -> dict[str, Any]:
        sample = self.sample
        return {
            "counterparty": sample.counterparty_id,
            "contract": sample.contract_id,
            "description": sample.description,
            "asset": sample.asset_id,
            "quantity": sample.quantity,
            "lent_on": sample.lent_on,
            "due_back_on": sample.due_back_on,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(sample=self.sample, **kwargs)

    def perform(self, form: SampleForm) -> Sample:
        return services.sample_update(sample=self.sample, **_service_fields(form.cleaned_data))

    def get_success_url_for(self, result: Sample) -> str:
        return _sample_url(result)


SAMPLE_ACTIONS = {"return": SampleReturnForm, "inspection": SampleInspectionForm}


class SampleView(ProtectedView):
    """A sample: the lending, its return and the inspection for reverse engineering.

    The return and the inspection post here with an ``action``; an invalid form, or one
    the service refuses, is shown again with what was typed.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/sample.html"

    @cached_property
    def sample(self) -> Sample:
        sample = selectors.sample_detail(self.kwargs["pk"])
        if sample is None:
            raise Http404
        return sample

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in SAMPLE_ACTIONS:
            return redirect(_sample_url(self.sample))
        form = SAMPLE_ACTIONS[action](data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "return":
                    services.sample_record_return(
                        sample=self.sample,
                        returned_on=data["returned_on"],
                        condition=data["condition"],
                    )
                    message = _("The return has been recorded. Inspect the sample next.")
                else:
                    inspected = services.sample_record_inspection(
                        sample=self.sample,
                        inspected_on=data["inspected_on"],
                        reverse_engineering_signs=data["reverse_engineering_signs"],
                        note=data["note"],
                    )
                    message = (
                        _("The inspection has been recorded: signs of reverse engineering.")
                        if inspected.reverse_engineering_signs
                        else _("The inspection has been recorded.")
                    )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, message)
                return redirect(_sample_url(self.sample, action))
        return self.render_page(request, bound={action: form}, status=400)

    def render_page(
        self, request: HttpRequest, bound: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        sample, bound = self.sample, bound or {}
        today = timezone.localdate()
        sample_status = selectors.sample_status(sample, today)
        can_edit = request.user.has_capability(Capability.REGISTERS_EDIT)
        forms: dict[str, Any] = {}
        if can_edit and sample.inspected_on is None:
            forms["return"] = bound.get("return") or SampleReturnForm(
                initial={"returned_on": sample.returned_on or today, "condition": sample.condition}
            )
            if sample.returned_on is not None or "inspection" in bound:
                forms["inspection"] = bound.get("inspection") or SampleInspectionForm()
        context = {
            "sample": sample,
            "status": sample_status,
            "status_label": SAMPLE_STATUS_LABELS[sample_status],
            "days_overdue": (today - sample.due_back_on).days
            if sample_status == selectors.SAMPLE_OVERDUE
            else 0,
            "clause": selectors.sample_reverse_engineering_clause(sample),
            "findings": findings_for_object(SAMPLE_TYPE, sample.pk),
            "can_edit": can_edit,
            "forms": forms,
            "open_form": next(iter(bound), ""),
            "handbook": handbook_context(),
        }
        return render(request, self.template_name, context, status=status)


urlpatterns = [
    path("samples/", SampleListView.as_view(), name="sample_list"),
    path("samples/new/", SampleCreateView.as_view(), name="sample_create"),
    path("samples/<int:pk>/", SampleView.as_view(), name="sample"),
    path("samples/<int:pk>/edit/", SampleEditView.as_view(), name="sample_edit"),
]
