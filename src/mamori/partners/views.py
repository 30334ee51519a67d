"""Pages of the counterparty register: the list, a counterparty with its shareholders,
members, capital changes and reviews, due diligence, and joint-research themes.

Everything here is read with ``PROGRAMME_VIEW`` (employees do not see due-diligence
answers) and written with ``REGISTERS_EDIT``; approving a review needs the officer's
``COMPANY_MANAGE``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.assets.models import Importance
from mamori.core import views as generic
from mamori.core.panels import panels_render
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


# --- counterparties ---------------------------------------------------------------------


class CounterpartyListView(generic.ObjectListView):
    """The register: search, type, country and due-diligence status, fifty a page."""

    capability = Capability.PROGRAMME_VIEW
    edit_capability = Capability.REGISTERS_EDIT
    template_name = "partners/list.html"
    filter_form = CounterpartyFilterForm
    selector = staticmethod(selectors.counterparty_register)


class CounterpartyView(generic.ObjectActionsView):
    """A counterparty: profile, capital, members, due diligence, themes, contracts,
    disclosures and findings. The forms to add a shareholder, a member or a capital
    change post here with an ``action``; a refused one is shown again on the page."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "partners/counterparty.html"
    selector = staticmethod(selectors.counterparty_detail)
    context_object_name = "counterparty"

    @generic.inline_action(
        ShareholderForm,
        anchor="shareholders",
        message=gettext_lazy("The shareholder has been added."),
    )
    def shareholder(self, counterparty: Counterparty, data: dict[str, Any]) -> None:
        services.shareholder_add(counterparty=counterparty, **data)

    @generic.inline_action(
        MemberForm, anchor="members", message=gettext_lazy("The member has been added.")
    )
    def member(self, counterparty: Counterparty, data: dict[str, Any]) -> None:
        services.partner_member_add(counterparty=counterparty, **data)

    @generic.inline_action(
        CapitalChangeForm,
        anchor="capital",
        message=gettext_lazy(
            "The capital change has been recorded. The due diligence is due again."
        ),
    )
    def capital_change(self, counterparty: Counterparty, data: dict[str, Any]) -> None:
        services.capital_change_record(counterparty=counterparty, **data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counterparty = self.object
        return {
            **context,
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
                self.request,
                counterparty,
                {"counterparty": counterparty, "can_edit": context["can_edit"]},
            ),
            "findings": findings_for_object(COUNTERPARTY_TYPE, counterparty.pk, self.request.user),
            "today": timezone.localdate(),
        }


def _counterparty_save(view: Any, counterparty: Counterparty | None, data: dict) -> Counterparty:
    return services.counterparty_save(counterparty=counterparty, **data)


