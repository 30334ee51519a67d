"""Pages of the export-control area. Views stay thin: forms check input, services write,
selectors read."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.core.views import ButtonView, ProtectedTemplateView, ServiceFormView, paginate
from mamori.disclosures.models import Disclosure
from mamori.exportcontrol import forms, selectors
from mamori.exportcontrol.knowledge import investment_rules
from mamori.exportcontrol.models import FundingRound, RoundParticipation, ScreeningHit
from mamori.exportcontrol.services import authorizations, investment, screening
from mamori.partners.models import Counterparty, CounterpartyKind


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class IndexView(ProtectedTemplateView):
    """Export control at a glance: controlled technology, refusals, screening, investors."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "exportcontrol/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            technologies=selectors.controlled_technologies(),
            controlled_asset_count=selectors.controlled_assets().count(),
            checks=selectors.export_checks(10),
            current_list=screening.current_list(),
            hit_counts=selectors.hit_counts(),
            unchecked=selectors.foreign_disclosures(unchecked_only=True).count(),
            assessments=selectors.open_assessments(),
            declaration=selectors.sector_declaration_current(),
            **kwargs,
        )


class AuthorizationListView(ProtectedTemplateView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "exportcontrol/authorization_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        rows = selectors.authorization_list(
            counterparty=_int(params.get("counterparty")),
            person=_int(params.get("person")),
            technology=_int(params.get("technology")),
        )
        return super().get_context_data(
            page=paginate(self.request, rows),
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


class AuthorizationCreateView(ServiceFormView):
    """Record a licence or a judgement that none is needed; ``?counterparty=``,
    ``?person=``, ``?technology=`` and ``?disclosure=`` fill the form in."""

    capability = Capability.REGISTERS_EDIT
    template_name = "exportcontrol/authorization_form.html"
    form_class = forms.AuthorizationForm
    success_message = None

    def disclosure(self) -> Disclosure | None:
        pk = _int(self.request.GET.get("disclosure"))
        return (
            Disclosure.objects.select_related("counterparty").filter(pk=pk).first() if pk else None
        )

    def get_initial(self) -> dict[str, Any]:
        params = self.request.GET
        initial = {key: _int(params.get(key)) for key in ("counterparty", "person", "technology")}
        disclosure = self.disclosure()
        if disclosure is not None:
            initial["counterparty"] = disclosure.counterparty_id
        return {k: v for k, v in initial.items() if v}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(disclosure=self.disclosure(), **kwargs)

    def perform(self, form: forms.AuthorizationForm) -> Any:
        data = form.cleaned_data
        return authorizations.authorization_record(
            technology=data["technology"],
            kind=data["kind"],
            decided_by=data["decided_by"],
            decided_on=data["decided_on"],
            counterparty=data.get("counterparty"),
            person=data.get("person"),
            disclosure=self.disclosure(),
            reference=data.get("reference") or "",
            basis=data.get("basis") or "",
            valid_until=data.get("valid_until"),
            user=self.request.user,
        )

    success_message = gettext_lazy("The licence or judgement has been recorded.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:authorizations")


class ForeignDisclosureListView(ProtectedTemplateView):
    """Disclosures abroad with their catch-all checks."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "exportcontrol/disclosure_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        unchecked = self.request.GET.get("unchecked") == "1"
        return super().get_context_data(
            page=paginate(self.request, selectors.foreign_disclosures(unchecked_only=unchecked)),
            unchecked=unchecked,
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


class CatchAllCreateView(ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "exportcontrol/catch_all_form.html"
    form_class = forms.CatchAllForm

    def get_disclosure(self) -> Disclosure:
        return get_object_or_404(
            Disclosure.objects.select_related("counterparty"), pk=self.kwargs["pk"]
        )

    def get_initial(self) -> dict[str, Any]:
        disclosure = self.get_disclosure()
        listed = ScreeningHit.objects.filter(
            counterparty=disclosure.counterparty, status="confirmed"
        ).exists()
        return {"end_user": disclosure.counterparty.name, "end_user_listed": listed}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        disclosure = self.get_disclosure()
        return super().get_context_data(
            disclosure=disclosure, checks=selectors.catch_all_checks_of(disclosure), **kwargs
        )

    def perform(self, form: forms.CatchAllForm) -> Any:
        return authorizations.catch_all_record(
            disclosure=self.get_disclosure(), **form.cleaned_data
        )

    success_message = gettext_lazy("The catch-all check has been recorded.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:disclosures")


class ScreeningView(ProtectedTemplateView):
    """The list in force, the hits to decide and those decided."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "exportcontrol/screening.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = forms.HitFilterForm(self.request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        hits = selectors.hit_list(
            status=data.get("status", ""), query=(data.get("q") or "").strip()
        )
        return super().get_context_data(
            form=form,
            page=paginate(self.request, hits),
            current_list=screening.current_list(),
            lists=selectors.end_user_lists()[:10],
            counts=selectors.hit_counts(),
            can_manage=self.request.user.has_capability(Capability.SCREENING_MANAGE),
            **kwargs,
        )


class ScreeningRunView(ButtonView):
    """Screen every counterparty again (POST)."""

    capability = Capability.SCREENING_MANAGE
    success_url = reverse_lazy("exportcontrol:screening")

    def perform(self) -> str:
        result = screening.screening_run()
        return _(
            "%(screened)d counterparties screened: %(new)d new hit(s), %(open)d to decide."
        ) % {
            "screened": result.screened,
            "new": result.new_hits,
            "open": result.open_hits,
        }


class ListImportView(ServiceFormView):
    """Import a list of end users; a file with wrong rows is refused whole, the rows
    listed."""

    capability = Capability.SCREENING_MANAGE
    template_name = "exportcontrol/list_import.html"
    form_class = forms.ListImportForm
    invalid_status = 400
    success_url = reverse_lazy("exportcontrol:screening")

    def perform(self, form: forms.ListImportForm) -> Any:
        data = form.cleaned_data
        upload = data["file"]
        return screening.end_user_list_import(
            content=upload.read(),
            filename=upload.name,
            label=data["label"],
            published_on=data.get("published_on"),
            user=self.request.user,
        )

    def message_for(self, result: Any) -> str:
        end_user_list, run = result
        return _(
            "%(entries)d entries imported; %(screened)d counterparties screened: "
            "%(new)d new hit(s), %(open)d to decide."
        ) % {
            "entries": end_user_list.entry_count,
            "screened": run.screened,
            "new": run.new_hits,
            "open": run.open_hits,
        }

    def get_success_url_for(self, result: Any) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        parsed = getattr(self.refusal, "parsed", None)
        return super().get_context_data(errors=parsed.errors[:200] if parsed else [], **kwargs)


class ListEntriesView(ProtectedTemplateView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "exportcontrol/list_entries.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        end_user_list = get_object_or_404(selectors.end_user_lists(), pk=self.kwargs["pk"])
        query = self.request.GET.get("q", "").strip()
        return super().get_context_data(
            end_user_list=end_user_list,
            query=query,
            page=paginate(self.request, selectors.entry_list(end_user_list, query=query)),
            **kwargs,
        )


class HitView(ServiceFormView):
    """One hit with its reason; the officer clears or confirms it."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.SCREENING_MANAGE
    template_name = "exportcontrol/hit.html"
    form_class = forms.HitDecisionForm

    def get_hit(self) -> ScreeningHit:
        return get_object_or_404(selectors.hit_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            hit=self.get_hit(),
            can_manage=self.request.user.has_capability(Capability.SCREENING_MANAGE),
            **kwargs,
        )

    def perform(self, form: forms.HitDecisionForm) -> Any:
        return screening.hit_decide(hit=self.get_hit(), user=self.request.user, **form.cleaned_data)

    success_message = gettext_lazy("The decision has been recorded.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:hit", kwargs={"pk": result.pk})


class InvestmentView(ProtectedTemplateView):
    """Foreign investors, the designated-sector declaration and the funding rounds."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "exportcontrol/investment.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            declaration=selectors.sector_declaration_current(),
            rules=investment_rules(),
            investors=selectors.investors(),
            rounds=selectors.funding_rounds(),
            can_manage=self.request.user.has_capability(Capability.COMPANY_MANAGE),
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


class SectorDeclareView(ServiceFormView):
    capability = Capability.COMPANY_MANAGE
    template_name = "exportcontrol/sector_form.html"
    form_class = forms.SectorForm

    def get_initial(self) -> dict[str, Any]:
        current = selectors.sector_declaration_current()
        return {"sectors": current.sectors, "is_listed": current.is_listed} if current else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(rules=investment_rules(), **kwargs)

    def perform(self, form: forms.SectorForm) -> Any:
        return investment.sector_declare(user=self.request.user, **form.cleaned_data)

    success_message = gettext_lazy("The declaration has been recorded.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:investment")


class InvestorProfileView(ServiceFormView):
    capability = Capability.REGISTERS_EDIT
    template_name = "exportcontrol/investor_form.html"
    form_class = forms.InvestorProfileForm

    def get_investor(self) -> Counterparty:
        return get_object_or_404(
            Counterparty.objects.filter(kind=CounterpartyKind.INVESTOR), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = getattr(self.get_investor(), "investor_profile", None)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            investor=self.get_investor(), rules=investment_rules(), **kwargs
        )

    def perform(self, form: forms.InvestorProfileForm) -> Any:
        return investment.investor_profile_save(
            counterparty=self.get_investor(), **form.cleaned_data
        )

    success_message = gettext_lazy("The investor's status has been recorded.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:investment")


class RoundEditView(ServiceFormView):
    capability = Capability.COMPANY_MANAGE
    template_name = "exportcontrol/round_form.html"
    form_class = forms.RoundForm

    def get_round(self) -> FundingRound | None:
        pk = self.kwargs.get("pk")
        return get_object_or_404(FundingRound, pk=pk) if pk else None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_round()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(funding_round=self.get_round(), **kwargs)

    def perform(self, form: forms.RoundForm) -> Any:
        return investment.round_save(funding_round=self.get_round(), **form.cleaned_data)

    success_message = gettext_lazy("The funding round has been saved.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:round", kwargs={"pk": result.pk})


class RoundView(ServiceFormView):
    """A round with each investor's stake, board seat, access to technology and what
    inward-investment screening asks; the officer adds investors here."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.COMPANY_MANAGE
    template_name = "exportcontrol/round.html"
    form_class = forms.ParticipationForm

    def get_round(self) -> FundingRound:
        return get_object_or_404(FundingRound, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        funding_round = self.get_round()
        return super().get_context_data(
            funding_round=funding_round,
            assessments=selectors.round_assessments(funding_round),
            rules=investment_rules(),
            can_manage=self.request.user.has_capability(Capability.COMPANY_MANAGE),
            notification_form=forms.NotificationForm(),
            **kwargs,
        )

    def perform(self, form: forms.ParticipationForm) -> Any:
        return investment.participation_save(funding_round=self.get_round(), **form.cleaned_data)

    success_message = gettext_lazy("The investor has been added to the round.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:round", kwargs={"pk": self.kwargs["pk"]})


class NotificationView(ServiceFormView):
    capability = Capability.COMPANY_MANAGE
    template_name = "exportcontrol/notification_form.html"
    form_class = forms.NotificationForm

    def get_participation(self) -> RoundParticipation:
        return get_object_or_404(
            RoundParticipation.objects.select_related("funding_round", "investor"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(participation=self.get_participation(), **kwargs)

    def perform(self, form: forms.NotificationForm) -> Any:
        return investment.participation_record_notification(
            participation=self.get_participation(), **form.cleaned_data
        )

    success_message = gettext_lazy("The prior notification has been recorded.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:round", kwargs={"pk": result.funding_round_id})


class LeakageReviewView(NotificationView):
    """The officer's capital-policy review of a competitor's or CVC's seat or access."""

    template_name = "exportcontrol/leakage_review_form.html"
    form_class = forms.LeakageReviewForm

    def get_initial(self) -> dict[str, Any]:
        participation = self.get_participation()
        initial = super().get_initial()
        if participation.leakage_review:
            initial["review"] = participation.leakage_review
        return initial

    def perform(self, form: forms.LeakageReviewForm) -> Any:
        return investment.participation_review_leakage(
            participation=self.get_participation(), user=self.request.user, **form.cleaned_data
        )

    success_message = gettext_lazy("The capital-policy review has been recorded.")

    def get_success_url_for(self, result: Any) -> str:
        return reverse("exportcontrol:round", kwargs={"pk": result.funding_round_id})


class FrameworksView(ProtectedTemplateView):
    """The handbook's rows mapped to TICS, IPA's self-diagnosis and ISO/IEC 27001."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "exportcontrol/frameworks.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            coverage=selectors.framework_coverage(), row_titles=selectors.row_titles(), **kwargs
        )
