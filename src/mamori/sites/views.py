"""Pages of the overseas sites register: sites with their country checks and audits, and
equipment sent out for maintenance or repair."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, ServiceFormView, paginate
from mamori.findings.selectors import findings_for_object
from mamori.sites import selectors, services
from mamori.sites.forms import (
    EQUIPMENT_STATUS_LABELS,
    AuditForm,
    EquipmentFilterForm,
    EquipmentForm,
    EquipmentReturnForm,
    SiteFilterForm,
    SiteForm,
)
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteKind

SITE_TYPE = "overseas_sites.overseassite"
EQUIPMENT_TYPE = "overseas_sites.equipmentdispatch"
COUNTRY_CHECKS_ROW = "urn:mamori:row:overseas_production:country-checks"
RD_SITES_ROW = "urn:mamori:row:overseas_production:overseas-rd-sites"
OUTSIDE_SUPPLY_CHAIN_ROW = "urn:mamori:row:alignment:outside-supply-chain"
EQUIPMENT_CASE = "urn:mamori:case:later:2"


def _rows(*row_ids: str) -> list[Any]:
    catalog = get_catalog()
    return [catalog.row(row_id) for row_id in row_ids]


def _site_url(site: OverseasSite, anchor: str = "") -> str:
    return reverse("sites:site", kwargs={"pk": site.pk}) + (f"#{anchor}" if anchor else "")


def _equipment_url(dispatch: EquipmentDispatch) -> str:
    return reverse("sites:equipment", kwargs={"pk": dispatch.pk})


class CounterpartySearchMixin:
    """Forms whose counterparty select is narrowed by ``?counterparty_q=``."""

    request: HttpRequest

    def counterparty_query(self) -> str:
        return self.request.GET.get("counterparty_q", "").strip()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        return {**kwargs, "counterparty_query": self.counterparty_query()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(  # type: ignore[misc]
            counterparty_query=self.counterparty_query(), **kwargs
        )


# --- sites ------------------------------------------------------------------------------------


class SiteListView(ProtectedTemplateView):
    """Overseas sites with their next audit; overdue audits highlighted."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "sites/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = SiteFilterForm(self.request.GET or None)
        filters = form.filters()
        rows = selectors.site_register(today=timezone.localdate(), **filters)
        return super().get_context_data(
            form=form,
            page=paginate(self.request, rows),
            countries=selectors.site_countries(),
            filtered=any(filters.values()),
            params=filters,
            rows_help=_rows(COUNTRY_CHECKS_ROW, RD_SITES_ROW),
            **kwargs,
        )


class SiteCreateView(CounterpartySearchMixin, ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "sites/site_form.html"
    form_class = SiteForm
    success_message = gettext_lazy("The overseas site has been registered.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("operator", "").isdigit():
            initial["operator"] = int(self.request.GET["operator"])
        if self.request.GET.get("kind") in SiteKind.values:
            initial["kind"] = self.request.GET["kind"]
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            handbook_rows=_rows(COUNTRY_CHECKS_ROW, RD_SITES_ROW), **kwargs
        )

    def perform(self, form: SiteForm) -> OverseasSite:
        return services.site_save(**form.cleaned_data)

    def get_success_url_for(self, result: OverseasSite) -> str:
        return _site_url(result)


class SiteEditView(CounterpartySearchMixin, ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "sites/site_form.html"
    form_class = SiteForm
    success_message = gettext_lazy("The overseas site has been saved.")

    @cached_property
    def site(self) -> OverseasSite:
        row = selectors.site_detail(self.kwargs["pk"], today=timezone.localdate())
        if row is None:
            raise Http404
        return row.site

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "site": self.site}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            site=self.site, handbook_rows=_rows(COUNTRY_CHECKS_ROW, RD_SITES_ROW), **kwargs
        )

    def perform(self, form: SiteForm) -> OverseasSite:
        return services.site_save(site=self.site, **form.cleaned_data)

    def get_success_url_for(self, result: OverseasSite) -> str:
        return _site_url(result)


