"""Views of the disclosures area: exhibitions. Its URLs are listed at the end (see
../urls.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core import views as generic
from mamori.disclosures import selectors
from mamori.disclosures.forms_outreach import (
    EXHIBITION_STATUS_LABELS,
    BriefingForm,
    ContactForm,
    EscalationForm,
    ExhibitionFilterForm,
    ExhibitionForm,
    ScopeApprovalForm,
)
from mamori.disclosures.models import Exhibition, ExhibitionContact
from mamori.disclosures.services import exhibitions as services
from mamori.findings.selectors import findings_for_object

EXHIBITION_TYPE = "disclosures.exhibition"
EXHIBITIONS_ROW = "urn:mamori:row:people:exhibitions"
EXHIBITION_CASE = "urn:mamori:case:middle:1"


def handbook_context() -> dict[str, Any]:
    """Return the handbook's measure for exhibitions and its case."""
    catalog = get_catalog()
    case = next((case for case in catalog.cases if case.id == EXHIBITION_CASE), None)
    return {"row": catalog.row(EXHIBITIONS_ROW), "case": case}


class ExhibitionListView(generic.ObjectListView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "disclosures/exhibition_list.html"
    edit_capability = Capability.REGISTERS_EDIT
    filter_form = ExhibitionFilterForm

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.exhibition_register(today=timezone.localdate(), **filters)

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        return {
            "today": timezone.localdate(),
            "status_labels": EXHIBITION_STATUS_LABELS,
            "handbook": handbook_context(),
        }


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "venue": data["venue"],
        "country": data["country"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "staff": data["staff"],
        "may_disclose": data["may_disclose"],
        "must_not_disclose": data["must_not_disclose"],
        "escalation_contact": data["escalation_contact"],
    }


def _exhibition_save(view: Any, exhibition: Exhibition | None, data: dict) -> Exhibition:
    return services.exhibition_save(exhibition=exhibition, **_service_fields(data))


class ExhibitionCreateView(generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/exhibition_form.html"
    form_class = ExhibitionForm
    selector = staticmethod(selectors.exhibition_detail)
    context_object_name = "exhibition"
    service = staticmethod(_exhibition_save)
    success_message = gettext_lazy(
        "The exhibition has been recorded. Have the officer approve what may be said and shown."
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(handbook=handbook_context(), **kwargs)

    def form_kwargs_for(self, exhibition: Exhibition) -> dict[str, Any]:
        return {"exhibition": exhibition}


class ExhibitionEditView(ExhibitionCreateView):
    """Edit an exhibition; changing what may be said withdraws the officer's approval."""

    def perform(self, form: ExhibitionForm) -> Exhibition:
        self.was_approved = self.object.scope_approved_on is not None
        return super().perform(form)

    def message_for(self, result: Exhibition) -> str:
        if self.was_approved and result.scope_approved_on is None:
            messages.warning(self.request, services.APPROVAL_WITHDRAWN)
            return ""
        return _("The exhibition has been saved.")


# Service argument -> form field, where they differ.
FIELD_NAMES = {"action": "action_taken"}


class ExhibitionView(generic.ObjectActionsView):
    """An exhibition: the approved scope, the staff briefing and the contact log.

    Forms post here with an ``action``; approving the scope is the officer's.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/exhibition.html"
    selector = staticmethod(selectors.exhibition_detail)
    context_object_name = "exhibition"

    @generic.inline_action(
        ScopeApprovalForm,
        anchor="scope",
        capability=Capability.COMPANY_MANAGE,
        message=gettext_lazy("What may be said and shown has been approved. Brief the staff next."),
    )
    def approve(self, exhibition: Exhibition, data: dict[str, Any]) -> None:
        services.exhibition_approve_scope(
            exhibition=exhibition, approved_by=self.request.user, approved_on=data["approved_on"]
        )

    @generic.inline_action(
        BriefingForm,
        anchor="briefing",
        message=gettext_lazy("The briefing of the staff has been recorded."),
    )
    def brief(self, exhibition: Exhibition, data: dict[str, Any]) -> None:
        services.exhibition_record_briefing(exhibition=exhibition, briefed_on=data["briefed_on"])

    @generic.inline_action(
        ContactForm,
        anchor="contacts",
        message=gettext_lazy("The approach has been logged."),
        renamed=FIELD_NAMES,
    )
    def contact(self, exhibition: Exhibition, data: dict[str, Any]) -> None:
        services.exhibition_contact_record(
            exhibition=exhibition,
            occurred_on=data["occurred_on"],
            visitor=data["visitor"],
            what_happened=data["what_happened"],
            very_technical=data["very_technical"],
            asked_private_contact=data["asked_private_contact"],
            recorded_by=data["recorded_by"],
            escalated_on=data["escalated_on"],
            action=data["action_taken"],
        )

    @generic.inline_action(
        EscalationForm,
        anchor="contacts",
        message=gettext_lazy("The escalation has been recorded."),
        item_field="contact",
        renamed=FIELD_NAMES,
    )
    def escalate(self, exhibition: Exhibition, data: dict[str, Any]) -> None:
        contact = get_object_or_404(ExhibitionContact, pk=data["contact"], exhibition=exhibition)
        services.exhibition_contact_escalate(
            contact=contact, escalated_on=data["escalated_on"], action=data["action_taken"]
        )

    def allowed_actions(self) -> dict[str, generic.InlineAction]:
        exhibition, today = self.object, timezone.localdate()
        allowed = super().allowed_actions()
        if exhibition.scope_approved_on is None:
            allowed.pop("brief", None)
        approving = "approve" in self.bound or (
            exhibition.scope_approved_on is None and exhibition.ends_on >= today
        )
        if not approving:
            allowed.pop("approve", None)
        return allowed

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        exhibition, today = self.object, timezone.localdate()
        contacts = list(selectors.exhibition_contacts(exhibition))
        if context["can_edit"]:
            for contact in contacts:
                form = self.item_form("escalate", contact.pk)
                if not form.is_bound:
                    form.initial.update(
                        escalated_on=contact.escalated_on or today, action_taken=contact.action
                    )
                contact.escalation_form = form
        return {
            **context,
            "staff": list(exhibition.staff.all()),
            "contacts": contacts,
            "today": today,
            "upcoming": exhibition.ends_on >= today,
            "approved_late": exhibition.scope_approved_on is not None
            and exhibition.scope_approved_on > exhibition.starts_on,
            "findings": findings_for_object(EXHIBITION_TYPE, exhibition.pk),
            "can_approve": self.can(Capability.COMPANY_MANAGE),
            "handbook": handbook_context(),
        }


urlpatterns = [
    path("exhibitions/", ExhibitionListView.as_view(), name="exhibition_list"),
    path("exhibitions/new/", ExhibitionCreateView.as_view(), name="exhibition_create"),
    path("exhibitions/<int:pk>/", ExhibitionView.as_view(), name="exhibition"),
    path("exhibitions/<int:pk>/edit/", ExhibitionEditView.as_view(), name="exhibition_edit"),
]