class CounterpartyCreateView(generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "partners/counterparty_form.html"
    form_class = CounterpartyForm
    service = staticmethod(_counterparty_save)
    success_message = gettext_lazy("The counterparty has been added.")


class CounterpartyEditView(CounterpartyCreateView):
    model = Counterparty
    context_object_name = "counterparty"
    success_message = gettext_lazy("The counterparty has been saved.")


def _shareholder_update(view: Any, shareholder: Shareholder, data: dict) -> Shareholder:
    return services.shareholder_update(shareholder=shareholder, **data)


class ShareholderEditView(generic.ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "partners/shareholder_form.html"
    form_class = ShareholderForm
    selector = staticmethod(selectors.shareholder_detail)
    context_object_name = "shareholder"
    service = staticmethod(_shareholder_update)
    success_message = gettext_lazy("The shareholder has been saved.")
    invalid_status = 400
    parent, anchor = "counterparty", "shareholders"

    def form_kwargs_for(self, shareholder: Shareholder) -> dict[str, Any]:
        fields = ("name", "country", "share", "is_government_related")
        return {"initial": {name: getattr(shareholder, name) for name in fields}}


def _shareholder_remove(view: Any, shareholder: Shareholder) -> None:
    services.shareholder_remove(shareholder=shareholder)


class ShareholderRemoveView(generic.ObjectDeleteView):
    """Ask before removing a shareholder; remove on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/shareholder_confirm_remove.html"
    selector = staticmethod(selectors.shareholder_detail)
    context_object_name = "shareholder"
    service = staticmethod(
        lambda view, shareholder: services.shareholder_remove(shareholder=shareholder)
    )
    success_message = gettext_lazy("The shareholder has been removed.")
    parent, anchor = "counterparty", "shareholders"


def _member_end(view: Any, member: PartnerMember, data: dict) -> PartnerMember:
    return services.partner_member_end(member=member, until=data["until"])


class MemberEndView(generic.ObjectEditView):
    """Record the day a member stopped handling our information."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/member_end.html"
    form_class = MemberEndForm
    selector = staticmethod(selectors.member_detail)
    context_object_name = "member"
    service = staticmethod(_member_end)
    invalid_status = 400
    parent, anchor = "counterparty", "members"

    def message_for(self, result: Any) -> str:
        return _("%(name)s is recorded as no longer involved.") % {"name": self.object}


# --- due diligence ----------------------------------------------------------------------


def _dd_start(view: Any, counterparty: Counterparty, data: dict) -> DueDiligence:
    return services.dd_start(counterparty=counterparty, **data)


class DueDiligenceStartView(generic.ObjectEditView):
    """Start a review: the questionnaires meant for the counterparty's type are offered;
    ``?all=1`` offers every questionnaire."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/dd_start.html"
    form_class = DDStartForm
    model = Counterparty
    context_object_name = "counterparty"
    service = staticmethod(_dd_start)
    success_message = gettext_lazy("The review has been started. Answer each question.")
    invalid_status = 400

    @cached_property
    def questionnaires(self) -> tuple[list, list, bool]:
        meant, others = selectors.questionnaire_choices(self.object.kind)
        show_all = self.request.GET.get("all") == "1" or not meant
        return meant, others, show_all

    def form_kwargs_for(self, counterparty: Counterparty) -> dict[str, Any]:
        meant, others, show_all = self.questionnaires
        initial = {"performed_by": str(self.request.user)}
        if len(meant) == 1:
            initial["questionnaire"] = meant[0].id
        return {"questionnaires": meant + others if show_all else meant, "initial": initial}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meant, others, show_all = self.questionnaires
        offered = meant + others if show_all else meant
        return super().get_context_data(
            questionnaires={q.id: q for q in offered},
            meant_ids={q.id for q in meant},
            show_all=show_all,
            has_others=bool(others) and bool(meant),
            **kwargs,
        )


def _dd_answers_form(view: Any) -> dict[str, Any]:
    initial = {}
    for row in view.rows:
        if row.answer is not None:
            initial[f"{row.question.id}__answer"] = row.answer.answer
            initial[f"{row.question.id}__concern"] = row.answer.concern
            initial[f"{row.question.id}__evidence"] = row.answer.evidence
    return {"questions": [row.question for row in view.rows], "initial": initial}


class DueDiligenceView(generic.ObjectActionsView):
    """A review: each question with the handbook's help and its answer, the rating, and
    the officer's approval. After approval the page is read-only."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "partners/dd.html"
    selector = staticmethod(selectors.due_diligence_detail)
    context_object_name = "review"

    @generic.inline_action(
        DDAnswersForm,
        anchor="questions",
        message=gettext_lazy("The answers have been saved."),
        form_kwargs=_dd_answers_form,
    )
    def answers(self, review: DueDiligence, data: dict) -> None:
        services.dd_answers_save(due_diligence=review, answers=self.form.answers())

    @generic.inline_action(
        DDRateForm,
        anchor="rating",
        message=gettext_lazy("The rating has been saved."),
        form_kwargs=lambda view: {
            "initial": {"risk": view.object.risk, "reasoning": view.object.reasoning}
        },
    )
    def rate(self, review: DueDiligence, data: dict) -> None:
        services.dd_rate(due_diligence=review, risk=data["risk"], reasoning=data["reasoning"])

    @generic.inline_action(
        DDApproveForm,
        anchor="approval",
        capability=Capability.COMPANY_MANAGE,
        message=gettext_lazy("The due diligence has been approved."),
    )
    def approve(self, review: DueDiligence, data: dict) -> None:
        services.dd_approve(
            due_diligence=review,
            user=self.request.user,
            approved_on=data["approved_on"],
            valid_until=data.get("valid_until"),
        )

    @cached_property
    def rows(self) -> list[selectors.QuestionRow]:
        return selectors.dd_questions(self.object)

    def allowed_actions(self) -> dict[str, generic.InlineAction]:
        # After approval the page is read-only.
        return {} if self.object.is_approved else super().allowed_actions()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        review, user = self.object, self.request.user
        answers_form = context["forms"].get("answers")
        return {
            **context,
            "counterparty": review.counterparty,
            "questionnaire": selectors.questionnaire_or_none(review.questionnaire),
            "rows": [
                (row, answers_form.bound_fields(row.question.id) if answers_form else None)
                for row in self.rows
            ],
            "answered": sum(1 for row in self.rows if row.answer is not None),
            "concerns": sum(1 for row in self.rows if row.answer and row.answer.concern),
            "editable": not review.is_approved and user.has_capability(Capability.REGISTERS_EDIT),
            "can_approve": user.has_capability(Capability.COMPANY_MANAGE),
            "expired": review.valid_until is not None and review.valid_until < timezone.localdate(),
        }


# --- research themes --------------------------------------------------------------------


class ThemeListView(generic.ObjectListView):
    capability = Capability.PROGRAMME_VIEW
    edit_capability = Capability.REGISTERS_EDIT
    template_name = "partners/theme_list.html"
    filter_form = ThemeFilterForm
    selector = staticmethod(selectors.theme_register)


class ThemeView(generic.ObjectActionsView):
    """A theme: what it touches, the partner's rating, the resulting risk and the decision
    (the decision form posts here)."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "partners/theme.html"
    selector = staticmethod(selectors.theme_detail)
    context_object_name = "theme"
    default_action = "decide"

    @generic.inline_action(
        ThemeDecisionForm,
        message=gettext_lazy("The decision has been recorded."),
        form_kwargs=lambda view: {
            "initial": {
                "decision": view.object.decision,
                "conditions": view.object.conditions,
                "decided_on": view.object.decided_on or timezone.localdate(),
            }
        },
    )
    def decide(self, theme: ResearchTheme, data: dict) -> None:
        services.theme_decide(theme=theme, **data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        theme = self.object
        assessment = selectors.theme_assessment(theme)
        return {
            **context,
            "technologies": selectors.theme_technologies(theme),
            "assessment": assessment,
            "rating_label": Risk(assessment.rating).label if assessment.rating else "",
            "risk_now_label": Risk(assessment.risk).label if assessment.risk else "",
            "risk_changed": theme.risk != assessment.risk,
            "risk_table": _risk_table(),
            "form": context["forms"].get("decide"),
            "decided": theme.decision != ThemeDecision.UNDECIDED,
        }


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


def _theme_save(view: Any, theme: ResearchTheme | None, data: dict) -> ResearchTheme:
    return services.theme_save(theme=theme, **data)


class ThemeEditView(generic.ObjectEditView):
    """Create (no ``pk``; ``?counterparty=`` preselects the partner) or edit a theme."""

    capability = Capability.REGISTERS_EDIT
    template_name = "partners/theme_form.html"
    form_class = ThemeForm
    model = ResearchTheme
    context_object_name = "theme"
    service = staticmethod(_theme_save)
    success_message = gettext_lazy("The research theme has been saved.")
    invalid_status = 400

    def partner_id(self) -> int | None:
        if self.editing:
            return self.object.counterparty_id
        value = self.request.GET.get("counterparty", "")
        return int(value) if value.isdigit() else None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        partner = self.partner_id()
        posted = self.request.POST.get("counterparty", "")
        kwargs["counterparty_id"] = int(posted) if posted.isdigit() else partner
        kwargs.setdefault("initial", {})["counterparty"] = partner
        return kwargs

    def form_kwargs_for(self, theme: ResearchTheme) -> dict[str, Any]:
        return {
            "initial": {
                "title": theme.title,
                "description": theme.description,
                "technologies": list(theme.technologies.values_list("pk", flat=True)),
                "reputational_risk": theme.reputational_risk,
                "reputational_note": theme.reputational_note,
                "foreign_law_risk": theme.foreign_law_risk,
                "foreign_law_note": theme.foreign_law_note,
            }
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(theme=self.object if self.editing else None, **kwargs)