class SiteView(ProtectedView):
    """A site: kind, operator, the country checks, access restrictions and its audits.

    The audit form posts here; an invalid one is shown again with what was typed.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "sites/site.html"

    @cached_property
    def row(self) -> selectors.SiteRow:
        row = selectors.site_detail(self.kwargs["pk"], today=timezone.localdate())
        if row is None:
            raise Http404
        return row

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = AuditForm(data=request.POST)
        if form.is_valid():
            try:
                services.site_audit_record(site=self.row.site, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The audit has been recorded."))
                return redirect(_site_url(self.row.site, "audits"))
        return self.render_page(request, audit_form=form, status=400)

    def render_page(
        self, request: HttpRequest, audit_form: AuditForm | None = None, status: int = 200
    ) -> HttpResponse:
        row = self.row
        can_edit = request.user.has_capability(Capability.REGISTERS_EDIT)
        context = {
            "row": row,
            "site": row.site,
            "audits": selectors.site_audits(row.site),
            "findings": findings_for_object(SITE_TYPE, row.site.pk),
            "can_edit": can_edit,
            "audit_form": (audit_form or AuditForm()) if can_edit else None,
            "audit_form_open": audit_form is not None,
            "handbook_rows": _rows(COUNTRY_CHECKS_ROW, RD_SITES_ROW),
        }
        return render(request, self.template_name, context, status=status)


# --- equipment sent out -------------------------------------------------------------------------


def equipment_handbook() -> dict[str, Any]:
    """Return the handbook's advice on partners outside the supply chain, and its case."""
    catalog = get_catalog()
    case = next((case for case in catalog.cases if case.id == EQUIPMENT_CASE), None)
    return {"row": catalog.row(OUTSIDE_SUPPLY_CHAIN_ROW), "case": case}


class EquipmentListView(ProtectedTemplateView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "sites/equipment_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = EquipmentFilterForm(self.request.GET or None)
        filters = form.filters()
        return super().get_context_data(
            form=form,
            page=paginate(self.request, selectors.equipment_register(**filters)),
            filtered=any(filters.values()),
            params=filters,
            status_labels=EQUIPMENT_STATUS_LABELS,
            handbook=equipment_handbook(),
            **kwargs,
        )


class EquipmentCreateView(CounterpartySearchMixin, ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "sites/equipment_form.html"
    form_class = EquipmentForm
    success_message = gettext_lazy("The equipment has been recorded as sent out.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("sent_to", "").isdigit():
            initial["sent_to"] = int(self.request.GET["sent_to"])
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(handbook=equipment_handbook(), **kwargs)

    def perform(self, form: EquipmentForm) -> EquipmentDispatch:
        return services.equipment_dispatch_save(**form.cleaned_data)

    def get_success_url_for(self, result: EquipmentDispatch) -> str:
        return _equipment_url(result)


class EquipmentEditView(CounterpartySearchMixin, ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "sites/equipment_form.html"
    form_class = EquipmentForm
    success_message = gettext_lazy("The record has been saved.")

    @cached_property
    def dispatch_record(self) -> EquipmentDispatch:
        dispatch = selectors.equipment_detail(self.kwargs["pk"])
        if dispatch is None:
            raise Http404
        return dispatch

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "dispatch": self.dispatch_record}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            dispatch=self.dispatch_record, handbook=equipment_handbook(), **kwargs
        )

    def perform(self, form: EquipmentForm) -> EquipmentDispatch:
        return services.equipment_dispatch_save(dispatch=self.dispatch_record, **form.cleaned_data)

    def get_success_url_for(self, result: EquipmentDispatch) -> str:
        return _equipment_url(result)


class EquipmentView(ProtectedView):
    """Equipment sent out: to whom, why, whether customisations were reverted, its return."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "sites/equipment.html"

    @cached_property
    def dispatch_record(self) -> EquipmentDispatch:
        dispatch = selectors.equipment_detail(self.kwargs["pk"])
        if dispatch is None:
            raise Http404
        return dispatch

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = EquipmentReturnForm(data=request.POST)
        if form.is_valid():
            try:
                services.equipment_record_return(
                    dispatch=self.dispatch_record, returned_on=form.cleaned_data["returned_on"]
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The return has been recorded."))
                return redirect(_equipment_url(self.dispatch_record))
        return self.render_page(request, return_form=form, status=400)

    def render_page(
        self,
        request: HttpRequest,
        return_form: EquipmentReturnForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        dispatch = self.dispatch_record
        can_edit = request.user.has_capability(Capability.REGISTERS_EDIT)
        context = {
            "dispatch": dispatch,
            "findings": findings_for_object(EQUIPMENT_TYPE, dispatch.pk),
            "can_edit": can_edit,
            "return_form": (
                return_form
                or EquipmentReturnForm(
                    initial={"returned_on": dispatch.returned_on or timezone.localdate()}
                )
            )
            if can_edit
            else None,
            "return_form_open": return_form is not None or dispatch.returned_on is None,
            "handbook": equipment_handbook(),
        }
        return render(request, self.template_name, context, status=status)
