"""Pages of the officer appointment (STEP 1) and the security posture (the later stage's
joint-research row)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core import views as generic
from mamori.findings.selectors import findings_for_object
from mamori.governance import selectors, services
from mamori.governance.forms import (
    AppointmentForm,
    NoFilterForm,
    PostureMeasureForm,
    PostureReviewForm,
)
from mamori.governance.models import OfficerAppointment, PostureArea, PostureMeasure

ORGANISATION_ROW = "urn:mamori:row:common:organisation"
POSTURE_ROW = "urn:mamori:row:joint_research:security-posture"


def _row(row_id: str) -> Any:
    return get_catalog().row(row_id)


class AppointmentListView(generic.ObjectListView):
    """The officer in office and the appointments before."""

    capability = Capability.PROGRAMME_VIEW
    edit_capability = Capability.COMPANY_MANAGE
    template_name = "governance/appointments.html"
    filter_form = NoFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.appointment_history()

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        return {"current": selectors.appointment_current(), "handbook_row": _row(ORGANISATION_ROW)}


def _appointment_save(
    view: Any, appointment: OfficerAppointment | None, data: dict[str, Any]
) -> OfficerAppointment:
    return services.appointment_save(appointment=appointment, **data)


class AppointmentCreateView(generic.ObjectEditView):
    capability = Capability.COMPANY_MANAGE
    template_name = "governance/appointment_form.html"
    form_class = AppointmentForm
    selector = staticmethod(selectors.appointment_detail)
    context_object_name = "appointment"
    service = staticmethod(_appointment_save)
    success_message = gettext_lazy("The appointment has been recorded.")

    def form_kwargs_for(self, appointment: OfficerAppointment) -> dict[str, Any]:
        return {"appointment": appointment}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(handbook_row=_row(ORGANISATION_ROW), **kwargs)


class AppointmentEditView(AppointmentCreateView):
    success_message = gettext_lazy("The appointment has been saved.")


class PostureView(generic.ProtectedTemplateView):
    """The four areas of the security posture, recorded or not, with their next review."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "governance/posture.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            rows=selectors.posture(timezone.localdate()),
            can_edit=self.can(Capability.REGISTERS_EDIT),
            handbook_row=_row(POSTURE_ROW),
            **kwargs,
        )


def _measure_save(
    view: Any, measure: PostureMeasure | None, data: dict[str, Any]
) -> PostureMeasure:
    return services.posture_measure_save(measure=measure, **data)


class PostureMeasureCreateView(generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "governance/posture_form.html"
    form_class = PostureMeasureForm
    selector = staticmethod(selectors.posture_measure_detail)
    context_object_name = "measure"
    service = staticmethod(_measure_save)
    success_message = gettext_lazy("The measures have been recorded.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("area") in PostureArea.values:
            initial["area"] = self.request.GET["area"]
        return initial

    def form_kwargs_for(self, measure: PostureMeasure) -> dict[str, Any]:
        return {"measure": measure}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(handbook_row=_row(POSTURE_ROW), **kwargs)


class PostureMeasureEditView(PostureMeasureCreateView):
    success_message = gettext_lazy("The measures have been saved.")


class PostureMeasureView(generic.ObjectActionsView):
    """One area: the measures, who owns them, and the reviews."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "governance/posture_measure.html"
    selector = staticmethod(selectors.posture_measure_detail)
    context_object_name = "measure"

    @generic.inline_action(
        PostureReviewForm, anchor="reviews", message=gettext_lazy("The review has been recorded.")
    )
    def review(self, measure: PostureMeasure, data: dict[str, Any]) -> None:
        services.posture_review_record(measure=measure, **data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measure = self.object
        due = selectors.review_due(measure, measure.last_review)
        return {
            **context,
            "due": due,
            "overdue": due < timezone.localdate(),
            "reviews": measure.reviews.order_by("-reviewed_on", "-pk"),
            "review_form": context["forms"].get("review"),
            "findings": findings_for_object("governance.posturemeasure", measure.pk),
            "handbook_row": _row(POSTURE_ROW),
        }
