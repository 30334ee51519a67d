"""Pages of the people register: the list, a person, adding and editing, the import,
and every employee's own page (self-service)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mamori.accounts.roles import Capability
from mamori.core import views as generic
from mamori.core.panels import panels_render
from mamori.findings.selectors import findings_for_object
from mamori.people import selectors, services
from mamori.people.forms import (
    AcknowledgeForm,
    ForeignCloseForm,
    ForeignDeclarationForm,
    ForeignDeclarationOnBehalfForm,
    PeopleImportForm,
    PersonFilterForm,
    PersonForm,
    PledgeRequestForm,
    PledgeSignForm,
    SideJobForm,
    SideJobOnBehalfForm,
    SideJobReviewForm,
    TrainingForm,
)
from mamori.people.importer import ParsedFile, parse_people_file, template_csv
from mamori.people.models import (
    ForeignInfluenceDeclaration,
    Person,
    PersonStatus,
    Pledge,
    SideJobDeclaration,
)


class PersonListView(generic.ObjectListView):
    """The register: search, filters, counts per status, fifty people a page."""

    capability = Capability.PROGRAMME_VIEW
    edit_capability = Capability.REGISTERS_EDIT
    template_name = "people/list.html"
    filter_form = PersonFilterForm
    selector = staticmethod(selectors.person_register)

    def list_context(self, filters: dict[str, Any], page: Any) -> dict[str, Any]:
        counts = selectors.person_status_counts(
            **{name: value for name, value in filters.items() if name != "status"}
        )
        return {
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in PersonStatus.choices
            ],
            "total": sum(counts.values()),
        }


# --- the person page ---------------------------------------------------------------------


class PersonView(generic.ObjectActionsView):
    """A person: profile, life-cycle, access, pledges, trainings, declarations, findings.

    Each form posts here with an ``action``; an invalid form, or one the service
    refuses, is shown again with what was typed and what is wrong. Declarations are
    read in full only with ``DECLARATIONS_VIEW``; others see that they exist.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "people/person.html"
    selector = staticmethod(selectors.person_detail)
    context_object_name = "person"

    @generic.inline_action(PledgeRequestForm, anchor="pledges")
    def pledge_request(self, person: Person, data: dict[str, Any]) -> str:
        services.pledge_request(
            person=person,
            kind=data["kind"],
            title=data["title"],
            requested_on=data["requested_on"],
            signed_on=data["signed_on"],
            text=data["text"],
        )
        if data["signed_on"]:
            return _("The signed pledge has been recorded.")
        return _("The pledge has been requested.")

    @generic.inline_action(
        PledgeSignForm,
        anchor="pledges",
        item_field="pledge",
        message=gettext_lazy("The signature has been recorded."),
    )
    def pledge_sign(self, person: Person, data: dict[str, Any]) -> None:
        pledge = get_object_or_404(Pledge, pk=data["pledge"], person=person)
        services.pledge_record_signed(pledge=pledge, signed_on=data["signed_on"])

    @generic.inline_action(
        TrainingForm, anchor="trainings", message=gettext_lazy("The training has been recorded.")
    )
    def training(self, person: Person, data: dict[str, Any]) -> None:
        services.training_record(
            person=person,
            course=data["course"],
            tier=data["tier"],
            completed_on=data["completed_on"],
        )

    @generic.inline_action(
        SideJobOnBehalfForm,
        anchor="side-jobs",
        capability=Capability.DECLARATIONS_VIEW,
        message=gettext_lazy("The side-job declaration has been recorded."),
    )
    def side_job(self, person: Person, data: dict[str, Any]) -> None:
        services.side_job_declare(person=person, **_side_job_fields(data))

    @generic.inline_action(
        SideJobReviewForm,
        anchor="side-jobs",
        capability=Capability.DECLARATIONS_VIEW,
        item_field="declaration",
        message=gettext_lazy("The review of the side job has been recorded."),
    )
    def side_job_review(self, person: Person, data: dict[str, Any]) -> None:
        declaration = get_object_or_404(SideJobDeclaration, pk=data["declaration"], person=person)
        services.side_job_review(
            declaration=declaration, status=data["status"], review_note=data["review_note"]
        )

    @generic.inline_action(
        ForeignDeclarationOnBehalfForm,
        anchor="foreign",
        capability=Capability.DECLARATIONS_VIEW,
        message=gettext_lazy("The 特定類型 declaration has been recorded."),
    )
    def foreign(self, person: Person, data: dict[str, Any]) -> None:
        services.foreign_declare(person=person, **_foreign_fields(data))

    @generic.inline_action(
        ForeignCloseForm,
        anchor="foreign",
        capability=Capability.COMPANY_MANAGE,
        item_field="declaration",
        message=gettext_lazy("The declaration has been closed."),
    )
    def foreign_close(self, person: Person, data: dict[str, Any]) -> None:
        declaration = get_object_or_404(
            ForeignInfluenceDeclaration, pk=data["declaration"], person=person
        )
        services.foreign_declaration_close_open(
            declaration=declaration, closed_on=data["closed_on"], closing_note=data["closing_note"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        can_edit = context["can_edit"]
        can_read_declarations = user.has_capability(Capability.DECLARATIONS_VIEW)
        pledges = list(selectors.person_pledges(person))
        for pledge in pledges:
            if pledge.signed_on is None:
                pledge.sign_form = self.item_form("pledge_sign", pledge.pk)
        side_jobs = list(selectors.person_side_jobs(person))
        foreign = list(selectors.person_foreign_declarations(person))
        if can_read_declarations:
            for declaration in side_jobs:
                declaration.review_form = self.item_form("side_job_review", declaration.pk)
            for declaration in foreign:
                if declaration.is_open:
                    declaration.close_form = self.item_form("foreign_close", declaration.pk)
        return {
            **context,
            "events": selectors.person_events(person),
            "grants": selectors.person_grants(person),
            "pledges": pledges,
            "trainings": selectors.person_trainings(person),
            "side_jobs": side_jobs,
            "foreign_declarations": foreign,
            "findings": _visible_findings(person, can_read_declarations, user),
            "can_read_declarations": can_read_declarations,
            "can_manage_declarations": can_edit and can_read_declarations,
            "can_close_declarations": user.has_capability(Capability.COMPANY_MANAGE),
        }


# Findings that name a declaration carry its content (the side job's organisation).
DECLARATION_TYPES = frozenset({"people.sidejobdeclaration", "people.foreigninfluencedeclaration"})


def _visible_findings(person: Person, can_read_declarations: bool, user: Any) -> list:
    findings = findings_for_object("people.person", person.pk, user)
    if can_read_declarations:
        return findings
    return [
        view
        for view in findings
        if not any(ref.get("type") in DECLARATION_TYPES for ref in view.objects)
    ]


def _side_job_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "organisation": data["organisation"],
        "activity": data["activity"],
        "overlaps_our_technology": data["overlaps_our_technology"],
        "overlap_note": data["overlap_note"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "declared_on": data.get("declared_on") or timezone.localdate(),
    }


def _foreign_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "occasion": data["occasion"],
        "declared_on": data.get("declared_on") or timezone.localdate(),
        "type1_foreign_contract": data["type1_foreign_contract"],
        "type2_foreign_benefit": data["type2_foreign_benefit"],
        "type3_foreign_instruction": data["type3_foreign_instruction"],
        "details": data["details"],
    }


# --- adding and editing -------------------------------------------------------------------


def _person_save(view: Any, person: Person | None, data: dict[str, Any]) -> Person:
    return services.person_save(person=person, linked_by=view.request.user, **view.form_fields)


class PersonCreateView(generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "people/person_form.html"
    form_class = PersonForm
    selector = staticmethod(selectors.person_detail)
    context_object_name = "person"
    service = staticmethod(_person_save)
    success_message = gettext_lazy("The person has been added to the register.")

    def form_kwargs_for(self, person: Person) -> dict[str, Any]:
        return {"person": person}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "may_link": self.can(Capability.USERS_MANAGE)}

    def perform(self, form: PersonForm) -> Person:
        self.form_fields = form.service_fields()
        return super().perform(form)


class PersonEditView(PersonCreateView):
    success_message = gettext_lazy("The person's details have been saved.")


# --- import --------------------------------------------------------------------------------


class PeopleImportView(generic.UploadImportView):
    """Upload a CSV or Excel list of people; all rows are written, or none."""

    capability = Capability.REGISTERS_EDIT
    template_name = "people/import.html"
    form_class = PeopleImportForm
    success_url = reverse_lazy("people:person_list")

    def parse(self, content: bytes, file_name: str) -> ParsedFile:
        return parse_people_file(content, file_name)

    def write(self, parsed: ParsedFile) -> services.ImportResult:
        return services.people_import(parsed=parsed)

    def result_message(self, result: services.ImportResult) -> str:
        return _result_message(result)


def _result_message(result: services.ImportResult) -> str:
    message = _(
        "Import finished: %(created)d added, %(updated)d updated, %(unchanged)d unchanged."
    ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    if result.transferred:
        message += " " + ngettext(
            "%(count)d department change was recorded as a transfer; its access review is open.",
            "%(count)d department changes were recorded as transfers; their access reviews are "
            "open.",
            result.transferred,
        ) % {"count": result.transferred}
    return message


class PeopleImportTemplateView(generic.ProtectedView):
    """The empty import file: the Japanese headers, UTF-8 with a BOM so Excel opens it."""

    capability = Capability.REGISTERS_EDIT

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="people-template.csv"'
        return response


# --- self-service --------------------------------------------------------------------------


class SelfServiceView(generic.ObjectActionsView):
    """The signed-in user's own entry: access, pledges, trainings and declarations.

    Only the user's own records are read or written here.
    """

    capability = Capability.SELF_SERVICE
    template_name = "people/me.html"
    context_object_name = "person"

    @generic.inline_action(
        AcknowledgeForm,
        anchor="pledges",
        message=gettext_lazy("Thank you. Your acknowledgement has been recorded."),
    )
    def acknowledge(self, person: Person, data: dict[str, Any]) -> None:
        pledge = get_object_or_404(
            Pledge.objects.select_related("person"), pk=data["pledge"], person=person
        )
        services.pledge_acknowledge(pledge=pledge, user=self.request.user)

    @generic.inline_action(
        SideJobForm,
        anchor="side-jobs",
        message=gettext_lazy("Your side-job declaration has been submitted."),
    )
    def side_job(self, person: Person, data: dict[str, Any]) -> None:
        services.side_job_declare(person=person, **_side_job_fields(data))

    @generic.inline_action(
        ForeignDeclarationForm,
        anchor="foreign",
        message=gettext_lazy("Your declaration has been submitted."),
    )
    def foreign(self, person: Person, data: dict[str, Any]) -> None:
        services.foreign_declare(person=person, **_foreign_fields(data))

    @cached_property
    def object(self) -> Person | None:
        # The user's own entry, or None when the register does not know them yet.
        return selectors.person_for_user(self.request.user)

    def page_url(self) -> str:
        return reverse("people:me")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object is None:
            return redirect("people:me")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = self.object
        if person is None:
            return {"person": None}
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "grants": selectors.person_grants_now(person),
            "awaiting": selectors.pledges_awaiting(person),
            "signed": selectors.pledges_signed(person),
            "trainings": selectors.person_trainings(person),
            "side_jobs": selectors.person_side_jobs(person),
            "foreign_declarations": selectors.person_foreign_declarations(person),
            "acknowledge_error": self.bound.get("acknowledge"),
            # What apps above this one add to My Page (the rules to acknowledge).
            "panels": panels_render(self.request, person),
        }
