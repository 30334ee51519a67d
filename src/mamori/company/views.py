from __future__ import annotations

import json
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.company import selectors, services
from mamori.company.forms import CompanyForm, StageConfirmForm, StageWizardForm
from mamori.company.stage_wizard import propose_stage, proposed_stage, questions_on_path
from mamori.core.views import ProtectedTemplateView, ServiceFormView


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


class StageWizardView(ServiceFormView):
    """Ask the wizard's questions, show the proposed stage, let the officer confirm it.

    One URL for both steps: a post with ``stage`` is the confirmation.
    """

    capability = Capability.COMPANY_MANAGE
    template_name = "company/stage_wizard.html"
    confirm_template_name = "company/stage_confirm.html"
    success_url = reverse_lazy("assessment:checklist")

    @property
    def confirming(self) -> bool:
        return self.request.method == "POST" and "stage" in self.request.POST

    def get_form_class(self) -> type[forms.Form]:
        return StageConfirmForm if self.confirming else StageWizardForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if not self.confirming:
            kwargs["catalog"] = get_catalog()
        return kwargs

    def get_template_names(self) -> list[str]:
        return [self.confirm_template_name if self.confirming else self.template_name]

    def perform(self, form: Any) -> Any:
        if not self.confirming:
            answers = form.answers()
            next_question = questions_on_path(get_catalog(), answers)[-1]
            if answers.get(next_question.id) is None and (
                next_question.id not in form.shown_questions()
            ):
                # The answers lead to a question the page did not show yet: ask it.
                return None, {qid: value for qid, value in answers.items() if value is not None}
            proposal = propose_stage(get_catalog(), answers)
            return proposal, {qid: answers[qid] for qid in proposal.asked}
        data = form.cleaned_data
        return services.stage_decide(
            decided_by=self.request.user,
            stage=data["stage"],
            answers=data["answers"] or None,
            reason=data["reason"],
        )

    def success_response(self, result: Any) -> HttpResponse:
        if self.confirming:
            return super().success_response(result)
        proposal, answers = result
        if proposal is None:
            form = StageWizardForm(catalog=get_catalog(), answers=answers)
            return render(self.request, self.template_name, self.get_context_data(form=form))
        confirm = StageConfirmForm(
            initial={"stage": proposal.stage, "answers": json.dumps(answers)}
        )
        context = self.get_context_data(
            form=confirm, proposed=get_catalog().stage(proposal.stage), answers=answers
        )
        return render(self.request, self.confirm_template_name, context)

    def message_for(self, decision: Any) -> str:
        stage_name = get_catalog().stage(decision.stage).name.get(self.request.LANGUAGE_CODE)
        return _("The stage is now %(stage)s.") % {"stage": stage_name}

    def get_success_url_for(self, result: Any) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        if self.confirming and isinstance(form, StageConfirmForm) and form.is_bound:
            # The confirmation shown again: the stage its answers lead to, if any.
            answers = form.cleaned_data.get("answers") if hasattr(form, "cleaned_data") else None
            kwargs["proposed"] = (
                get_catalog().stage(stage)
                if answers and (stage := proposed_stage(get_catalog(), answers))
                else None
            )
        return super().get_context_data(
            stages=get_catalog().stages,
            current=selectors.stage_decision_current(),
            **kwargs,
        )
