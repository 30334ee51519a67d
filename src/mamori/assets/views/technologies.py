"""Technologies to protect: list, page, edit, process steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets import selectors, services
from mamori.assets.forms import (
    ApprovalForm,
    ClassificationForm,
    ProcessLimitForm,
    ProcessStepForm,
    TechnologyForm,
)
from mamori.assets.models import (
    ExportResult,
    ProcessStep,
    Technology,
    TechnologyCategory,
)
from mamori.assets.views._common import TECHNOLOGY_TYPE, category_points, form_error
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, paginate
from mamori.findings.selectors import findings_for_object

# --- technologies --------------------------------------------------------------------------


class TechnologyListView(ProtectedTemplateView):
    """The technologies to protect (STEP 2), with importance and export classification."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "assets/technology_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        category = params.get("category", "")
        category = category if category in TechnologyCategory.values else ""
        query = params.get("q", "").strip()
        page = paginate(self.request, selectors.technology_list(query=query, category=category))
        return super().get_context_data(
            page=page,
            categories=TechnologyCategory.choices,
            selected_category=category,
            query=query,
            filtered=bool(query or category),
            **kwargs,
        )


TECHNOLOGY_FORMS = {
    "classification": ClassificationForm,
    "approval": ApprovalForm,
    "step": ProcessStepForm,
    "limit": ProcessLimitForm,
}


