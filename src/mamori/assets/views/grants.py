"""Access grants: give and revoke."""

from __future__ import annotations

from typing import Any

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
from mamori.assets.views._common import safe_next
from mamori.core.views import ObjectEditView, ServiceFormView

# --- grants --------------------------------------------------------------------------------


class GrantCreateView(ServiceFormView):
    """Give a person access to an asset; ``?person=`` and ``?asset=`` preselect them."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/grant_form.html"
    form_class = GrantForm
    invalid_status = 400

    def search_terms(self) -> dict[str, str]:
        return {
            "person_query": self.request.GET.get("person_q", "").strip(),
            "asset_query": self.request.GET.get("asset_q", "").strip(),
        }

    def get_initial(self) -> dict[str, Any]:
        if self.request.method != "GET":
            return {}
        return {
            key: int(self.request.GET[key])
            for key in ("person", "asset")
            if self.request.GET.get(key, "").isdigit()
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.search_terms()}

    def perform(self, form: GrantForm) -> AccessGrant | ApprovalRequest:
        data = form.cleaned_data
        return services.grant_give(
            person=data["person"],
            asset=data["asset"],
            reason=data["reason"],
            granted_by=self.request.user,
            valid_from=data["valid_from"],
            valid_until=data.get("valid_until"),
        )

    def message_for(self, grant: AccessGrant | ApprovalRequest) -> str:
        if isinstance(grant, ApprovalRequest):
            data = self.form.cleaned_data
            return _(
                "Access of %(person)s to “%(asset)s” needs approval: it has been "
                "asked for and takes effect when the asset's owner or the officer "
                "approves it."
            ) % {"person": data["person"], "asset": data["asset"]}
        return _("%(person)s now has access to “%(asset)s”.") % {
            "person": grant.person,
            "asset": grant.asset,
        }

    def get_success_url_for(self, grant: AccessGrant | ApprovalRequest) -> str:
        if isinstance(grant, ApprovalRequest):
            return grant.get_absolute_url()
        fallback = reverse("assets:asset", kwargs={"pk": grant.asset_id})
        return safe_next(self.request, fallback)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            preselected=self.get_initial(),
            next=safe_next(self.request, ""),
            **self.search_terms(),
            **kwargs,
        )


def _grant_revoke(view: Any, grant: AccessGrant, data: dict[str, Any]) -> AccessGrant:
    services.grant_revoke(grant=grant, revoked_by=view.request.user, reason=data["reason"])
    return grant


class GrantRevokeView(ObjectEditView):
    """Ask (with a reason) before revoking a grant; revoke on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/grant_confirm_revoke.html"
    form_class = RevokeForm
    context_object_name = "grant"
    invalid_status = 400
    service = staticmethod(_grant_revoke)

    def find_object(self, pk: Any) -> AccessGrant | None:
        return (
            AccessGrant.objects.select_related(
                "person", "person__department", "asset", "asset__secrecy_class", "granted_by"
            )
            .filter(pk=pk)
            .first()
        )

    def message_for(self, grant: AccessGrant) -> str:
        return _("The access of %(person)s to “%(asset)s” has been revoked.") % {
            "person": grant.person,
            "asset": grant.asset,
        }

    def success_url_for(self, grant: AccessGrant) -> str:
        return safe_next(self.request, reverse("assets:asset", kwargs={"pk": grant.asset_id}))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=safe_next(self.request, ""), **kwargs)
