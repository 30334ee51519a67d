"""Access grants: give and revoke."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.approvals.models import ApprovalRequest
from mamori.assets import services
from mamori.assets.forms import (
    GrantForm,
    RevokeForm,
)
from mamori.assets.models import (
    AccessGrant,
)
from mamori.assets.views._common import form_error, safe_next
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedView

# --- grants --------------------------------------------------------------------------------


class GrantCreateView(ProtectedView):
    """Give a person access to an asset; ``?person=`` and ``?asset=`` preselect them."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/grant_form.html"

    def search_terms(self, request: HttpRequest) -> dict[str, str]:
        return {
            "person_query": request.GET.get("person_q", "").strip(),
            "asset_query": request.GET.get("asset_q", "").strip(),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {
            key: int(request.GET[key])
            for key in ("person", "asset")
            if request.GET.get(key, "").isdigit()
        }
        form = GrantForm(initial=initial, **self.search_terms(request))
        return self.render_form(request, form, initial)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GrantForm(request.POST, **self.search_terms(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.grant_give(
                    person=data["person"],
                    asset=data["asset"],
                    reason=data["reason"],
                    granted_by=request.user,
                    valid_from=data["valid_from"],
                    valid_until=data.get("valid_until"),
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                if isinstance(grant, ApprovalRequest):
                    messages.success(
                        request,
                        _(
                            "Access of %(person)s to “%(asset)s” needs approval: it has been "
                            "asked for and takes effect when the asset's owner or the officer "
                            "approves it."
                        )
                        % {"person": data["person"], "asset": data["asset"]},
                    )
                    return redirect(grant.get_absolute_url())
                messages.success(
                    request,
                    _("%(person)s now has access to “%(asset)s”.")
                    % {"person": grant.person, "asset": grant.asset},
                )
                fallback = reverse("assets:asset", kwargs={"pk": grant.asset_id})
                return redirect(safe_next(request, fallback))
        return self.render_form(request, form, {}, http_status=400)

    def render_form(
        self, request: HttpRequest, form: GrantForm, initial: dict, http_status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "preselected": initial,
            "next": safe_next(request, ""),
            **self.search_terms(request),
        }
        return render(request, self.template_name, context, status=http_status)


class GrantRevokeView(ProtectedView):
    """Ask (with a reason) before revoking a grant; revoke on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/grant_confirm_revoke.html"

    def get_grant(self, pk: int) -> AccessGrant:
        return get_object_or_404(
            AccessGrant.objects.select_related(
                "person", "person__department", "asset", "asset__secrecy_class", "granted_by"
            ),
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = self.get_grant(pk)
        return self.render_page(request, grant, RevokeForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = self.get_grant(pk)
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.grant_revoke(
                    grant=grant, revoked_by=request.user, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The access of %(person)s to “%(asset)s” has been revoked.")
                    % {"person": grant.person, "asset": grant.asset},
                )
                fallback = reverse("assets:asset", kwargs={"pk": grant.asset_id})
                return redirect(safe_next(request, fallback))
        return self.render_page(request, grant, form, http_status=400)

    def render_page(
        self, request: HttpRequest, grant: AccessGrant, form: Any, http_status: int = 200
    ) -> HttpResponse:
        context = {"grant": grant, "form": form, "next": safe_next(request, "")}
        return render(request, self.template_name, context, status=http_status)
