"""Views of the disclosures area: ledger. Its URLs are listed at the end (see ../urls.py).

Recording a disclosure shows its warnings before anything is written; the user confirms
them, and a block on 極秘 information is lifted only by the officer's override.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract
from mamori.contracts.selectors import CHOICE_LIMIT, asset_offer, counterparty_options
from mamori.core import views as generic
from mamori.core.forms import options_html
from mamori.disclosures import selectors
from mamori.disclosures.forms import (
    CounterpartyPickForm,
    DisclosureFilterForm,
    DisclosureForm,
    WarningsForm,
)
from mamori.disclosures.services import approval, ledger
from mamori.findings.selectors import findings_for_object
from mamori.partners.models import Counterparty, CounterpartyKind
from mamori.people.selectors import person_for_user

DISCLOSURE_TYPE = "disclosures.disclosure"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class DisclosureListView(generic.ProtectedTemplateView):
    """The disclosure ledger: what went to whom, when, under which contract, with the
    warnings that held when it was recorded."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "disclosures/ledger_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        form = DisclosureFilterForm(params)
        data = form.cleaned_data if form.is_valid() else {}
        counterparty, contract = _int(params.get("counterparty")), _int(params.get("contract"))
        asset = _int(params.get("asset"))
        disclosures = selectors.disclosure_list(
            counterparty=counterparty,
            contract=contract,
            asset=asset,
            asset_query=(data.get("asset_q") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            warnings_only=bool(data.get("warnings")),
        )
        return super().get_context_data(
            form=form,
            page=generic.paginate(self.request, disclosures, 50),
            filtered=bool(counterparty or contract or asset or any(data.values())),
            counterparty_options=options_html(counterparty_options(), [str(counterparty or "")]),
            contract=Contract.objects.filter(pk=contract).first() if contract else None,
            asset=InformationAsset.objects.filter(pk=asset).first() if asset else None,
            can_edit=self.request.user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )


class DisclosureView(generic.ObjectView):
    """One disclosure: what, to whom, under what, the warnings when recorded, any
    override, and the findings that concern it now."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "disclosures/disclosure.html"
    selector = staticmethod(selectors.disclosure_detail)
    context_object_name = "disclosure"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            findings=findings_for_object(DISCLOSURE_TYPE, self.object.pk), **kwargs
        )


class DisclosureCreateView(generic.WarningsConfirmMixin, generic.ProtectedView):
    """Record a disclosure to ``?counterparty=`` (chosen first when missing), optionally
    under ``?contract=``; ``?asset_q=`` narrows the assets offered.

    A submission with warnings is shown again with them and asks for confirmation (or,
    when 極秘 information is involved, for the officer's override), keeping what was typed.
    """

    capability = Capability.REGISTERS_EDIT
    override_capability = Capability.COMPANY_MANAGE
    warnings_form_class = WarningsForm
    template_name = "disclosures/disclosure_form.html"
    pick_template_name = "disclosures/disclosure_pick.html"

    def get_target(self, request: HttpRequest) -> tuple[Counterparty | None, Contract | None]:
        contract_id = _int(request.GET.get("contract"))
        contract = Contract.objects.filter(pk=contract_id).first() if contract_id else None
        counterparty_id = _int(request.GET.get("counterparty"))
        if counterparty_id is None and contract is not None:
            counterparty_id = contract.counterparty_id
        counterparty = (
            Counterparty.objects.filter(pk=counterparty_id).first() if counterparty_id else None
        )
        return counterparty, contract

    def make_form(
        self,
        request: HttpRequest,
        counterparty: Counterparty,
        contract: Contract | None,
        data: Any = None,
    ) -> DisclosureForm:
        contracts = selectors.contracts_for_disclosure(counterparty)
        chosen = [int(v) for v in data.getlist("assets") if v.isdigit()] if data else []
        scopes = InformationAsset.objects.filter(
            Q(contracts__counterparty=counterparty) | Q(contracts__other_parties=counterparty)
        ).distinct()
        offered = asset_offer(
            query=request.GET.get("asset_q", "").strip(), chosen=chosen, first=scopes
        )
        initial: dict[str, Any] = {}
        if contract is not None:
            initial["contract"] = contract.pk
        person = person_for_user(request.user)
        if person is not None:
            initial["disclosed_by"] = person.pk
        return DisclosureForm(
            data,
            contracts=contracts,
            offered_assets=offered,
            initial=initial,
            supplier=counterparty.kind == CounterpartyKind.SUPPLIER,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        counterparty, contract = self.get_target(request)
        if counterparty is None:
            return self.render_pick(request, CounterpartyPickForm())
        form = self.make_form(request, counterparty, contract)
        return self.render_form(request, counterparty, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        counterparty, contract = self.get_target(request)
        if counterparty is None:
            return self.render_pick(request, CounterpartyPickForm(request.POST), http_status=400)
        form = self.make_form(request, counterparty, contract, request.POST)
        confirm = self.make_confirm_form(request.POST)
        if not (form.is_valid() and confirm.is_valid()):
            return self.render_form(request, counterparty, form, http_status=400)
        data = form.cleaned_data
        if "ask_approval" in request.POST:
            return self.ask_approval(request, counterparty, form)
        disclosure = self.perform_confirmed(
            form,
            confirm,
            lambda **confirmation: ledger.disclosure_record(
                **self.disclosure_fields(counterparty, data), **confirmation
            ),
        )
        if disclosure is None:
            return self.render_form(request, counterparty, form, http_status=400)
        if disclosure.override_by_id:
            messages.warning(
                request, _("The disclosure has been recorded with the officer's override.")
            )
        elif disclosure.warnings:
            messages.warning(request, _("The disclosure has been recorded with its warnings."))
        else:
            messages.success(request, _("The disclosure has been recorded."))
        return redirect("disclosures:disclosure", pk=disclosure.pk)

    def disclosure_fields(self, counterparty: Counterparty, data: dict[str, Any]) -> dict:
        """Return what the form says was disclosed: recorded in the ledger, or asked for."""
        return {
            "counterparty": counterparty,
            "contract": data.get("contract"),
            "assets": data["assets"],
            "disclosed_on": data["disclosed_on"],
            "disclosed_by": data.get("disclosed_by"),
            "purpose": data["purpose"],
            "method": data["method"],
            "codenamed": data.get("codenamed", False),
            "use_withheld": data.get("use_withheld"),
            "pre_deal": data.get("pre_deal", False),
            "user": self.request.user,
        }

    def ask_approval(
        self, request: HttpRequest, counterparty: Counterparty, form: DisclosureForm
    ) -> HttpResponse:
        """Ask the officer's approval for what the form holds (the block screen's button)."""
        data = form.cleaned_data
        asked = self.request_approval(
            lambda reason: approval.disclosure_approval_request(
                **self.disclosure_fields(counterparty, data), reason=reason
            ),
            # Show the block again, with why the request could not be made.
            lambda: ledger.disclosure_problem(
                counterparty=counterparty,
                contract=data.get("contract"),
                assets=data["assets"],
                disclosed_on=data["disclosed_on"],
                pre_deal=data.get("pre_deal", False),
            ),
        )
        return asked or self.render_form(request, counterparty, form, http_status=400)

    def render_pick(self, request: HttpRequest, form: Any, http_status: int = 200):
        return render(request, self.pick_template_name, {"form": form}, status=http_status)

    def render_form(
        self,
        request: HttpRequest,
        counterparty: Counterparty,
        form: DisclosureForm,
        http_status: int = 200,
    ) -> HttpResponse:
        context = {
            "counterparty": counterparty,
            "form": form,
            **self.warnings_context(),
            **self.approval_context(),
            "contract_id": _int(request.GET.get("contract")),
            "asset_query": request.GET.get("asset_q", "").strip(),
            "offered_total": len(form.fields["assets"].widget.choices),
            "choice_limit": CHOICE_LIMIT,
        }
        return render(request, self.template_name, context, status=http_status)


urlpatterns = [
    path("", DisclosureListView.as_view(), name="disclosure_list"),
    path("new/", DisclosureCreateView.as_view(), name="disclosure_create"),
    path("<int:pk>/", DisclosureView.as_view(), name="disclosure"),
]
