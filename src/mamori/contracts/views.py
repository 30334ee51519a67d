"""Pages of the contracts area: the list, a contract's page with its clauses, staged
provision plan and files, and the create / edit forms."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.contracts import selectors, services
from mamori.contracts.forms import (
    ClauseChecklistForm,
    ContractFileForm,
    ContractFilterForm,
    ContractForm,
    ProvisionStageForm,
    StageChoiceForm,
    StageReachForm,
)
from mamori.contracts.models import Contract, ContractFile, ContractKind, ProvisionStage
from mamori.core import views as generic
from mamori.core.forms import options_html
from mamori.core.panels import panels_render
from mamori.findings.selectors import findings_for_object

CONTRACT_TYPE = "contracts.contract"
STATUS_BADGES = {
    selectors.ContractStatus.NOT_SIGNED: "status-not_started",
    selectors.ContractStatus.NOT_STARTED: "status-not_started",
    selectors.ContractStatus.IN_FORCE: "status-done",
    selectors.ContractStatus.EXPIRING: "status-in_progress",
    selectors.ContractStatus.ENDED: "status-not_applicable",
}
SCOPE_SHOWN = 100


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def status_of(contract: Contract) -> dict[str, str]:
    """Return the contract's status on today with its label and badge class."""
    status = selectors.contract_status(contract, timezone.localdate())
    return {
        "value": status,
        "label": selectors.ContractStatus(status).label,
        "badge": STATUS_BADGES[status],
    }


