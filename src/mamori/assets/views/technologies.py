"""Technologies to protect: list, page, edit, process steps."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

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
from mamori.assets.views._common import TECHNOLOGY_TYPE, category_points
from mamori.core import views as generic
from mamori.findings.selectors import findings_for_object

# --- technologies --------------------------------------------------------------------------


class TechnologyListView(generic.ProtectedTemplateView):
    """The technologies to protect (STEP 2), with importance and export classification."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "assets/technology_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        category = params.get("category", "")
        category = category if category in TechnologyCategory.values else ""
        query = params.get("q", "").strip()
        page = generic.paginate(
            self.request, selectors.technology_list(query=query, category=category)
        )
        return super().get_context_data(
            page=page,
            categories=TechnologyCategory.choices,
            selected_category=category,
            query=query,
            filtered=bool(query or category),
            can_edit=self.can(Capability.REGISTERS_EDIT),
            **kwargs,
        )


class TechnologyView(generic.ObjectActionsView):
    """A technology: category, importance, strategy, export control, process and assets.

    Forms post here with an ``action``; an invalid one is shown again on the page.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "assets/technology.html"
    selector = staticmethod(selectors.technology_detail)
    context_object_name = "technology"

    @generic.inline_action(
        ClassificationForm,
        anchor="classification",
        message=gettext_lazy("The export-control classification has been recorded."),
    )
    def classification(self, technology: Technology, data: dict[str, Any]) -> None:
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

    @generic.inline_action(
        ApprovalForm,
        anchor="approval",
        message=gettext_lazy("The licence or approval has been recorded."),
    )
    def approval(self, technology: Technology, data: dict[str, Any]) -> None:
        services.deemed_export_approval_record(
            person=data["person"],
            technology=technology,
            reference=data["reference"],
            approved_on=data["approved_on"],
            valid_until=data.get("valid_until"),
        )

    @generic.inline_action(
        ProcessStepForm,
        anchor="step",
        message=gettext_lazy("The step has been added."),
        form_kwargs=lambda view: {
            "asset_choices": selectors.step_asset_choices(view.object),
            "initial": {"order": view.object.process_steps.count() + 1},
        },
    )
    def step(self, technology: Technology, data: dict[str, Any]) -> None:
        services.process_step_save(
            technology=technology, order=data["order"], name=data["name"], assets=data["assets"]
        )

    @generic.inline_action(
        ProcessLimitForm,
        anchor="limit",
        capability=Capability.COMPANY_MANAGE,
        message=gettext_lazy("The limit has been saved."),
        form_kwargs=lambda view: {
            "initial": {"full_process_limit": view.object.full_process_limit}
        },
    )
    def limit(self, technology: Technology, data: dict[str, Any]) -> None:
        services.technology_set_process_limit(
            technology=technology, limit=data.get("full_process_limit"), user=self.request.user
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        technology = self.object
        classifications = list(selectors.classifications_of(technology))
        people = list(selectors.full_process_people(technology).order_by("name", "pk"))
        limit = technology.full_process_limit
        assets = selectors.assets_of_technology(technology)
        score = (
            technology.competitiveness + technology.damage_if_leaked + technology.others_interest
        )
        return {
            **context,
            "category_point": category_points().get(technology.category),
            "score_total": score,
            "raised_by_damage": score < 5 and technology.damage_if_leaked == 3,
            "classifications": classifications,
            "classification": classifications[0] if classifications else None,
            "controlled": ExportResult.CONTROLLED,
            "approvals": selectors.approvals_of(technology),
            "steps": selectors.process_steps(technology),
            "full_process_people": people,
            "over_limit": limit is not None and len(people) > limit,
            "assets": assets[:50],
            "asset_total": assets.count(),
            "findings": findings_for_object(TECHNOLOGY_TYPE, technology.pk, self.request.user),
        }


def _technology_save(view: Any, technology: Technology | None, data: dict) -> Technology:
    return services.technology_save(technology=technology, **data)


class TechnologyEditView(generic.ObjectEditView):
    """Create (no ``pk``) or edit a technology; the level follows from the scores."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/technology_form.html"
    form_class = TechnologyForm
    model = Technology
    context_object_name = "technology"
    service = staticmethod(_technology_save)
    success_message = gettext_lazy("The technology has been saved.")
    invalid_status = 400

    def form_kwargs_for(self, technology: Technology) -> dict[str, Any]:
        return {"instance": technology}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            technology=self.object if self.editing else None, points=category_points(), **kwargs
        )


def _step_save(view: Any, step: ProcessStep, data: dict[str, Any]) -> ProcessStep:
    return services.process_step_save(
        technology=step.technology,
        step=step,
        order=data["order"],
        name=data["name"],
        assets=data["assets"],
    )


class ProcessStepEditView(generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "assets/step_form.html"
    form_class = ProcessStepForm
    selector = staticmethod(selectors.process_step_detail)
    context_object_name = "step"
    service = staticmethod(_step_save)
    success_message = gettext_lazy("The step has been saved.")
    invalid_status = 400
    parent, anchor = "technology", "steps"

    def form_kwargs_for(self, step: ProcessStep) -> dict[str, Any]:
        return {
            "instance": step,
            "asset_choices": selectors.step_asset_choices(step.technology, step),
        }


class ProcessStepDeleteView(generic.ObjectDeleteView):
    """Ask before removing a step; remove it on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/step_confirm_delete.html"
    selector = staticmethod(selectors.process_step_detail)
    context_object_name = "step"
    service = staticmethod(lambda view, step: services.process_step_delete(step=step))
    success_message = gettext_lazy("The step has been removed.")
    parent, anchor = "technology", "steps"
