"""Pages of the information-management rules: the register, a document with its versions
and who has (not) acknowledged the version in force, a version to read, and the
acknowledgement from My Page."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.core import views as generic
from mamori.core.errors import ApplicationError
from mamori.core.forms import FilterForm
from mamori.people.models import Person
from mamori.people.selectors import person_for_user
from mamori.rulebook import selectors, services
from mamori.rulebook.forms import (
    AcknowledgeForm,
    DocumentForm,
    PaperAcknowledgementForm,
    VersionForm,
)
from mamori.rulebook.models import RuleDocument, RuleVersion


class DocumentFilterForm(FilterForm):
    q = django_forms.CharField(label=gettext_lazy("Search"), required=False)


class DocumentListView(generic.ObjectListView):
    capability = Capability.PROGRAMME_VIEW
    edit_capability = Capability.COMPANY_MANAGE
    template_name = "rulebook/document_list.html"
    filter_form = DocumentFilterForm
    selector = staticmethod(selectors.document_register)


class DocumentView(generic.ObjectActionsView):
    """A set of rules: its versions, and who in service has acknowledged the version in
    force and who has not (the officer adds versions here)."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.COMPANY_MANAGE
    template_name = "rulebook/document.html"
    selector = staticmethod(selectors.document_detail)
    context_object_name = "document"
    default_action = "publish"

    @generic.inline_action(
        VersionForm, anchor="versions", message=gettext_lazy("The version has been published.")
    )
    def publish(self, document: RuleDocument, data: dict[str, Any]) -> None:
        services.rule_version_publish(document=document, user=self.request.user, **data)

    @generic.inline_action(
        PaperAcknowledgementForm,
        anchor="pending",
        message=gettext_lazy("The acknowledgement has been recorded."),
        form_kwargs=lambda view: {"pending": view.pending_queryset()},
    )
    def paper(self, document: RuleDocument, data: dict[str, Any]) -> None:
        version = selectors.version_in_force(document)
        if version is None:
            raise ApplicationError(_("No version is in force yet."))
        services.rule_acknowledge(
            version=version,
            person=data["person"],
            user=self.request.user,
            acknowledged_on=data["acknowledged_on"],
        )

    def pending_queryset(self) -> Any:
        in_force = selectors.version_in_force(self.object)
        return selectors.pending_people(in_force) if in_force else Person.objects.none()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        document = self.object
        in_force = selectors.version_in_force(document)
        return {
            **context,
            "versions": selectors.document_versions(document),
            "in_force": in_force,
            "pending": selectors.pending_people(in_force) if in_force else [],
            "acknowledgements": selectors.acknowledgements_of(in_force) if in_force else [],
            "form": context["forms"].get("publish"),
            "paper_form": context["forms"].get("paper") if in_force else None,
        }


def _document_save(view: Any, document: RuleDocument | None, data: dict) -> RuleDocument:
    return services.rule_document_save(user=view.request.user, document=document, **data)


class DocumentEditView(generic.ObjectEditView):
    capability = Capability.COMPANY_MANAGE
    template_name = "rulebook/document_form.html"
    form_class = DocumentForm
    model = RuleDocument
    context_object_name = "document"
    service = staticmethod(_document_save)
    success_message = gettext_lazy("The rules have been saved.")
    invalid_status = 400

    def form_kwargs_for(self, document: RuleDocument) -> dict[str, Any]:
        return {"initial": {"title": document.title, "covers": document.covers}}


class VersionView(generic.ObjectView):
    """A version to read: everyone who acknowledges it may read it."""

    capability = Capability.SELF_SERVICE
    template_name = "rulebook/version.html"
    selector = staticmethod(selectors.version_detail)
    context_object_name = "version"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = person_for_user(self.request.user)
        return {
            **context,
            "can_view_register": self.can(Capability.PROGRAMME_VIEW),
            "acknowledged": bool(
                person and person.rule_acknowledgements.filter(version=self.object).exists()
            ),
            "can_acknowledge": person is not None,
        }


class VersionDownloadView(generic.ProtectedView):
    """The version's file, as a download (never inline: it could be active content)."""

    capability = Capability.SELF_SERVICE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(RuleVersion.objects.exclude(file=""), pk=pk)
        return generic.stored_file_response(version.file, version.original_name)


class AcknowledgeView(generic.ButtonView):
    """The signed-in person acknowledges a version (the button on My Page)."""

    capability = Capability.SELF_SERVICE

    @property
    def success_url(self) -> str:  # type: ignore[override]
        return reverse("people:me") + "#rules"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AcknowledgeForm(request.POST)
        self.person = person_for_user(request.user)
        if not form.is_valid() or self.person is None:
            return redirect(self.success_url)
        self.version = get_object_or_404(RuleVersion, pk=form.cleaned_data["version"])
        return super().post(request, *args, **kwargs)

    def perform(self) -> str:
        services.rule_acknowledge(version=self.version, person=self.person, user=self.request.user)
        return _("Thank you. You have acknowledged %(rules)s.") % {"rules": str(self.version)}