class ContractListView(generic.ProtectedTemplateView):
    """Contracts with type, parties, status and missing clauses; filters narrow the list."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "contracts/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ContractFilterForm(self.request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        counterparty = _int(self.request.GET.get("counterparty"))
        contracts = selectors.contract_list(
            today=timezone.localdate(),
            kind=data.get("kind") or "",
            counterparty=counterparty,
            status=data.get("status") or "",
            missing_only=bool(data.get("missing")),
            query=(data.get("q") or "").strip(),
        )
        page = generic.paginate(self.request, contracts, 50)
        missing = selectors.missing_clause_counts([contract.pk for contract in page.object_list])
        for contract in page.object_list:
            contract.missing_clauses = missing.get(contract.pk, 0)
        rows = [(contract, status_of(contract)) for contract in page.object_list]
        return super().get_context_data(
            form=form,
            page=page,
            rows=rows,
            filtered=bool(counterparty or any(data.values())),
            counterparty_options=options_html(
                selectors.counterparty_options(), [str(counterparty or "")]
            ),
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


class ContractView(generic.ObjectActionsView):
    """A contract: parties, dates, status, scope, clauses held against those required, the
    staged provision plan, files, the disclosures made under it and its findings.

    Forms post here with an ``action``; an invalid one is shown again on the page.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "contracts/contract.html"
    selector = staticmethod(selectors.contract_detail)
    context_object_name = "contract"

    @generic.inline_action(
        ContractFileForm, anchor="files", message=gettext_lazy("The file has been stored.")
    )
    def file(self, contract: Contract, data: dict[str, Any]) -> None:
        services.contract_file_add(
            contract=contract, upload=data["file"], title=data.get("title") or ""
        )

    @generic.inline_action(
        ProvisionStageForm,
        anchor="plan",
        message=gettext_lazy("The stage has been added to the plan."),
        form_kwargs=lambda view: {"scope": list(view.scope)},
    )
    def stage(self, contract: Contract, data: dict[str, Any]) -> None:
        services.provision_stage_save(
            contract=contract,
            name=data["name"],
            assets=data["assets"],
            condition_to_proceed=data.get("condition_to_proceed") or "",
        )

    @generic.inline_action(
        StageReachForm,
        anchor="plan",
        form_kwargs=lambda view: {
            "initial": {"stage": view.next_stage.pk if view.next_stage else ""}
        },
    )
    def reach(self, contract: Contract, data: dict[str, Any]) -> str:
        stage = get_object_or_404(ProvisionStage, pk=data["stage"], contract=contract)
        services.provision_stage_reach(stage=stage, reached_on=data["reached_on"])
        return _("The plan has moved on to “%(stage)s”.") % {"stage": stage.name}

    @generic.inline_action(StageChoiceForm, anchor="plan", refusal_as_message=True)
    def set_back(self, contract: Contract, data: dict[str, Any]) -> str:
        stage = get_object_or_404(ProvisionStage, pk=data["stage"], contract=contract)
        services.provision_stage_set_back(stage=stage)
        return _("“%(stage)s” is no longer marked as reached.") % {"stage": stage.name}

    @cached_property
    def scope(self) -> Any:
        return selectors.contract_scope(self.object)

    @cached_property
    def stages(self) -> list[ProvisionStage]:
        return selectors.provision_stages(self.object)

    @property
    def next_stage(self) -> ProvisionStage | None:
        return next((stage for stage in self.stages if stage.reached_on is None), None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contract, today, scope, stages = self.object, timezone.localdate(), self.scope, self.stages
        reached = [stage for stage in stages if stage.reached_on and stage.reached_on <= today]
        lines = selectors.clause_checklist(contract)
        required = [line for line in lines if line.required]
        return {
            **context,
            "status": status_of(contract),
            "other_parties": contract.other_parties.order_by("name", "pk"),
            "scope": scope[:SCOPE_SHOWN],
            "scope_total": scope.count(),
            "lines": lines,
            "required_total": len(required),
            "required_held": sum(1 for line in required if line.held),
            "missing": [line for line in required if line.missing],
            "stages": stages,
            "current_stage": reached[-1] if reached else None,
            "next_stage": self.next_stage,
            "files": selectors.contract_files(contract),
            "panels": panels_render(
                self.request, contract, {"contract": contract, "can_edit": context["can_edit"]}
            ),
            "findings": findings_for_object(CONTRACT_TYPE, contract.pk, self.request.user),
        }


def _contract_save(view: Any, contract: Contract | None, data: dict[str, Any]) -> Contract:
    return services.contract_save(
        contract=contract,
        other_parties=data["other_parties"],
        scope=data["scope"],
        **view.form_fields,
    )


class ContractEditView(generic.ObjectEditView):
    """Create (no ``pk``; ``?counterparty=`` preselects it) or edit a contract.

    ``?asset_q=`` narrows the information assets offered for the scope.
    """

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/contract_form.html"
    form_class = ContractForm
    model = Contract
    context_object_name = "contract"
    service = staticmethod(_contract_save)
    invalid_status = 400

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        contract, data = (self.object if self.editing else None), kwargs.get("data")
        if data is not None:
            chosen = [int(v) for v in data.getlist("scope") if v.isdigit()]
        elif contract is not None:
            chosen = list(contract.scope.values_list("pk", flat=True))
        else:
            chosen = []
        initial = dict(kwargs.get("initial") or {})
        # ``?scope=<asset id>`` (repeated) adds assets to the scope shown, and ``?kind=``
        # preselects the type: the disclosure ledger's next steps link here prefilled.
        extra = [int(v) for v in self.request.GET.getlist("scope") if v.isdigit()]
        if data is None and extra:
            chosen = sorted(set(chosen) | set(extra))
            initial["scope"] = chosen
        query = self.request.GET.get("asset_q", "").strip()
        kwargs["offered_assets"] = selectors.asset_offer(query=query, chosen=chosen)
        counterparty = _int(self.request.GET.get("counterparty"))
        if contract is None and counterparty:
            initial["counterparty"] = counterparty
        kind = self.request.GET.get("kind")
        if contract is None and kind in ContractKind.values:
            initial["kind"] = kind
        if initial:
            kwargs["initial"] = initial
        return kwargs

    def form_kwargs_for(self, contract: Contract) -> dict[str, Any]:
        # The form shows the contract as it is; only the service changes it.
        return {"instance": contract}

    def perform(self, form: ContractForm) -> Contract:
        self.form_fields = form.service_fields()
        return super().perform(form)

    def message_for(self, result: Contract) -> str:
        if self.editing:
            return _("The contract has been saved.")
        return _("The contract has been saved. Now tick the clauses it holds.")

    def success_url_for(self, result: Contract) -> str:
        if self.editing:
            return result.get_absolute_url()
        return reverse("contracts:contract_clauses", kwargs={"pk": result.pk})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form") or self.get_form()
        return super().get_context_data(
            contract=self.object if self.editing else None,
            asset_query=self.request.GET.get("asset_q", "").strip(),
            counterparty=_int(self.request.GET.get("counterparty")),
            offered_total=len(form.fields["scope"].widget.choices),
            choice_limit=selectors.CHOICE_LIMIT,
            **kwargs,
        )


def _clauses_save(view: Any, contract: Contract, data: dict[str, Any]) -> Contract:
    services.contract_set_clauses(contract=contract, clauses=view.clauses_held)
    return contract


class ContractClausesView(generic.ObjectEditView):
    """The clause checklist of a contract: the clauses its type requires first, then the
    others, each ticked when the contract holds it, with the article that carries it."""

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/clauses_form.html"
    form_class = ClauseChecklistForm
    selector = staticmethod(selectors.contract_detail)
    context_object_name = "contract"
    service = staticmethod(_clauses_save)
    success_message = gettext_lazy("The clauses have been saved.")
    invalid_status = 400
    anchor = "clauses"

    def form_kwargs_for(self, contract: Contract) -> dict[str, Any]:
        return {"lines": selectors.clause_checklist(contract)}

    def perform(self, form: ClauseChecklistForm) -> Contract:
        self.clauses_held = form.held()
        return super().perform(form)


def _stage_save(view: Any, stage: ProvisionStage, data: dict[str, Any]) -> ProvisionStage:
    return services.provision_stage_save(
        contract=stage.contract,
        stage=stage,
        name=data["name"],
        assets=data["assets"],
        condition_to_proceed=data.get("condition_to_proceed") or "",
    )


class ProvisionStageEditView(generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/stage_form.html"
    form_class = ProvisionStageForm
    selector = staticmethod(selectors.provision_stage_detail)
    context_object_name = "stage"
    service = staticmethod(_stage_save)
    success_message = gettext_lazy("The stage has been saved.")
    invalid_status = 400
    parent, anchor = "contract", "plan"

    def form_kwargs_for(self, stage: ProvisionStage) -> dict[str, Any]:
        return {"instance": stage, "scope": list(selectors.contract_scope(stage.contract))}


class ProvisionStageDeleteView(generic.ObjectDeleteView):
    """Ask before removing a stage not yet reached; remove it on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/stage_confirm_delete.html"
    selector = staticmethod(selectors.provision_stage_detail)
    context_object_name = "stage"
    service = staticmethod(lambda view, stage: services.provision_stage_delete(stage=stage))
    success_message = gettext_lazy("The stage has been removed.")
    parent, anchor = "contract", "plan"


class ContractFileDownloadView(generic.ObjectView):
    """Serve a contract's file as a download, never inline (it could be active content)."""

    capability = Capability.PROGRAMME_VIEW
    model = ContractFile

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.object
        return generic.stored_file_response(record.file, record.original_name)


class ContractFileDeleteView(generic.ObjectDeleteView):
    """Ask before deleting a contract's file; delete on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/file_confirm_delete.html"
    selector = staticmethod(selectors.contract_file_detail)
    context_object_name = "file"
    service = staticmethod(lambda view, record: services.contract_file_delete(contract_file=record))
    success_message = gettext_lazy("The file has been deleted.")
    parent, anchor = "contract", "files"
