"""Pages of the incident register (the officer's alone, every read audited) and of the
concern reports (anyone reports and sees their own; the officer works the queue)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.audit.models import Action
from mamori.audit.services import audit_record_object
from mamori.catalog.selectors import get_catalog
from mamori.core import views as generic
from mamori.findings.selectors import findings_for_object
from mamori.incidents import selectors, services
from mamori.incidents.forms import (
    CONCERN_STATUS_LABELS,
    CloseForm,
    ConcernEscalateForm,
    ConcernFilterForm,
    ConcernForm,
    ConcernReviewForm,
    ConsultationForm,
    ContainmentForm,
    EvidenceForm,
    IncidentFilterForm,
    IncidentForm,
    NoFilterForm,
    ReopenForm,
    ResponseForm,
)
from mamori.incidents.models import ConcernReport, Incident, IncidentEvidence

INCIDENT_TYPE = "incidents.incident"
CORE_MANAGEMENT_ROW = "urn:mamori:row:common:core-technology-management"
STEP_3 = "urn:mamori:step:3"
FIRM_RESPONSE_POINT = "firm_response"


def handbook_point() -> Any:
    """Return the handbook's STEP 3 point 「違反に対する毅然とした対応」, as printed."""
    step = next((step for step in get_catalog().steps if step.id == STEP_3), None)
    if step is None:
        return None
    return next((point for point in step.points if point.id == FIRM_RESPONSE_POINT), None)


def _days() -> int:
    return services.containment_days()


class IncidentListView(generic.ObjectListView):
    """The incidents, newest first; those past the containment allowance highlighted."""

    capability = Capability.INCIDENTS_MANAGE
    template_name = "incidents/list.html"
    filter_form = IncidentFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.incident_register(today=timezone.localdate(), days=_days(), **filters)

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        return {
            "days": _days(),
            "point": handbook_point(),
            "concerns_waiting": selectors.concerns_waiting(),
        }


def _incident_save(view: Any, incident: Incident | None, data: dict[str, Any]) -> Incident:
    return services.incident_save(incident=incident, **data)


class IncidentCreateView(generic.ObjectEditView):
    capability = Capability.INCIDENTS_MANAGE
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm
    model = Incident
    need_to_know = True
    context_object_name = "incident"
    service = staticmethod(_incident_save)
    success_message = gettext_lazy("The incident has been recorded.")

    def form_kwargs_for(self, incident: Incident) -> dict[str, Any]:
        return {"incident": incident}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(point=handbook_point(), **kwargs)


class IncidentEditView(IncidentCreateView):
    success_message = gettext_lazy("The incident has been saved.")


def _evidence(view: Any, incident: Incident, data: dict[str, Any]) -> None:
    services.incident_evidence_add(
        incident=incident,
        upload=data["file"],
        title=data["title"],
        preserved_on=data["preserved_on"],
        preserved_by=data["preserved_by"],
    )


def _containment(view: Any, incident: Incident, data: dict[str, Any]) -> None:
    services.containment_record(incident=incident, **data)


def _consultation(view: Any, incident: Incident, data: dict[str, Any]) -> None:
    services.consultation_record(incident=incident, **data)


def _response(view: Any, incident: Incident, data: dict[str, Any]) -> None:
    services.response_decide(incident=incident, **data)


def _close(view: Any, incident: Incident, data: dict[str, Any]) -> None:
    services.incident_close(incident=incident, **data)


def _reopen(view: Any, incident: Incident, data: dict[str, Any]) -> None:
    services.incident_reopen(incident=incident)


