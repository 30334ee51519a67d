"""Pages of the counterparty register: the list, a counterparty with its shareholders,
members, capital changes and reviews, due diligence, and joint-research themes.

Everything here is read with ``PROGRAMME_VIEW`` (employees do not see due-diligence
answers) and written with ``REGISTERS_EDIT``; approving a review needs the officer's
``COMPANY_MANAGE``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.assets.models import Importance
from mamori.core.errors import ApplicationError
from mamori.core.panels import panels_render
from mamori.core.views import ProtectedTemplateView, ProtectedView, ServiceFormView, paginate
from mamori.findings.selectors import findings_for_object
from mamori.partners import selectors, services
from mamori.partners.forms import (
    CapitalChangeForm,
    CounterpartyFilterForm,
    CounterpartyForm,
    DDAnswersForm,
    DDApproveForm,
    DDRateForm,
    DDStartForm,
    MemberEndForm,
    MemberForm,
    ShareholderForm,
    ThemeDecisionForm,
    ThemeFilterForm,
    ThemeForm,
)
from mamori.partners.models import (
    Counterparty,
    DueDiligence,
    PartnerMember,
    ResearchTheme,
    Risk,
    Shareholder,
    ThemeDecision,
)

COUNTERPARTY_TYPE = "partners.counterparty"


def _form_error(form: Any, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _counterparty_url(pk: int, anchor: str = "") -> str:
    return reverse("partners:counterparty", kwargs={"pk": pk}) + (f"#{anchor}" if anchor else "")


def _dd_url(pk: int, anchor: str = "") -> str:
    return reverse("partners:dd", kwargs={"pk": pk}) + (f"#{anchor}" if anchor else "")


# --- counterparties ---------------------------------------------------------------------


class CounterpartyListView(ProtectedTemplateView):
    """The register: search, type, country and due-diligence status, fifty a page."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "partners/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = CounterpartyFilterForm(self.request.GET or None)
        filters = form.filters()
        return super().get_context_data(
            form=form,
            page=paginate(self.request, selectors.counterparty_register(**filters)),
            filtered=any(filters.values()),
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


# action -> (form class, anchor on the page)
COUNTERPARTY_ACTIONS: dict[str, tuple[type, str]] = {
    "shareholder": (ShareholderForm, "shareholders"),
    "member": (MemberForm, "members"),
    "capital_change": (CapitalChangeForm, "capital"),
}


class CounterpartyView(ProtectedView):
    """A counterparty: profile, capital, members, due diligence, themes, contracts,
    disclosures and findings. The forms to add a shareholder, a member or a capital
    change post here with an ``action``; a refused one is shown again on the page."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "partners/counterparty.html"

    @cached_property
    def counterparty(self) -> Counterparty:
        counterparty = selectors.counterparty_detail(self.kwargs["pk"])
        if counterparty is None:
            raise Http404
        return counterparty

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in COUNTERPARTY_ACTIONS:
            return redirect(_counterparty_url(self.counterparty.pk))
        form_class, anchor = COUNTERPARTY_ACTIONS[action]
        form = form_class(request.POST)
        if form.is_valid():
            try:
                message = self.perform(action, form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, message)
                return redirect(_counterparty_url(self.counterparty.pk, anchor))
        return self.render_page(request, action=action, bound=form, status=400)

    def perform(self, action: str, data: dict[str, Any]) -> str:
        counterparty = self.counterparty
        if action == "shareholder":
            services.shareholder_add(counterparty=counterparty, **data)
            return _("The shareholder has been added.")
        if action == "member":
            services.partner_member_add(counterparty=counterparty, **data)
            return _("The member has been added.")
        services.capital_change_record(counterparty=counterparty, **data)
        return _("The capital change has been recorded. The due diligence is due again.")

    def render_page(
        self, request: HttpRequest, action: str = "", bound: Any = None, status: int = 200
    ) -> HttpResponse:
        counterparty = self.counterparty
        can_edit = request.user.has_capability(Capability.REGISTERS_EDIT)
        forms = {}
        if can_edit:
            forms = {name: spec[0]() for name, spec in COUNTERPARTY_ACTIONS.items()}
            if bound is not None:
                forms[action] = bound
        context = {
            "counterparty": counterparty,
            "status_label": selectors.DDStatus(counterparty.dd_status).label,
            "capital_change_unreviewed": (
                counterparty.last_capital_change is not None
                and not counterparty.dd_reviewed_since_change
            ),
            "shareholders": selectors.shareholders(counterparty),
            "foreign_share": counterparty.foreign_share or 0,
            "members": selectors.members(counterparty),
            "capital_changes": selectors.capital_changes(counterparty),
            "due_diligences": selectors.due_diligences(counterparty),
            "themes": selectors.themes_of(counterparty),
            "panels": panels_render(
                request, counterparty, {"counterparty": counterparty, "can_edit": can_edit}
            ),
            "findings": findings_for_object(COUNTERPARTY_TYPE, counterparty.pk),
            "forms": forms,
            "open_form": action,
            "can_edit": can_edit,
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=status)


class CounterpartyCreateView(ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "partners/counterparty_form.html"
    form_class = CounterpartyForm
    success_message = gettext_lazy("The counterparty has been added.")

    def perform(self, form: CounterpartyForm) -> Counterparty:
        return services.counterparty_save(**form.cleaned_data)

    def get_success_url_for(self, result: Counterparty) -> str:
        return _counterparty_url(result.pk)


class CounterpartyEditView(ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "partners/counterparty_form.html"
    form_class = CounterpartyForm
    success_message = gettext_lazy("The counterparty has been saved.")

    @cached_property
    def counterparty(self) -> Counterparty:
        return get_object_or_404(Counterparty, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        # The form works on a copy: the service, not the form, changes the counterparty.
        copy = Counterparty.objects.get(pk=self.counterparty.pk)
        return {**super().get_form_kwargs(), "instance": copy}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(counterparty=self.counterparty, **kwargs)

    def perform(self, form: CounterpartyForm) -> Counterparty:
        return services.counterparty_save(counterparty=self.counterparty, **form.cleaned_data)

    def get_success_url_for(self, result: Counterparty) -> str:
        return _counterparty_url(result.pk)


class ShareholderEditView(ProtectedView):
    capability = Capability.REGISTERS_EDIT
    template_name = "partners/shareholder_form.html"

    def get_shareholder(self, pk: int) -> Shareholder:
        return get_object_or_404(Shareholder.objects.select_related("counterparty"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        shareholder = self.get_shareholder(pk)
        form = ShareholderForm(
            initial={
                "name": shareholder.name,
                "country": shareholder.country,
                "share": shareholder.share,
                "is_government_related": shareholder.is_government_related,
            }
        )
        return render(request, self.template_name, {"shareholder": shareholder, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shareholder = self.get_shareholder(pk)
        form = ShareholderForm(request.POST)
        if form.is_valid():
            try:
                services.shareholder_update(shareholder=shareholder, **form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The shareholder has been saved."))
                return redirect(_counterparty_url(shareholder.counterparty_id, "shareholders"))
        context = {"shareholder": shareholder, "form": form}
        return render(request, self.template_name, context, status=400)


class ShareholderRemoveView(ProtectedView):
    """Ask before removing a shareholder; remove on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/shareholder_confirm_remove.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        shareholder = get_object_or_404(Shareholder.objects.select_related("counterparty"), pk=pk)
        return render(request, self.template_name, {"shareholder": shareholder})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shareholder = get_object_or_404(Shareholder, pk=pk)
        counterparty_id = shareholder.counterparty_id
        services.shareholder_remove(shareholder=shareholder)
        messages.success(request, _("The shareholder has been removed."))
        return redirect(_counterparty_url(counterparty_id, "shareholders"))


class MemberEndView(ProtectedView):
    """Record the day a member stopped handling our information."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/member_end.html"

    def get_member(self, pk: int) -> PartnerMember:
        return get_object_or_404(PartnerMember.objects.select_related("counterparty"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_member(pk)
        return render(request, self.template_name, {"member": member, "form": MemberEndForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_member(pk)
        form = MemberEndForm(request.POST)
        if form.is_valid():
            try:
                services.partner_member_end(member=member, until=form.cleaned_data["until"])
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(
                    request, _("%(name)s is recorded as no longer involved.") % {"name": member}
                )
                return redirect(_counterparty_url(member.counterparty_id, "members"))
        context = {"member": member, "form": form}
        return render(request, self.template_name, context, status=400)


# --- due diligence ----------------------------------------------------------------------


class DueDiligenceStartView(ProtectedView):
    """Start a review: the questionnaires meant for the counterparty's type are offered;
    ``?all=1`` offers every questionnaire."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/dd_start.html"

    @cached_property
    def counterparty(self) -> Counterparty:
        return get_object_or_404(Counterparty, pk=self.kwargs["pk"])

    def questionnaires(self) -> tuple[list, list, bool]:
        meant, others = selectors.questionnaire_choices(self.counterparty.kind)
        show_all = self.request.GET.get("all") == "1" or not meant
        return meant, others, show_all

    def make_form(self, data: Any = None) -> DDStartForm:
        meant, others, show_all = self.questionnaires()
        offered = meant + others if show_all else meant
        initial = {"performed_by": str(self.request.user)}
        if len(meant) == 1:
            initial["questionnaire"] = meant[0].id
        return DDStartForm(data, questionnaires=offered, initial=initial)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.make_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                review = services.dd_start(counterparty=self.counterparty, **form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The review has been started. Answer each question."))
                return redirect(_dd_url(review.pk))
        return self.render_page(request, form, status=400)

    def render_page(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        meant, others, show_all = self.questionnaires()
        offered = meant + others if show_all else meant
        context = {
            "counterparty": self.counterparty,
            "form": form,
            "questionnaires": {q.id: q for q in offered},
            "meant_ids": {q.id for q in meant},
            "show_all": show_all,
            "has_others": bool(others) and bool(meant),
        }
        return render(request, self.template_name, context, status=status)


DD_ACTIONS = {"answers": "questions", "rate": "rating", "approve": "approval"}


class DueDiligenceView(ProtectedView):
    """A review: each question with the handbook's help and its answer, the rating, and
    the officer's approval. After approval the page is read-only."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "partners/dd.html"

    @cached_property
    def review(self) -> DueDiligence:
        review = selectors.due_diligence_detail(self.kwargs["pk"])
        if review is None:
            raise Http404
        return review

    @cached_property
    def rows(self) -> list[selectors.QuestionRow]:
        return selectors.dd_questions(self.review)

    def make_form(self, action: str, data: Any = None) -> Any:
        review = self.review
        if action == "answers":
            initial = {}
            for row in self.rows:
                if row.answer is not None:
                    initial[f"{row.question.id}__answer"] = row.answer.answer
                    initial[f"{row.question.id}__concern"] = row.answer.concern
                    initial[f"{row.question.id}__evidence"] = row.answer.evidence
            questions = [row.question for row in self.rows]
            return DDAnswersForm(data, questions=questions, initial=initial)
        if action == "rate":
            return DDRateForm(data, initial={"risk": review.risk, "reasoning": review.reasoning})
        return DDApproveForm(data)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in DD_ACTIONS:
            return redirect(_dd_url(self.review.pk))
        if action == "approve" and not request.user.has_capability(Capability.COMPANY_MANAGE):
            raise PermissionDenied
        form = self.make_form(action, request.POST)
        if form.is_valid():
            try:
                message = self.perform(action, form)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, message)
                return redirect(_dd_url(self.review.pk, DD_ACTIONS[action]))
        return self.render_page(request, action=action, bound=form, status=400)

    def perform(self, action: str, form: Any) -> str:
        review = self.review
        if action == "answers":
            services.dd_answers_save(due_diligence=review, answers=form.answers())
            return _("The answers have been saved.")
        data = form.cleaned_data
        if action == "rate":
            services.dd_rate(due_diligence=review, risk=data["risk"], reasoning=data["reasoning"])
            return _("The rating has been saved.")
        services.dd_approve(
            due_diligence=review,
            user=self.request.user,
            approved_on=data["approved_on"],
            valid_until=data.get("valid_until"),
        )
        return _("The due diligence has been approved.")

    def render_page(
        self, request: HttpRequest, action: str = "", bound: Any = None, status: int = 200
    ) -> HttpResponse:
        review, user = self.review, request.user
        editable = not review.is_approved and user.has_capability(Capability.REGISTERS_EDIT)
        forms: dict[str, Any] = {}
        if editable:
            forms = {"answers": self.make_form("answers"), "rate": self.make_form("rate")}
            if user.has_capability(Capability.COMPANY_MANAGE):
                forms["approve"] = self.make_form("approve")
        if bound is not None:
            forms[action] = bound
        answers_form = forms.get("answers")
        rows = [
            (row, answers_form.bound_fields(row.question.id) if answers_form else None)
            for row in self.rows
        ]
        questionnaire = selectors.questionnaire_or_none(review.questionnaire)
        context = {
            "review": review,
            "counterparty": review.counterparty,
            "questionnaire": questionnaire,
            "rows": rows,
            "answered": sum(1 for row in self.rows if row.answer is not None),
            "concerns": sum(1 for row in self.rows if row.answer and row.answer.concern),
            "forms": forms,
            "open_form": action,
            "editable": editable,
            "can_approve": user.has_capability(Capability.COMPANY_MANAGE),
            "can_edit": user.has_capability(Capability.REGISTERS_EDIT),
            "expired": review.valid_until is not None and review.valid_until < timezone.localdate(),
        }
        return render(request, self.template_name, context, status=status)


# --- research themes --------------------------------------------------------------------


class ThemeListView(ProtectedTemplateView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "partners/theme_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ThemeFilterForm(self.request.GET or None)
        filters = form.filters()
        return super().get_context_data(
            form=form,
            page=paginate(self.request, selectors.theme_register(**filters)),
            filtered=any(filters.values()),
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


class ThemeView(ProtectedView):
    """A theme: what it touches, the partner's rating, the resulting risk and the decision
    (the decision form posts here)."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "partners/theme.html"

    @cached_property
    def theme(self) -> ResearchTheme:
        theme = selectors.theme_detail(self.kwargs["pk"])
        if theme is None:
            raise Http404
        return theme

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ThemeDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.theme_decide(theme=self.theme, **form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The decision has been recorded."))
                return redirect(reverse("partners:theme", kwargs={"pk": self.theme.pk}))
        return self.render_page(request, form, status=400)

    def render_page(self, request: HttpRequest, form: Any = None, status: int = 200) -> Any:
        theme = self.theme
        can_edit = request.user.has_capability(Capability.REGISTERS_EDIT)
        if can_edit and form is None:
            form = ThemeDecisionForm(
                initial={
                    "decision": theme.decision,
                    "conditions": theme.conditions,
                    "decided_on": theme.decided_on or timezone.localdate(),
                }
            )
        assessment = selectors.theme_assessment(theme)
        context = {
            "theme": theme,
            "technologies": selectors.theme_technologies(theme),
            "assessment": assessment,
            "rating_label": Risk(assessment.rating).label if assessment.rating else "",
            "risk_now_label": Risk(assessment.risk).label if assessment.risk else "",
            "risk_changed": theme.risk != assessment.risk,
            "risk_table": _risk_table(),
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "decided": theme.decision != ThemeDecision.UNDECIDED,
        }
        return render(request, self.template_name, context, status=status)


def _risk_table() -> list[tuple[str, list[str]]]:
    """Return the rule of ``theme_risk`` as rows (importance) of labels (partner rating)."""
    ratings = (Risk.LOW, Risk.MEDIUM, Risk.HIGH)
    return [
        (
            importance.label,
            [Risk(selectors.THEME_RISK_TABLE[(importance, rating)]) for rating in ratings],
        )
        for importance in (Importance.HIGH, Importance.MEDIUM, Importance.LOW)
    ]


class ThemeEditView(ProtectedView):
    """Create (no ``pk``; ``?counterparty=`` preselects the partner) or edit a theme."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/theme_form.html"

    def get_theme(self, pk: int | None) -> ResearchTheme | None:
        return get_object_or_404(ResearchTheme, pk=pk) if pk else None

    def partner_id(self, request: HttpRequest, theme: ResearchTheme | None) -> int | None:
        if theme is not None:
            return theme.counterparty_id
        value = request.GET.get("counterparty", "")
        return int(value) if value.isdigit() else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        theme = self.get_theme(pk)
        partner = self.partner_id(request, theme)
        initial: dict[str, Any] = {"counterparty": partner}
        if theme is not None:
            initial.update(
                title=theme.title,
                description=theme.description,
                technologies=list(theme.technologies.values_list("pk", flat=True)),
            )
        form = ThemeForm(initial=initial, counterparty_id=partner)
        return render(request, self.template_name, {"theme": theme, "form": form})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        theme = self.get_theme(pk)
        partner = self.partner_id(request, theme)
        posted = request.POST.get("counterparty", "")
        form = ThemeForm(request.POST, counterparty_id=int(posted) if posted.isdigit() else partner)
        if form.is_valid():
            try:
                saved = services.theme_save(theme=theme, **form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The research theme has been saved."))
                return redirect(reverse("partners:theme", kwargs={"pk": saved.pk}))
        return render(request, self.template_name, {"theme": theme, "form": form}, status=400)
