from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.company import selectors, services
from mamori.company.forms import CompanyForm, StageConfirmForm, StageWizardForm
from mamori.company.stage_wizard import propose_stage
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, ServiceFormView


class CompanyProfileView(ProtectedTemplateView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "company/profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        catalog = get_catalog()
        decision = selectors.stage_decision_current()
        return super().get_context_data(
            company=selectors.company_get(),
            decision=decision,
            stage=catalog.stage(decision.stage) if decision else None,
            history=selectors.stage_decision_history()[:20],
            **kwargs,
        )


class CompanyEditView(ServiceFormView):
    capability = Capability.COMPANY_MANAGE
    template_name = "company/profile_form.html"
    form_class = CompanyForm
    success_message = _("The company profile has been saved.")
    success_url = reverse_lazy("company:profile")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.company_get()
        return kwargs

    def perform(self, form: CompanyForm) -> Any:
        data = dict(form.cleaned_data)
        return services.company_save(
            officer=data.pop("officer"),
            officer_appointed_on=data.pop("officer_appointed_on"),
            officer_mandate=data.pop("officer_mandate"),
            **data,
        )

    def get_success_url_for(self, result: Any) -> str:
        if selectors.stage_decision_current() is None:
            return str(reverse_lazy("company:stage_wizard"))
        return self.get_success_url()


class StageWizardView(ProtectedView):
    """Ask the wizard's questions, show the proposed stage, let the officer confirm it."""

    capability = Capability.COMPANY_MANAGE
    template_name = "company/stage_wizard.html"
    confirm_template_name = "company/stage_confirm.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = StageWizardForm(catalog=get_catalog())
        return render(request, self.template_name, self._context(form=form))

    def post(self, request: HttpRequest) -> HttpResponse:
        if "stage" in request.POST:
            return self._confirm(request)
        catalog = get_catalog()
        form = StageWizardForm(request.POST, catalog=catalog)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form=form))
        try:
            proposal = propose_stage(catalog, form.answers())
        except ApplicationError as exc:
            form.add_error(exc.field, exc.message)
            return render(request, self.template_name, self._context(form=form))
        answers = {qid: form.answers()[qid] for qid in proposal.asked}
        confirm = StageConfirmForm(
            initial={"stage": proposal.stage, "answers": json.dumps(answers)}
        )
        return render(
            request,
            self.confirm_template_name,
            self._context(form=confirm, proposed=catalog.stage(proposal.stage), answers=answers),
        )

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        catalog = get_catalog()
        form = StageConfirmForm(request.POST)
        if form.is_valid():
            try:
                decision = services.stage_decide(
                    decided_by=request.user,
                    stage=form.cleaned_data["stage"],
                    answers=form.cleaned_data["answers"] or None,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                stage_name = catalog.stage(decision.stage).name.get(request.LANGUAGE_CODE)
                messages.success(request, _("The stage is now %(stage)s.") % {"stage": stage_name})
                return redirect("assessment:checklist")
        proposed = None
        decision_answers = (
            form.cleaned_data.get("answers") if hasattr(form, "cleaned_data") else None
        )
        if decision_answers:
            try:
                proposed = catalog.stage(propose_stage(catalog, decision_answers).stage)
            except ApplicationError:
                proposed = None
        return render(
            request, self.confirm_template_name, self._context(form=form, proposed=proposed)
        )

    def _context(self, **extra: Any) -> dict[str, Any]:
        return {
            "stages": get_catalog().stages,
            "current": selectors.stage_decision_current(),
            **extra,
        }
