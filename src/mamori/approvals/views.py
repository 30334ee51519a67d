"""The approval queue and one request's page, where it is approved, declined or withdrawn."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from mamori.accounts.roles import Capability
from mamori.approvals import selectors, services
from mamori.approvals.forms import ApproveForm, DeclineForm, WithdrawForm
from mamori.approvals.models import ApprovalRequest
from mamori.approvals.registry import UnknownKind, kind_get
from mamori.core import views as generic
from mamori.core.links import object_url


def _describe(request: ApprovalRequest) -> dict[str, Any]:
    try:
        kind = kind_get(request.kind)
        label, description = str(kind.label), kind.describe(request)
    except UnknownKind:
        label, description = request.kind, request.subject_repr
    return {
        "request": request,
        "label": label,
        "description": description,
        "subject_url": object_url(request.subject_type, request.subject_id),
        "result_url": object_url(request.result_type, request.result_id)
        if request.result_type
        else "",
    }


class ApprovalQueueView(generic.ProtectedTemplateView):
    """What waits for the user's decision, their own requests, and (for the officer and the
    auditor) the latest decisions."""

    capability = Capability.SELF_SERVICE
    template_name = "approvals/queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        decided = (
            [_describe(r) for r in selectors.approvals_decided()]
            if user.has_capability(Capability.AUDIT_VIEW)
            else []
        )
        return super().get_context_data(
            to_decide=[_describe(r) for r in selectors.approvals_to_decide(user)],
            mine=[_describe(r) for r in selectors.approvals_requested_by(user)[:100]],
            decided=decided,
            **kwargs,
        )


class ApprovalRequestView(generic.ObjectActionsView):
    """One request: what is asked and why; approve, decline or withdraw it."""

    capability = Capability.SELF_SERVICE
    write_capability = Capability.SELF_SERVICE
    template_name = "approvals/request.html"
    selector = staticmethod(selectors.approval_detail)
    context_object_name = "approval"

    def find_object(self, key: Any) -> Any:
        found = super().find_object(key)
        if found is not None and not selectors.approval_visible(self.request.user, found):
            raise PermissionDenied
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        approval = self.object
        user = self.request.user
        context.update(_describe(approval))
        context["can_decide"] = approval.is_pending and selectors.approvals_to_decide(
            user, [approval]
        )
        context["can_withdraw"] = approval.is_pending and user.pk == approval.requested_by_id
        return context

    @generic.inline_action(ApproveForm, message=_("The request is approved."))
    def approve(self, approval: ApprovalRequest, data: dict[str, Any]) -> None:
        services.approval_approve(request=approval, user=self.request.user, reason=data["reason"])

    @generic.inline_action(DeclineForm, message=_("The request is declined."))
    def decline(self, approval: ApprovalRequest, data: dict[str, Any]) -> None:
        services.approval_decline(request=approval, user=self.request.user, reason=data["reason"])

    @generic.inline_action(
        WithdrawForm, message=_("The request is withdrawn."), refusal_as_message=True
    )
    def withdraw(self, approval: ApprovalRequest, data: dict[str, Any]) -> None:
        services.approval_withdraw(request=approval, user=self.request.user)
