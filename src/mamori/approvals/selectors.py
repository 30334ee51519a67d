"""Reading approval requests: one request, a user's queue and their own requests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mamori.accounts.roles import Capability
from mamori.approvals.models import ApprovalRequest, ApprovalStatus
from mamori.approvals.registry import UnknownKind
from mamori.approvals.services import may_decide

__all__ = [
    "approval_detail",
    "approval_visible",
    "approvals_pending",
    "approvals_requested_by",
    "approvals_to_decide",
]


def approval_detail(pk: Any) -> ApprovalRequest | None:
    """Return the request with key ``pk``, or ``None``."""
    return (
        ApprovalRequest.objects.select_related("requested_by", "decided_by").filter(pk=pk).first()
    )


def approvals_pending() -> QuerySet[ApprovalRequest]:
    """Return every pending request, oldest first."""
    return (
        ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
        .select_related("requested_by")
        .order_by("created_at", "pk")
    )


def _may_decide(user: Any, request: ApprovalRequest) -> bool:
    try:
        return may_decide(user, request)
    except UnknownKind:  # a kind whose app is gone: nobody can decide it
        return False


def approvals_to_decide(user: Any, pending: Any = None) -> list[ApprovalRequest]:
    """Return the pending requests ``user`` may decide (from ``pending`` when given)."""
    pending = approvals_pending() if pending is None else pending
    return [request for request in pending if _may_decide(user, request)]


def approvals_requested_by(user: Any) -> QuerySet[ApprovalRequest]:
    """Return ``user``'s own requests, newest first."""
    return ApprovalRequest.objects.filter(requested_by=user).select_related("decided_by")


def approvals_decided(limit: int = 50) -> QuerySet[ApprovalRequest]:
    """Return the latest decided requests (for the officer and the auditor)."""
    return (
        ApprovalRequest.objects.exclude(status=ApprovalStatus.PENDING)
        .select_related("requested_by", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def approval_visible(user: Any, request: ApprovalRequest) -> bool:
    """Return whether ``user`` may see ``request``: the requester, whoever may decide it,
    the officer and the auditor."""
    if user.pk == request.requested_by_id or user.pk == request.decided_by_id:
        return True
    if user.has_capability(Capability.AUDIT_VIEW):
        return True
    return request.is_pending and _may_decide(user, request)
