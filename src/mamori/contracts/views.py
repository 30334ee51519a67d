"""Pages of the contracts area: the list, a contract's page with its clauses, staged
provision plan and files, and the create / edit forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets.forms import options_html
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
from mamori.contracts.models import Contract, ContractFile, ProvisionStage
from mamori.core.errors import ApplicationError
from mamori.core.panels import panels_render
from mamori.core.views import ProtectedTemplateView, ProtectedView, paginate
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


def _form_error(form: Any, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


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


class ContractListView(ProtectedTemplateView):
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
        page = paginate(self.request, contracts, 50)
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


CONTRACT_ACTIONS = ("file", "stage", "reach", "set_back")


class ContractView(ProtectedView):
    """A contract: parties, dates, status, scope, clauses held against those required, the
    staged provision plan, files, the disclosures made under it and its findings.

    Forms post here with an ``action``; an invalid one is shown again on the page.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "contracts/contract.html"

    def get_contract(self, pk: int) -> Contract:
        return get_object_or_404(selectors.contract_detail(pk))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_contract(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = self.get_contract(pk)
        action = request.POST.get("action", "")
        if action not in CONTRACT_ACTIONS:
            return redirect("contracts:contract", pk=contract.pk)
        if action == "file":
            form = ContractFileForm(request.POST, request.FILES, request=request)
        elif action == "stage":
            form = ProvisionStageForm(request.POST, scope=list(selectors.contract_scope(contract)))
        elif action == "reach":
            form = StageReachForm(request.POST)
        else:
            form = StageChoiceForm(request.POST)
        if form.is_valid():
            try:
                message, anchor = self.perform(action, contract, form.cleaned_data)
            except ApplicationError as exc:
                if action == "set_back":  # a button, not a form: say why on the page
                    messages.error(request, exc.message)
                    url = reverse("contracts:contract", kwargs={"pk": contract.pk})
                    return redirect(f"{url}#plan")
                _form_error(form, exc)
            else:
                messages.success(request, message)
                url = reverse("contracts:contract", kwargs={"pk": contract.pk})
                return redirect(f"{url}#{anchor}")
        return self.render_page(request, contract, bound={action: form}, http_status=400)

    def perform(self, action: str, contract: Contract, data: dict[str, Any]) -> tuple[str, str]:
        if action == "file":
            services.contract_file_add(
                contract=contract, upload=data["file"], title=data.get("title") or ""
            )
            return _("The file has been stored."), "files"
        if action == "stage":
            services.provision_stage_save(
                contract=contract,
                name=data["name"],
                assets=data["assets"],
                condition_to_proceed=data.get("condition_to_proceed") or "",
            )
            return _("The stage has been added to the plan."), "plan"
        stage = get_object_or_404(ProvisionStage, pk=data["stage"], contract=contract)
        if action == "reach":
            services.provision_stage_reach(stage=stage, reached_on=data["reached_on"])
            return _("The plan has moved on to “%(stage)s”.") % {"stage": stage.name}, "plan"
        services.provision_stage_set_back(stage=stage)
        return _("“%(stage)s” is no longer marked as reached.") % {"stage": stage.name}, "plan"

    def render_page(
        self,
        request: HttpRequest,
        contract: Contract,
        bound: dict[str, Any] | None = None,
        http_status: int = 200,
    ) -> HttpResponse:
        today = timezone.localdate()
        can_edit = request.user.has_capability(Capability.REGISTERS_EDIT)
        scope = selectors.contract_scope(contract)
        stages = selectors.provision_stages(contract)
        reached = [stage for stage in stages if stage.reached_on and stage.reached_on <= today]
        current = reached[-1] if reached else None
        upcoming = [stage for stage in stages if stage.reached_on is None]
        next_stage = upcoming[0] if upcoming else None
        lines = selectors.clause_checklist(contract)
        required = [line for line in lines if line.required]
        forms: dict[str, Any] = {}
        if can_edit:
            forms = {
                "file": ContractFileForm(),
                "stage": ProvisionStageForm(scope=list(scope)),
                "reach": StageReachForm(initial={"stage": next_stage.pk if next_stage else ""}),
            }
            forms.update(bound or {})
        context = {
            "contract": contract,
            "status": status_of(contract),
            "other_parties": contract.other_parties.order_by("name", "pk"),
            "scope": scope[:SCOPE_SHOWN],
            "scope_total": scope.count(),
            "lines": lines,
            "required_total": len(required),
            "required_held": sum(1 for line in required if line.held),
            "missing": [line for line in required if line.missing],
            "stages": stages,
            "current_stage": current,
            "next_stage": next_stage,
            "files": selectors.contract_files(contract),
            "panels": panels_render(
                request, contract, {"contract": contract, "can_edit": can_edit}
            ),
            "findings": findings_for_object(CONTRACT_TYPE, contract.pk),
            "forms": forms,
            "open_form": next(iter(bound), "") if bound else "",
            "can_edit": can_edit,
        }
        return render(request, self.template_name, context, status=http_status)


class ContractEditView(ProtectedView):
    """Create (no ``pk``; ``?counterparty=`` preselects it) or edit a contract.

    ``?asset_q=`` narrows the information assets offered for the scope.
    """

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/contract_form.html"

    def get_contract(self, pk: int | None) -> Contract | None:
        return get_object_or_404(Contract, pk=pk) if pk else None

    def make_form(self, request: HttpRequest, contract: Contract | None, data: Any = None):
        query = request.GET.get("asset_q", "").strip()
        if data is not None:
            chosen = [int(v) for v in data.getlist("scope") if v.isdigit()]
        elif contract is not None:
            chosen = list(contract.scope.values_list("pk", flat=True))
        else:
            chosen = []
        offered = selectors.asset_offer(query=query, chosen=chosen)
        initial = {}
        if contract is None and _int(request.GET.get("counterparty")):
            initial["counterparty"] = _int(request.GET.get("counterparty"))
        return ContractForm(data, instance=contract, initial=initial, offered_assets=offered)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        contract = self.get_contract(pk)
        return self.render_form(request, contract, self.make_form(request, contract))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        contract = self.get_contract(pk)
        form = self.make_form(request, contract, request.POST)
        if form.is_valid():
            try:
                saved = services.contract_save(
                    contract=contract,
                    other_parties=form.cleaned_data["other_parties"],
                    scope=form.cleaned_data["scope"],
                    **form.service_fields(),
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                if contract is None:
                    messages.success(
                        request,
                        _("The contract has been saved. Now tick the clauses it holds."),
                    )
                    return redirect("contracts:clauses", pk=saved.pk)
                messages.success(request, _("The contract has been saved."))
                return redirect("contracts:contract", pk=saved.pk)
        return self.render_form(request, contract, form, http_status=400)

    def render_form(
        self, request: HttpRequest, contract: Contract | None, form: Any, http_status: int = 200
    ) -> HttpResponse:
        context = {
            "contract": contract,
            "form": form,
            "asset_query": request.GET.get("asset_q", "").strip(),
            "counterparty": _int(request.GET.get("counterparty")),
            "offered_total": len(form.fields["scope"].widget.choices),
            "choice_limit": selectors.CHOICE_LIMIT,
        }
        return render(request, self.template_name, context, status=http_status)


class ContractClausesView(ProtectedView):
    """The clause checklist of a contract: the clauses its type requires first, then the
    others, each ticked when the contract holds it, with the article that carries it."""

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/clauses_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = get_object_or_404(selectors.contract_detail(pk))
        form = ClauseChecklistForm(lines=selectors.clause_checklist(contract))
        return render(request, self.template_name, {"contract": contract, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = get_object_or_404(selectors.contract_detail(pk))
        form = ClauseChecklistForm(request.POST, lines=selectors.clause_checklist(contract))
        if form.is_valid():
            try:
                services.contract_set_clauses(contract=contract, clauses=form.held())
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The clauses have been saved."))
                url = reverse("contracts:contract", kwargs={"pk": contract.pk})
                return redirect(f"{url}#clauses")
        context = {"contract": contract, "form": form}
        return render(request, self.template_name, context, status=400)


class ProvisionStageEditView(ProtectedView):
    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/stage_form.html"

    def get_stage(self, pk: int) -> ProvisionStage:
        return get_object_or_404(ProvisionStage.objects.select_related("contract"), pk=pk)

    def make_form(self, stage: ProvisionStage, data: Any = None) -> ProvisionStageForm:
        scope = list(selectors.contract_scope(stage.contract))
        return ProvisionStageForm(data, instance=stage, scope=scope)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        stage = self.get_stage(pk)
        return render(request, self.template_name, {"stage": stage, "form": self.make_form(stage)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stage = self.get_stage(pk)
        form = self.make_form(stage, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.provision_stage_save(
                    contract=stage.contract,
                    stage=stage,
                    name=data["name"],
                    assets=data["assets"],
                    condition_to_proceed=data.get("condition_to_proceed") or "",
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The stage has been saved."))
                url = reverse("contracts:contract", kwargs={"pk": stage.contract_id})
                return redirect(f"{url}#plan")
        return render(request, self.template_name, {"stage": stage, "form": form}, status=400)


class ProvisionStageDeleteView(ProtectedView):
    """Ask before removing a stage not yet reached; remove it on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/stage_confirm_delete.html"

    def get_stage(self, pk: int) -> ProvisionStage:
        return get_object_or_404(ProvisionStage.objects.select_related("contract"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"stage": self.get_stage(pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stage = self.get_stage(pk)
        contract_id = stage.contract_id
        try:
            services.provision_stage_delete(stage=stage)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The stage has been removed."))
        url = reverse("contracts:contract", kwargs={"pk": contract_id})
        return redirect(f"{url}#plan")


class ContractFileDownloadView(ProtectedView):
    """Serve a contract's file as a download, never inline (it could be active content)."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(ContractFile, pk=pk)
        try:
            handle = record.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=record.original_name,
            content_type="application/octet-stream",
        )


class ContractFileDeleteView(ProtectedView):
    """Ask before deleting a contract's file; delete on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "contracts/file_confirm_delete.html"

    def get_file(self, pk: int) -> ContractFile:
        return get_object_or_404(ContractFile.objects.select_related("contract"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"file": self.get_file(pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_file(pk)
        contract_id = record.contract_id
        services.contract_file_delete(contract_file=record)
        messages.success(request, _("The file has been deleted."))
        url = reverse("contracts:contract", kwargs={"pk": contract_id})
        return redirect(f"{url}#files")
