"""Pages of the people register: the list, a person, adding and editing, the import,
and every employee's own page (self-service)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mamori.accounts.roles import Capability
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, ServiceFormView, paginate
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
from mamori.people.importer import PeopleFileError, parse_people_file, template_csv
from mamori.people.models import (
    ForeignInfluenceDeclaration,
    Person,
    PersonStatus,
    Pledge,
    SideJobDeclaration,
)

# How many import errors the page lists; the rest are counted.
ERRORS_SHOWN = 500


def _person_url(person: Person, anchor: str = "") -> str:
    return reverse("people:person", kwargs={"pk": person.pk}) + (f"#{anchor}" if anchor else "")


class PersonListView(ProtectedTemplateView):
    """The register: search, filters, counts per status, fifty people a page."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "people/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = PersonFilterForm(self.request.GET or None)
        filters = form.filters()
        counts = selectors.person_status_counts(
            **{name: value for name, value in filters.items() if name != "status"}
        )
        status_counts = [
            (value, label, counts.get(value, 0)) for value, label in PersonStatus.choices
        ]
        return super().get_context_data(
            form=form,
            page=paginate(self.request, selectors.person_register(**filters)),
            status_counts=status_counts,
            total=sum(counts.values()),
            filtered=any(filters.values()),
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


# --- the person page ---------------------------------------------------------------------

# action -> (form class, capability needed besides REGISTERS_EDIT)
PERSON_ACTIONS: dict[str, tuple[type, str | None]] = {
    "pledge_request": (PledgeRequestForm, None),
    "pledge_sign": (PledgeSignForm, None),
    "training": (TrainingForm, None),
    "side_job": (SideJobOnBehalfForm, Capability.DECLARATIONS_VIEW),
    "side_job_review": (SideJobReviewForm, Capability.DECLARATIONS_VIEW),
    "foreign": (ForeignDeclarationOnBehalfForm, Capability.DECLARATIONS_VIEW),
    # The model says the officer closes an open declaration: it clears a deemed-export flag.
    "foreign_close": (ForeignCloseForm, Capability.COMPANY_MANAGE),
}


class PersonView(ProtectedView):
    """A person: profile, life-cycle, access, pledges, trainings, declarations, findings.

    Each form posts here with an ``action``; an invalid form, or one the service
    refuses, is shown again with what was typed and what is wrong. Declarations are
    read in full only with ``DECLARATIONS_VIEW``; others see that they exist.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "people/person.html"

    @cached_property
    def person(self) -> Person:
        return get_object_or_404(selectors.person_detail(self.kwargs["pk"]))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in PERSON_ACTIONS:
            return redirect(_person_url(self.person))
        form_class, extra = PERSON_ACTIONS[action]
        if extra and not request.user.has_capability(extra):
            raise PermissionDenied
        form = form_class(data=request.POST)
        if form.is_valid():
            try:
                message = self.perform(action, form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, message)
                return redirect(_person_url(self.person, ANCHORS[action]))
        return self.render_page(request, action=action, bound=form, status=400)

    def perform(self, action: str, data: dict[str, Any]) -> str:
        person = self.person
        if action == "pledge_request":
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
        if action == "pledge_sign":
            pledge = get_object_or_404(Pledge, pk=data["pledge"], person=person)
            services.pledge_record_signed(pledge=pledge, signed_on=data["signed_on"])
            return _("The signature has been recorded.")
        if action == "training":
            services.training_record(
                person=person,
                course=data["course"],
                tier=data["tier"],
                completed_on=data["completed_on"],
            )
            return _("The training has been recorded.")
        if action == "side_job":
            services.side_job_declare(person=person, **_side_job_fields(data))
            return _("The side-job declaration has been recorded.")
        if action == "side_job_review":
            declaration = get_object_or_404(
                SideJobDeclaration, pk=data["declaration"], person=person
            )
            services.side_job_review(
                declaration=declaration, status=data["status"], review_note=data["review_note"]
            )
            return _("The review of the side job has been recorded.")
        if action == "foreign":
            services.foreign_declare(person=person, **_foreign_fields(data))
            return _("The 特定類型 declaration has been recorded.")
        declaration = get_object_or_404(
            ForeignInfluenceDeclaration, pk=data["declaration"], person=person
        )
        services.foreign_declaration_close_open(
            declaration=declaration, closed_on=data["closed_on"], closing_note=data["closing_note"]
        )
        return _("The declaration has been closed.")

    def render_page(
        self, request: HttpRequest, action: str = "", bound: Any = None, status: int = 200
    ) -> HttpResponse:
        person, user = self.person, request.user
        can_edit = user.has_capability(Capability.REGISTERS_EDIT)
        can_read_declarations = user.has_capability(Capability.DECLARATIONS_VIEW)
        bound_id = bound.data.get(_ID_FIELDS.get(action, ""), "") if bound is not None else ""

        def form_for(name: str, **kwargs: Any) -> Any:
            if action == name and bound is not None:
                return bound
            return PERSON_ACTIONS[name][0](**kwargs)

        def item_form(name: str, pk: int) -> Any:
            if action == name and bound is not None and str(bound_id) == str(pk):
                return bound
            return PERSON_ACTIONS[name][0](initial={_ID_FIELDS[name]: pk})

        pledges = list(selectors.person_pledges(person))
        for pledge in pledges:
            if pledge.signed_on is None:
                pledge.sign_form = item_form("pledge_sign", pledge.pk)
        side_jobs = list(selectors.person_side_jobs(person))
        foreign = list(selectors.person_foreign_declarations(person))
        if can_read_declarations:
            for declaration in side_jobs:
                declaration.review_form = item_form("side_job_review", declaration.pk)
            for declaration in foreign:
                if declaration.is_open:
                    declaration.close_form = item_form("foreign_close", declaration.pk)
        context = {
            "person": person,
            "events": selectors.person_events(person),
            "grants": selectors.person_grants(person),
            "pledges": pledges,
            "trainings": selectors.person_trainings(person),
            "side_jobs": side_jobs,
            "foreign_declarations": foreign,
            "findings": _visible_findings(person, can_read_declarations),
            "can_edit": can_edit,
            "can_read_declarations": can_read_declarations,
            "can_manage_declarations": can_edit and can_read_declarations,
            "can_close_declarations": user.has_capability(Capability.COMPANY_MANAGE),
            "forms": {
                "pledge_request": form_for("pledge_request"),
                "training": form_for("training"),
                "side_job": form_for("side_job"),
                "foreign": form_for("foreign"),
            },
            "open_form": action,
        }
        return render(request, self.template_name, context, status=status)


# Findings that name a declaration carry its content (the side job's organisation).
DECLARATION_TYPES = frozenset({"people.sidejobdeclaration", "people.foreigninfluencedeclaration"})


def _visible_findings(person: Person, can_read_declarations: bool) -> list:
    findings = findings_for_object("people.person", person.pk)
    if can_read_declarations:
        return findings
    return [
        view
        for view in findings
        if not any(ref.get("type") in DECLARATION_TYPES for ref in view.objects)
    ]


_ID_FIELDS = {
    "pledge_sign": "pledge",
    "side_job_review": "declaration",
    "foreign_close": "declaration",
}
ANCHORS = {
    "pledge_request": "pledges",
    "pledge_sign": "pledges",
    "training": "trainings",
    "side_job": "side-jobs",
    "side_job_review": "side-jobs",
    "foreign": "foreign",
    "foreign_close": "foreign",
    "acknowledge": "pledges",
}


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


class PersonCreateView(ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "people/person_form.html"
    form_class = PersonForm
    success_message = gettext_lazy("The person has been added to the register.")

    def perform(self, form: PersonForm) -> Person:
        return services.person_save(**form.service_fields())

    def get_success_url_for(self, result: Person) -> str:
        return _person_url(result)


class PersonEditView(ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "people/person_form.html"
    form_class = PersonForm
    success_message = gettext_lazy("The person's details have been saved.")

    @cached_property
    def person(self) -> Person:
        return get_object_or_404(selectors.person_detail(self.kwargs["pk"]))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "person": self.person}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(person=self.person, **kwargs)

    def perform(self, form: PersonForm) -> Person:
        return services.person_save(person=self.person, **form.service_fields())

    def get_success_url_for(self, result: Person) -> str:
        return _person_url(result)


# --- import --------------------------------------------------------------------------------


class PeopleImportView(ProtectedView):
    """Upload a CSV or Excel list of people; all rows are written, or none."""

    capability = Capability.REGISTERS_EDIT
    template_name = "people/import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, PeopleImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PeopleImportForm(data=request.POST, files=request.FILES, request=request)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            parsed = parse_people_file(upload.read(), upload.name or "")
        except PeopleFileError as exc:
            form.add_error("file", exc.message)
            return self.render_page(request, form, status=400)
        if parsed.errors:
            return self.render_page(request, form, errors=parsed.errors, status=400)
        if form.cleaned_data["dry_run"]:
            return self.render_page(
                request, PeopleImportForm(), checked=parsed, file_name=upload.name
            )
        try:
            result = services.people_import(parsed=parsed)
        except services.PeopleImportError as exc:
            return self.render_page(request, form, errors=exc.errors, status=400)
        messages.success(request, _result_message(result))
        return redirect("people:list")

    def render_page(
        self,
        request: HttpRequest,
        form: PeopleImportForm,
        errors: list | None = None,
        status: int = 200,
        **extra: Any,
    ) -> HttpResponse:
        errors = errors or []
        context = {
            "form": form,
            "errors": errors[:ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            **extra,
        }
        return render(request, self.template_name, context, status=status)


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


class PeopleImportTemplateView(ProtectedView):
    """The empty import file: the Japanese headers, UTF-8 with a BOM so Excel opens it."""

    capability = Capability.REGISTERS_EDIT

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="people-template.csv"'
        return response


# --- self-service --------------------------------------------------------------------------

SELF_ACTIONS = {
    "acknowledge": AcknowledgeForm,
    "side_job": SideJobForm,
    "foreign": ForeignDeclarationForm,
}


class SelfServiceView(ProtectedView):
    """The signed-in user's own entry: access, pledges, trainings and declarations.

    Only the user's own records are read or written here.
    """

    capability = Capability.SELF_SERVICE
    template_name = "people/me.html"

    @cached_property
    def person(self) -> Person | None:
        return selectors.person_for_user(self.request.user)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action", "")
        if self.person is None or action not in SELF_ACTIONS:
            return redirect("people:me")
        form = SELF_ACTIONS[action](data=request.POST)
        if form.is_valid():
            try:
                message = self.perform(action, form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, message)
                return redirect(reverse("people:me") + f"#{ANCHORS[action]}")
        return self.render_page(request, action=action, bound=form, status=400)

    def perform(self, action: str, data: dict[str, Any]) -> str:
        person = self.person
        if action == "acknowledge":
            pledge = get_object_or_404(
                Pledge.objects.select_related("person"), pk=data["pledge"], person=person
            )
            services.pledge_acknowledge(pledge=pledge, user=self.request.user)
            return _("Thank you. Your acknowledgement has been recorded.")
        if action == "side_job":
            services.side_job_declare(person=person, **_side_job_fields(data))
            return _("Your side-job declaration has been submitted.")
        services.foreign_declare(person=person, **_foreign_fields(data))
        return _("Your declaration has been submitted.")

    def render_page(
        self, request: HttpRequest, action: str = "", bound: Any = None, status: int = 200
    ) -> HttpResponse:
        person = self.person
        context: dict[str, Any] = {"person": person}
        if person is not None:
            context.update(
                grants=selectors.person_grants(person, active_only=True),
                awaiting=selectors.pledges_awaiting(person),
                signed=selectors.pledges_signed(person),
                trainings=selectors.person_trainings(person),
                side_jobs=selectors.person_side_jobs(person),
                foreign_declarations=selectors.person_foreign_declarations(person),
                forms={
                    "side_job": bound if action == "side_job" else SideJobForm(),
                    "foreign": bound if action == "foreign" else ForeignDeclarationForm(),
                },
                acknowledge_error=bound if action == "acknowledge" else None,
                open_form=action,
            )
        return render(request, self.template_name, context, status=status)
