"""Views of the disclosures area: exhibitions. Its URLs are listed at the end (see
../urls.py)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, ServiceFormView, paginate
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


def _exhibition_url(exhibition: Exhibition, anchor: str = "") -> str:
    url = reverse("disclosures:exhibition", kwargs={"pk": exhibition.pk})
    return url + (f"#{anchor}" if anchor else "")


def handbook_context() -> dict[str, Any]:
    """Return the handbook's measure for exhibitions and its case."""
    catalog = get_catalog()
    case = next((case for case in catalog.cases if case.id == EXHIBITION_CASE), None)
    return {"row": catalog.row(EXHIBITIONS_ROW), "case": case}


class ExhibitionListView(ProtectedTemplateView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "disclosures/exhibition_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        form = ExhibitionFilterForm(self.request.GET or None)
        filters = form.filters()
        page = paginate(self.request, selectors.exhibition_register(today=today, **filters))
        return super().get_context_data(
            form=form,
            page=page,
            today=today,
            filtered=any(filters.values()),
            status_labels=EXHIBITION_STATUS_LABELS,
            handbook=handbook_context(),
            **kwargs,
        )


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


class ExhibitionCreateView(ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/exhibition_form.html"
    form_class = ExhibitionForm
    success_message = gettext_lazy(
        "The exhibition has been recorded. Have the officer approve what may be said and shown."
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(handbook=handbook_context(), **kwargs)

    def perform(self, form: ExhibitionForm) -> Exhibition:
        return services.exhibition_save(**_service_fields(form.cleaned_data))

    def get_success_url_for(self, result: Exhibition) -> str:
        return _exhibition_url(result)


class ExhibitionEditView(ServiceFormView):
    """Edit an exhibition; changing what may be said withdraws the officer's approval."""

    capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/exhibition_form.html"
    form_class = ExhibitionForm

    @cached_property
    def exhibition(self) -> Exhibition:
        exhibition = selectors.exhibition_detail(self.kwargs["pk"])
        if exhibition is None:
            raise Http404
        return exhibition

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "exhibition": self.exhibition}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            exhibition=self.exhibition, handbook=handbook_context(), **kwargs
        )

    def perform(self, form: ExhibitionForm) -> Exhibition:
        was_approved = self.exhibition.scope_approved_on is not None
        saved = services.exhibition_save(
            exhibition=self.exhibition, **_service_fields(form.cleaned_data)
        )
        if was_approved and saved.scope_approved_on is None:
            messages.warning(self.request, services.APPROVAL_WITHDRAWN)
        else:
            messages.success(self.request, _("The exhibition has been saved."))
        return saved

    def get_success_url_for(self, result: Exhibition) -> str:
        return _exhibition_url(result)


# action -> (form class, capability needed besides REGISTERS_EDIT, anchor)
EXHIBITION_ACTIONS: dict[str, tuple[type, str | None, str]] = {
    "approve": (ScopeApprovalForm, Capability.COMPANY_MANAGE, "scope"),
    "brief": (BriefingForm, None, "briefing"),
    "contact": (ContactForm, None, "contacts"),
    "escalate": (EscalationForm, None, "contacts"),
}


# Service argument -> form field, where they differ.
FIELD_NAMES = {"action": "action_taken"}


class ExhibitionView(ProtectedView):
    """An exhibition: the approved scope, the staff briefing and the contact log.

    Forms post here with an ``action``; approving the scope is the officer's.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "disclosures/exhibition.html"

    @cached_property
    def exhibition(self) -> Exhibition:
        exhibition = selectors.exhibition_detail(self.kwargs["pk"])
        if exhibition is None:
            raise Http404
        return exhibition

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in EXHIBITION_ACTIONS:
            return redirect(_exhibition_url(self.exhibition))
        form_class, extra, anchor = EXHIBITION_ACTIONS[action]
        if extra and not request.user.has_capability(extra):
            raise PermissionDenied
        form = form_class(data=request.POST)
        if form.is_valid():
            try:
                message = self.perform(action, form.cleaned_data)
            except ApplicationError as exc:
                field = FIELD_NAMES.get(exc.field or "", exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, message)
                return redirect(_exhibition_url(self.exhibition, anchor))
        return self.render_page(request, action=action, bound=form, status=400)

    def perform(self, action: str, data: dict[str, Any]) -> str:
        exhibition = self.exhibition
        if action == "approve":
            services.exhibition_approve_scope(
                exhibition=exhibition,
                approved_by=self.request.user,
                approved_on=data["approved_on"],
            )
            return _("What may be said and shown has been approved. Brief the staff next.")
        if action == "brief":
            services.exhibition_record_briefing(
                exhibition=exhibition, briefed_on=data["briefed_on"]
            )
            return _("The briefing of the staff has been recorded.")
        if action == "contact":
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
            return _("The approach has been logged.")
        contact = get_object_or_404(ExhibitionContact, pk=data["contact"], exhibition=exhibition)
        services.exhibition_contact_escalate(
            contact=contact, escalated_on=data["escalated_on"], action=data["action_taken"]
        )
        return _("The escalation has been recorded.")

    def render_page(
        self, request: HttpRequest, action: str = "", bound: Any = None, status: int = 200
    ) -> HttpResponse:
        exhibition, user = self.exhibition, request.user
        today = timezone.localdate()
        can_edit = user.has_capability(Capability.REGISTERS_EDIT)
        can_approve = user.has_capability(Capability.COMPANY_MANAGE)

        def form_for(name: str, **kwargs: Any) -> Any:
            if action == name and bound is not None:
                return bound
            return EXHIBITION_ACTIONS[name][0](**kwargs)

        contacts = list(selectors.exhibition_contacts(exhibition))
        bound_contact = bound.data.get("contact", "") if action == "escalate" and bound else ""
        if can_edit:
            for contact in contacts:
                if action == "escalate" and str(bound_contact) == str(contact.pk):
                    contact.escalation_form = bound
                else:
                    contact.escalation_form = EscalationForm(
                        initial={
                            "contact": contact.pk,
                            "escalated_on": contact.escalated_on or today,
                            "action_taken": contact.action,
                        }
                    )
        forms: dict[str, Any] = {}
        if can_edit:
            forms["contact"] = form_for("contact")
            if exhibition.scope_approved_on is not None:
                forms["brief"] = form_for("brief")
        if can_approve and (
            action == "approve"
            or (exhibition.scope_approved_on is None and exhibition.ends_on >= today)
        ):
            forms["approve"] = form_for("approve")
        staff = list(exhibition.staff.all())
        context = {
            "exhibition": exhibition,
            "staff": staff,
            "contacts": contacts,
            "today": today,
            "upcoming": exhibition.ends_on >= today,
            "approved_late": exhibition.scope_approved_on is not None
            and exhibition.scope_approved_on > exhibition.starts_on,
            "findings": findings_for_object(EXHIBITION_TYPE, exhibition.pk),
            "can_edit": can_edit,
            "can_approve": can_approve,
            "forms": forms,
            "open_form": action,
            "handbook": handbook_context(),
        }
        return render(request, self.template_name, context, status=status)


urlpatterns = [
    path("exhibitions/", ExhibitionListView.as_view(), name="exhibition_list"),
    path("exhibitions/new/", ExhibitionCreateView.as_view(), name="exhibition_create"),
    path("exhibitions/<int:pk>/", ExhibitionView.as_view(), name="exhibition"),
    path("exhibitions/<int:pk>/edit/", ExhibitionEditView.as_view(), name="exhibition_edit"),
]