class IncidentView(generic.ObjectActionsView):
    """An incident: what, who, which assets; evidence, containment, consultations and the
    response, each with its date and owner. Every showing is recorded in the audit log."""

    capability = Capability.INCIDENTS_MANAGE
    write_capability = Capability.INCIDENTS_MANAGE
    template_name = "incidents/incident.html"
    model = Incident
    need_to_know = True
    context_object_name = "incident"
    actions = {
        "evidence": generic.InlineAction(
            EvidenceForm,
            _evidence,
            anchor="evidence",
            message=gettext_lazy("The evidence has been preserved."),
        ),
        "containment": generic.InlineAction(
            ContainmentForm,
            _containment,
            anchor="containment",
            message=gettext_lazy("The containment step has been recorded."),
        ),
        "consultation": generic.InlineAction(
            ConsultationForm,
            _consultation,
            anchor="consultations",
            message=gettext_lazy("The consultation has been recorded."),
        ),
        "response": generic.InlineAction(
            ResponseForm,
            _response,
            anchor="response",
            message=gettext_lazy("The response has been recorded."),
        ),
        "close": generic.InlineAction(
            CloseForm, _close, anchor="response", message=gettext_lazy("The incident is closed.")
        ),
        "reopen": generic.InlineAction(
            ReopenForm,
            _reopen,
            anchor="response",
            message=gettext_lazy("The incident has been reopened."),
        ),
    }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        row = selectors.incident_detail(self.object.pk, today=timezone.localdate(), days=_days())
        forms = context["forms"]
        return {
            **context,
            "row": row,
            "days": _days(),
            "evidence": self.object.evidence.order_by("preserved_on", "pk"),
            "containment": self.object.containment.order_by("done_on", "pk"),
            "consultations": selectors.consultation_rows(self.object),
            "responses": self.object.responses.order_by("decided_on", "pk"),
            "contacts": selectors.handbook_contacts(),
            "police_link": selectors.police_link(),
            "findings": findings_for_object(INCIDENT_TYPE, self.object.pk),
            "point": handbook_point(),
            **{f"{name}_form": forms.get(name) for name in self.actions},
        }


class EvidenceDownloadView(generic.ProtectedView):
    """Serve a preserved file as a download, never inline; the download is audited."""

    capability = Capability.INCIDENTS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = get_object_or_404(IncidentEvidence, pk=pk)
        response = generic.stored_file_response(evidence.file, evidence.original_name)
        audit_record_object(evidence, action=Action.EXPORT)
        return response


# --- concerns ----------------------------------------------------------------------------------


def _concern_report(view: Any, concern: None, data: dict[str, Any]) -> ConcernReport:
    return services.concern_report(reported_by=view.request.user, **data)


class ConcernReportView(generic.ObjectEditView):
    """Report a concern: anyone, the employee role included."""

    capability = Capability.SELF_SERVICE
    template_name = "incidents/concern_form.html"
    form_class = ConcernForm
    model = ConcernReport
    service = staticmethod(_concern_report)
    success_message = gettext_lazy(
        "Thank you. Your report has reached the officer responsible for technology-leakage "
        "prevention."
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(point=handbook_point(), **kwargs)


class MyConcernsView(generic.ObjectListView):
    """The concerns the signed-in user reported, and only those."""

    capability = Capability.SELF_SERVICE
    template_name = "incidents/my_concerns.html"
    filter_form = NoFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.concerns_of(self.request.user)


class ConcernQueueView(generic.ObjectListView):
    """The officer's queue of every concern reported."""

    capability = Capability.INCIDENTS_MANAGE
    template_name = "incidents/concern_queue.html"
    filter_form = ConcernFilterForm
    selector = staticmethod(selectors.concern_queue)

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        return {"status_labels": CONCERN_STATUS_LABELS}


def _review(view: Any, concern: ConcernReport, data: dict[str, Any]) -> None:
    services.concern_review(concern=concern, **data)


class ConcernView(generic.ObjectActionsView):
    """One concern: its reporter sees it (and only theirs); the officer reviews it or makes
    it an incident."""

    capability = Capability.SELF_SERVICE
    write_capability = Capability.INCIDENTS_MANAGE
    template_name = "incidents/concern.html"
    context_object_name = "concern"
    actions = {
        "review": generic.InlineAction(
            ConcernReviewForm,
            _review,
            message=gettext_lazy("The review has been recorded."),
            form_kwargs=lambda view: {"initial": {"reviewed_on": timezone.localdate()}},
        ),
    }

    def find_object(self, key: Any) -> ConcernReport | None:
        return selectors.concern_for(key, self.request.user)

    @generic.inline_action(ConcernEscalateForm)
    def escalate(self, concern: ConcernReport, data: dict[str, Any]) -> str:
        self.incident = services.concern_escalate(concern=concern, handled_by=data["handled_by"])
        return str(
            gettext_lazy("The concern is now incident #%(number)s.") % {"number": self.incident.pk}
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        incident = getattr(self, "incident", None)
        return (
            redirect(incident) if incident is not None and response.status_code == 302 else response
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        forms = context["forms"]
        return {
            **context,
            "review_form": forms.get("review"),
            "escalate_form": forms.get("escalate"),
            "officer": selectors.may_see_incidents(self.request.user),
        }