class TechnologyView(ProtectedView):
    """A technology: category, importance, strategy, export control, process and assets.

    Forms post here with an ``action``; an invalid one is shown again on the page.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "assets/technology.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_technology(pk))

    def get_technology(self, pk: int) -> Technology:
        return get_object_or_404(Technology.objects.select_related("owner"), pk=pk)

    def make_form(self, action: str, technology: Technology, data: Any = None) -> Any:
        if action == "step":
            return ProcessStepForm(
                data,
                asset_choices=selectors.step_asset_choices(technology),
                initial={"order": technology.process_steps.count() + 1},
            )
        if action == "limit":
            return ProcessLimitForm(
                data, initial={"full_process_limit": technology.full_process_limit}
            )
        return TECHNOLOGY_FORMS[action](data)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        technology = self.get_technology(pk)
        action = request.POST.get("action", "")
        if action not in TECHNOLOGY_FORMS:
            return redirect("assets:technology", pk=technology.pk)
        if action == "limit" and not request.user.has_capability(Capability.COMPANY_MANAGE):
            raise PermissionDenied
        form = self.make_form(action, technology, request.POST)
        if form.is_valid():
            try:
                message = self.perform(action, technology, form.cleaned_data)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, message)
                url = reverse("assets:technology", kwargs={"pk": technology.pk})
                return redirect(f"{url}#{action}")
        return self.render_page(request, technology, bound={action: form}, http_status=400)

    def perform(self, action: str, technology: Technology, data: dict[str, Any]) -> str:
        if action == "classification":
            services.classification_record(
                technology=technology,
                result=data["result"],
                judged_by=data["judged_by"],
                judged_on=data["judged_on"],
                list_item=data.get("list_item") or "",
                basis=data.get("basis") or "",
                approved_by=data.get("approved_by") or "",
                rejudge_due=data.get("rejudge_due"),
            )
            return _("The export-control classification has been recorded.")
        if action == "approval":
            services.deemed_export_approval_record(
                person=data["person"],
                technology=technology,
                reference=data["reference"],
                approved_on=data["approved_on"],
                valid_until=data.get("valid_until"),
            )
            return _("The licence or approval has been recorded.")
        if action == "step":
            services.process_step_save(
                technology=technology,
                order=data["order"],
                name=data["name"],
                assets=data["assets"],
            )
            return _("The step has been added.")
        services.technology_set_process_limit(
            technology=technology, limit=data.get("full_process_limit"), user=self.request.user
        )
        return _("The limit has been saved.")

    def render_page(
        self,
        request: HttpRequest,
        technology: Technology,
        bound: dict[str, Any] | None = None,
        http_status: int = 200,
    ) -> HttpResponse:
        user = request.user
        can_edit = user.has_capability(Capability.REGISTERS_EDIT)
        forms = {}
        if can_edit:
            forms = {
                action: self.make_form(action, technology)
                for action in ("classification", "approval", "step")
            }
        if user.has_capability(Capability.COMPANY_MANAGE):
            forms["limit"] = self.make_form("limit", technology)
        forms.update(bound or {})
        classifications = list(selectors.classifications_of(technology))
        people = list(selectors.full_process_people(technology).order_by("name", "pk"))
        limit = technology.full_process_limit
        assets = selectors.assets_of_technology(technology)
        context = {
            "technology": technology,
            "category_point": category_points().get(technology.category),
            "score_total": (
                technology.competitiveness
                + technology.damage_if_leaked
                + technology.others_interest
            ),
            "raised_by_damage": (
                technology.competitiveness
                + technology.damage_if_leaked
                + technology.others_interest
                < 5
                and technology.damage_if_leaked == 3
            ),
            "classifications": classifications,
            "classification": classifications[0] if classifications else None,
            "controlled": ExportResult.CONTROLLED,
            "approvals": selectors.approvals_of(technology),
            "steps": selectors.process_steps(technology),
            "full_process_people": people,
            "over_limit": limit is not None and len(people) > limit,
            "assets": assets[:50],
            "asset_total": assets.count(),
            "findings": findings_for_object(TECHNOLOGY_TYPE, technology.pk),
            "forms": forms,
            "open_form": next(iter(bound), "") if bound else "",
            "can_edit": can_edit,
        }
        return render(request, self.template_name, context, status=http_status)


class TechnologyEditView(ProtectedView):
    """Create (no ``pk``) or edit a technology; the level follows from the scores."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/technology_form.html"

    def get_technology(self, pk: int | None) -> Technology | None:
        return get_object_or_404(Technology, pk=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        technology = self.get_technology(pk)
        return self.render_form(request, technology, TechnologyForm(instance=technology))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        technology = self.get_technology(pk)
        form = TechnologyForm(request.POST, instance=technology)
        if form.is_valid():
            try:
                saved = services.technology_save(technology=technology, **form.cleaned_data)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The technology has been saved."))
                return redirect("assets:technology", pk=saved.pk)
        return self.render_form(request, technology, form, http_status=400)

    def render_form(
        self, request: HttpRequest, technology: Technology | None, form: Any, http_status=200
    ) -> HttpResponse:
        context = {"technology": technology, "form": form, "points": category_points()}
        return render(request, self.template_name, context, status=http_status)


class ProcessStepEditView(ProtectedView):
    capability = Capability.REGISTERS_EDIT
    template_name = "assets/step_form.html"

    def get_step(self, pk: int) -> ProcessStep:
        return get_object_or_404(ProcessStep.objects.select_related("technology"), pk=pk)

    def make_form(self, step: ProcessStep, data: Any = None) -> ProcessStepForm:
        return ProcessStepForm(
            data,
            instance=step,
            asset_choices=selectors.step_asset_choices(step.technology, step),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = self.get_step(pk)
        return render(request, self.template_name, {"step": step, "form": self.make_form(step)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = self.get_step(pk)
        form = self.make_form(step, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.process_step_save(
                    technology=step.technology,
                    step=step,
                    order=data["order"],
                    name=data["name"],
                    assets=data["assets"],
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The step has been saved."))
                url = reverse("assets:technology", kwargs={"pk": step.technology_id})
                return redirect(f"{url}#steps")
        return render(request, self.template_name, {"step": step, "form": form}, status=400)


class ProcessStepDeleteView(ProtectedView):
    """Ask before removing a step; remove it on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/step_confirm_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = get_object_or_404(ProcessStep.objects.select_related("technology"), pk=pk)
        return render(request, self.template_name, {"step": step})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = get_object_or_404(ProcessStep.objects.select_related("technology"), pk=pk)
        technology_id = step.technology_id
        services.process_step_delete(step=step)
        messages.success(request, _("The step has been removed."))
        url = reverse("assets:technology", kwargs={"pk": technology_id})
        return redirect(f"{url}#steps")
