"""Pages of a person's life-cycle: transfer, departure notice, the departure checklist
(access, exit pledge, returns, retention) and the departure itself."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.audit.models import Action
from mamori.audit.services import audit_record_object
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import company_get
from mamori.core.views import (
    ObjectActionsView,
    ProtectedTemplateView,
    ProtectedView,
    ServiceFormView,
    inline_action,
    paginate,
)
from mamori.findings.selectors import findings_for_object
from mamori.lifecycle import selectors, services
from mamori.lifecycle.documents import CONTENT_TYPE, exit_pledge_document, exit_pledge_filename
from mamori.lifecycle.forms import (
    DepartForm,
    NoticeForm,
    PledgeSignForm,
    RetentionForm,
    ReturnsForm,
    TransferForm,
)
from mamori.people.models import Person, PersonStatus, Pledge, PledgeKind
from mamori.people.selectors import person_grants

RETENTION_ROW = "urn:mamori:row:people:key-engineer-retention"
RETURN_FIELDS = (
    "last_day",
    "exit_briefing_on",
    "devices_returned_on",
    "documents_returned_on",
    "samples_returned_on",
    "note",
)
RETENTION_FIELDS = ("retention_option", "retention_note")
GRANTS_PER_PAGE = 100


def person_url(person: Person) -> str:
    return reverse("people:person", kwargs={"pk": person.pk})


def departure_url(person: Person) -> str:
    return reverse("lifecycle:departure", kwargs={"pk": person.pk})


class _PersonMixin:
    kwargs: dict[str, Any]

    @cached_property
    def person(self) -> Person:
        return get_object_or_404(
            Person.objects.select_related("department", "user"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(person=self.person, **kwargs)  # type: ignore[misc]


class TransferView(_PersonMixin, ServiceFormView):
    """Move a person to another department; their access is then reviewed."""

    capability = Capability.REGISTERS_EDIT
    template_name = "lifecycle/transfer_form.html"
    form_class = TransferForm
    success_message = gettext_lazy(
        "The transfer has been recorded and a review of the person's access has been opened."
    )

    def get_form(self, form_class: Any = None) -> TransferForm:
        form = super().get_form(form_class)
        departments = form.fields["to_department"].queryset
        form.fields["to_department"].queryset = departments.exclude(pk=self.person.department_id)
        return form

    def perform(self, form: TransferForm) -> Any:
        data = form.cleaned_data
        return services.person_transfer(
            person=self.person,
            to_department=data["to_department"],
            date=data["date"],
            note=data["note"],
        )

    def get_success_url_for(self, result: Any) -> str:
        return person_url(self.person)


class NoticeView(_PersonMixin, ServiceFormView):
    """Record a departure notice: the departure checklist and an access review open."""

    capability = Capability.REGISTERS_EDIT
    template_name = "lifecycle/notice_form.html"
    form_class = NoticeForm
    success_message = gettext_lazy(
        "The departure notice has been recorded. Work through the checklist below."
    )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.person.status != PersonStatus.ACTIVE:
            messages.info(
                request, _("%(person)s has already given notice or left.") % {"person": self.person}
            )
            return redirect(departure_url(self.person))
        return super().get(request, *args, **kwargs)

    def perform(self, form: NoticeForm) -> Any:
        data = form.cleaned_data
        return services.person_give_notice(
            person=self.person,
            notice_on=data["notice_on"],
            last_day=data["last_day"],
            note=data["note"],
        )

    def get_success_url_for(self, result: Any) -> str:
        return departure_url(self.person)


class DepartureView(ObjectActionsView):
    """The departure checklist of one person.

    Each form posts here with an ``action``; an invalid form (or one the service
    refuses) is shown again on the page with what was typed and what is wrong.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "lifecycle/departure.html"
    context_object_name = "person"

    def find_object(self, key: Any) -> Person | None:
        return Person.objects.select_related("department", "user").filter(pk=key).first()

    def page_url(self) -> str:
        return departure_url(self.object)

    @cached_property
    def departure(self) -> Any:
        return selectors.departure_of(self.object)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") in ("returns", "retention") and self.departure is None:
            raise Http404
        return super().post(request, *args, **kwargs)

    @inline_action(
        ReturnsForm,
        anchor="returns",
        message=gettext_lazy("The departure checklist has been updated."),
    )
    def returns(self, person: Person, data: dict[str, Any]) -> None:
        services.departure_update(
            departure=self.departure, **{name: data[name] for name in RETURN_FIELDS}
        )

    @inline_action(
        RetentionForm,
        anchor="retention",
        message=gettext_lazy("The retention step has been recorded."),
    )
    def retention(self, person: Person, data: dict[str, Any]) -> None:
        services.departure_update(
            departure=self.departure, **{name: data[name] for name in RETENTION_FIELDS}
        )

    @inline_action(
        forms.Form,
        anchor="pledge_create",
        refusal_as_message=True,
        message=gettext_lazy(
            "The exit pledge has been drawn up. "
            "Download it, have it signed, then record the signature."
        ),
    )
    def pledge_create(self, person: Person, data: dict[str, Any]) -> None:
        services.exit_pledge_create(person=person)

    @inline_action(
        PledgeSignForm,
        anchor="pledge_sign",
        message=gettext_lazy("The signed exit pledge has been recorded."),
    )
    def pledge_sign(self, person: Person, data: dict[str, Any]) -> None:
        pledge = get_object_or_404(
            Pledge, pk=data["pledge"], person=person, kind=PledgeKind.LEAVING
        )
        services.exit_pledge_sign(pledge=pledge, signed_on=data["signed_on"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request, person, departure, bound = self.request, self.object, self.departure, self.bound
        grants = paginate(request, person_grants(person, active_only=True), GRANTS_PER_PAGE)
        active_count = grants.paginator.count
        pledges = list(selectors.exit_pledges(person))
        review = selectors.departure_review(person)
        forms_: dict[str, Any] = {}
        if departure is not None:
            forms_["returns"] = bound.get("returns") or ReturnsForm(
                initial={name: getattr(departure, name) for name in RETURN_FIELDS}
            )
            forms_["retention"] = bound.get("retention") or RetentionForm(
                initial={name: getattr(departure, name) for name in RETENTION_FIELDS}
            )
        # Only the newest exit pledge is offered for signing: drawing up a new one
        # supersedes the earlier drafts.
        sign_forms: dict[int, Any] = {}
        newest = pledges[0] if pledges and pledges[0].signed_on is None else None
        if newest is not None:
            sign_forms[newest.pk] = PledgeSignForm(
                initial={"pledge": newest.pk, "signed_on": timezone.localdate()}
            )
        posted = bound.get("pledge_sign")
        if posted is not None:
            if newest is not None and str(posted.data.get("pledge", "")) == str(newest.pk):
                sign_forms[newest.pk] = posted
            else:  # an older pledge: no form on the page to show the errors in
                for errors in posted.errors.values():
                    for error in errors:
                        messages.error(request, error)
        retention_row = get_catalog().row(RETENTION_ROW) if person.is_key_engineer else None
        outstanding = selectors.outstanding(
            person=person,
            departure=departure,
            active_grants=active_count,
            pledge_signed=any(pledge.signed_on for pledge in pledges),
        )
        return {
            **context,
            "departure": departure,
            "grants": grants,
            "active_count": active_count,
            "pledges": pledges,
            "sign_forms": sign_forms,
            "review": review,
            "outstanding": outstanding,
            "access_done": not outstanding.active_grants,
            "pledge_signed": not outstanding.pledge_unsigned,
            "returns_done": not (outstanding.briefing or outstanding.returns),
            "retention_done": not outstanding.retention,
            "forms": forms_,
            "retention_row": retention_row,
            "findings": findings_for_object("people.person", person.pk),
            "is_departed": person.status == PersonStatus.DEPARTED,
        }


class RevokeAllView(_PersonMixin, ProtectedView):
    """Ask before revoking every grant of a person; revoke them (each audited) on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "lifecycle/revoke_all_confirm.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        grants = paginate(request, person_grants(self.person, active_only=True), GRANTS_PER_PAGE)
        return render(
            request,
            self.template_name,
            {"person": self.person, "grants": grants},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        count = services.departure_revoke_all(person=self.person, revoked_by=request.user)
        if count:
            messages.success(
                request,
                _("%(count)d access grant(s) of %(person)s have been revoked.")
                % {"count": count, "person": self.person},
            )
        else:
            messages.info(
                request, _("%(person)s holds no access to revoke.") % {"person": self.person}
            )
        return redirect(departure_url(self.person) + "#access")


class DepartView(_PersonMixin, ServiceFormView):
    """Ask before recording the last day; then the person is gone and their account closed."""

    capability = Capability.REGISTERS_EDIT
    template_name = "lifecycle/depart_confirm.html"
    form_class = DepartForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.person.status == PersonStatus.DEPARTED:
            messages.info(request, _("%(person)s has already left.") % {"person": self.person})
            return redirect(departure_url(self.person))
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        departure = selectors.departure_of(self.person)
        last_day = departure.last_day if departure else None
        return {"departed_on": last_day or timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        departure = selectors.departure_of(self.person)
        active = person_grants(self.person, active_only=True).count()
        pledge_signed = selectors.exit_pledges(self.person).filter(signed_on__isnull=False).exists()
        return super().get_context_data(
            departure=departure,
            outstanding=selectors.outstanding(
                person=self.person,
                departure=departure,
                active_grants=active,
                pledge_signed=pledge_signed,
            ),
            **kwargs,
        )

    def perform(self, form: DepartForm) -> Any:
        data = form.cleaned_data
        self.had_account = bool(self.person.user_id and self.person.user.is_active)
        return services.person_depart(
            person=self.person, departed_on=data["departed_on"], note=data["note"]
        )

    def message_for(self, event: Any) -> str:
        message = _("The departure of %(person)s has been recorded.") % {"person": self.person}
        if self.had_account:
            message += " " + _("Their mamori account has been deactivated.")
        return message

    def get_success_url_for(self, result: Any) -> str:
        return departure_url(self.person)


class ExitPledgeDownloadView(ProtectedView):
    """The exit pledge as a Word document to print and sign; each download is audited."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pledge = get_object_or_404(
            Pledge.objects.select_related("person", "person__department"),
            pk=pk,
            kind=PledgeKind.LEAVING,
        )
        company = company_get()
        content = exit_pledge_document(pledge=pledge, company_name=company.name if company else "")
        audit_record_object(pledge, action=Action.EXPORT)
        response = HttpResponse(content, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, exit_pledge_filename(pledge)
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DepartureListView(ProtectedTemplateView):
    """People leaving or recently gone, with what each departure still lacks."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "lifecycle/departure_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        status = params.get("status", "")
        status = status if status in (PersonStatus.NOTIFIED, PersonStatus.DEPARTED) else ""
        query = params.get("q", "").strip()[:100]
        page = paginate(
            self.request,
            selectors.departure_list(today=timezone.localdate(), status=status, query=query),
        )
        rows = [
            (
                person,
                getattr(person, "departure", None),
                selectors.outstanding(
                    person=person,
                    departure=getattr(person, "departure", None),
                    active_grants=person.active_grants,
                    pledge_signed=person.pledge_signed,
                ),
            )
            for person in page.object_list
        ]
        return super().get_context_data(
            page=page,
            rows=rows,
            statuses=[
                (PersonStatus.NOTIFIED, PersonStatus.NOTIFIED.label),
                (PersonStatus.DEPARTED, PersonStatus.DEPARTED.label),
            ],
            selected_status=status,
            query=query,
            filtered=bool(query or status),
            recent_days=selectors.RECENT_DAYS,
            **kwargs,
        )
