"""Pages of the overseas sites register: sites with their country checks and audits, and
equipment sent out for maintenance or repair."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core import views as generic
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


class SiteListView(generic.ObjectListView):
    """Overseas sites with their next audit; overdue audits highlighted."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "sites/list.html"
    edit_capability = Capability.REGISTERS_EDIT
    filter_form = SiteFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.site_register(today=timezone.localdate(), **filters)

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        return {
            "countries": selectors.site_countries(),
            "rows_help": _rows(COUNTRY_CHECKS_ROW, RD_SITES_ROW),
        }


def _site_save(view: Any, site: OverseasSite | None, data: dict[str, Any]) -> OverseasSite:
    return services.site_save(site=site, **data)


class SiteCreateView(CounterpartySearchMixin, generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "sites/site_form.html"
    form_class = SiteForm
    model = OverseasSite
    context_object_name = "site"
    service = staticmethod(_site_save)
    success_message = gettext_lazy("The overseas site has been registered.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("operator", "").isdigit():
            initial["operator"] = int(self.request.GET["operator"])
        if self.request.GET.get("kind") in SiteKind.values:
            initial["kind"] = self.request.GET["kind"]
        return initial

    def form_kwargs_for(self, site: OverseasSite) -> dict[str, Any]:
        return {"site": site}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            handbook_rows=_rows(COUNTRY_CHECKS_ROW, RD_SITES_ROW), **kwargs
        )


class SiteEditView(SiteCreateView):
    success_message = gettext_lazy("The overseas site has been saved.")


class SiteView(generic.ObjectActionsView):
    """A site: kind, operator, the country checks, access restrictions and its audits.

    The audit form posts here; an invalid one is shown again with what was typed.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "sites/site.html"
    context_object_name = "row"
    default_action = "audit"

    @generic.inline_action(
        AuditForm, anchor="audits", message=gettext_lazy("The audit has been recorded.")
    )
    def audit(self, row: selectors.SiteRow, data: dict[str, Any]) -> None:
        services.site_audit_record(site=row.site, **data)

    def find_object(self, key: Any) -> selectors.SiteRow | None:
        return selectors.site_detail(key, today=timezone.localdate())

    def page_url(self) -> str:
        return self.object.site.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        site = self.object.site
        return {
            **context,
            "site": site,
            "audits": selectors.site_audits(site),
            "findings": findings_for_object(SITE_TYPE, site.pk),
            "audit_form": context["forms"].get("audit"),
            "audit_form_open": "audit" in self.bound,
            "handbook_rows": _rows(COUNTRY_CHECKS_ROW, RD_SITES_ROW),
        }


# --- equipment sent out -------------------------------------------------------------------------


def equipment_handbook() -> dict[str, Any]:
    """Return the handbook's advice on partners outside the supply chain, and its case."""
    catalog = get_catalog()
    case = next((case for case in catalog.cases if case.id == EQUIPMENT_CASE), None)
    return {"row": catalog.row(OUTSIDE_SUPPLY_CHAIN_ROW), "case": case}


class EquipmentListView(generic.ObjectListView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "sites/equipment_list.html"
    edit_capability = Capability.REGISTERS_EDIT
    filter_form = EquipmentFilterForm
    selector = staticmethod(selectors.equipment_register)

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        return {"status_labels": EQUIPMENT_STATUS_LABELS, "handbook": equipment_handbook()}


def _equipment_save(
    view: Any, dispatch: EquipmentDispatch | None, data: dict[str, Any]
) -> EquipmentDispatch:
    return services.equipment_dispatch_save(dispatch=dispatch, **data)


class EquipmentCreateView(CounterpartySearchMixin, generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "sites/equipment_form.html"
    form_class = EquipmentForm
    selector = staticmethod(selectors.equipment_detail)
    context_object_name = "dispatch"
    service = staticmethod(_equipment_save)
    success_message = gettext_lazy("The equipment has been recorded as sent out.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("sent_to", "").isdigit():
            initial["sent_to"] = int(self.request.GET["sent_to"])
        return initial

    def form_kwargs_for(self, dispatch: EquipmentDispatch) -> dict[str, Any]:
        return {"dispatch": dispatch}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(handbook=equipment_handbook(), **kwargs)


class EquipmentEditView(EquipmentCreateView):
    success_message = gettext_lazy("The record has been saved.")


def _equipment_return(view: Any, dispatch: EquipmentDispatch, data: dict[str, Any]) -> None:
    services.equipment_record_return(dispatch=dispatch, returned_on=data["returned_on"])


class EquipmentView(generic.ObjectActionsView):
    """Equipment sent out: to whom, why, whether customisations were reverted, its return."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "sites/equipment.html"
    selector = staticmethod(selectors.equipment_detail)
    context_object_name = "dispatch"
    default_action = "return"
    actions = {
        "return": generic.InlineAction(
            EquipmentReturnForm,
            _equipment_return,
            message=gettext_lazy("The return has been recorded."),
            form_kwargs=lambda view: {
                "initial": {"returned_on": view.object.returned_on or timezone.localdate()}
            },
        ),
    }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        dispatch = self.object
        return {
            **context,
            "findings": findings_for_object(EQUIPMENT_TYPE, dispatch.pk),
            "return_form": context["forms"].get("return"),
            "return_form_open": "return" in self.bound or dispatch.returned_on is None,
            "handbook": equipment_handbook(),
        }
