"""Asking for, approving, declining and withdrawing approval requests.

Each write is a tracked save, so the audit log records who asked, who decided and why.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.approvals.models import ApprovalRequest, ApprovalStatus
from mamori.approvals.registry import kind_get
from mamori.core.errors import ApplicationError, NotPermitted

__all__ = [
    "NOT_PENDING",
    "NOT_YOURS",
    "OWN_REQUEST",
    "REASON_NEEDED",
    "approval_approve",
    "approval_decline",
    "approval_request",
    "approval_withdraw",
    "may_decide",
]

OWN_REQUEST = _("Nobody can decide their own request.")
NOT_APPROVER = _("You may not decide this request.")
NOT_PENDING = _("This request has already been decided.")
REASON_NEEDED = _("Say why the request is declined.")
NOT_YOURS = _("Only the person who asked can withdraw a request.")
ALREADY_ASKED = _("The same request is already waiting for a decision.")


def may_decide(user: Any, request: ApprovalRequest) -> bool:
    """Return whether ``user`` may approve or decline ``request`` (never their own)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.pk == request.requested_by_id:
        return False
    return bool(kind_get(request.kind).may_approve(user, request))


def approval_request(
    *,
    kind: str,
    subject: models.Model,
    requested_by: Any,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> ApprovalRequest:
    """Store a pending request of ``kind`` about ``subject`` and return it.

    Raises ``UnknownKind`` for a kind no app registered, and ``ApplicationError`` when the
    same user already has the same request pending.
    """
    kind_get(kind)
    subject_type, subject_id = subject._meta.label_lower, str(subject.pk)
    data = data or {}
    duplicate = ApprovalRequest.objects.filter(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        requested_by=requested_by,
        status=ApprovalStatus.PENDING,
    )
    if any(existing.data == data for existing in duplicate):
        raise ApplicationError(str(ALREADY_ASKED))
    return ApprovalRequest.objects.create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_repr=str(subject)[:200],
        data=data,
        request_reason=reason[:500],
        requested_by=requested_by,
    )


def _locked_pending(request: ApprovalRequest) -> ApprovalRequest:
    locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_pending:
        raise ApplicationError(str(NOT_PENDING))
    return locked


def _check_decider(user: Any, request: ApprovalRequest) -> None:
    if user.pk == request.requested_by_id:
        raise NotPermitted(str(OWN_REQUEST))
    if not may_decide(user, request):
        raise NotPermitted(str(NOT_APPROVER))


def approval_approve(*, request: ApprovalRequest, user: Any, reason: str = "") -> ApprovalRequest:
    """Approve ``request`` as ``user``: do what it asks (the kind's ``apply``) and record
    the decision, in one transaction.

    Raises ``NotPermitted`` for the requester or someone the kind does not allow, and
    ``ApplicationError`` when the request is no longer pending or ``apply`` refuses (the
    request then stays pending).
    """
    with transaction.atomic():
        locked = _locked_pending(request)
        _check_decider(user, locked)
        # ``apply`` may use the approver's comment (e.g. as the reason of an override).
        locked.decision_reason = reason[:500]
        result = kind_get(locked.kind).apply(locked, user)
        locked.status = ApprovalStatus.APPROVED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        if isinstance(result, models.Model):
            locked.result_type, locked.result_id = result._meta.label_lower, str(result.pk)
        locked.save()
    return locked


def approval_decline(*, request: ApprovalRequest, user: Any, reason: str) -> ApprovalRequest:
    """Decline ``request`` as ``user`` with ``reason`` (required).

    Raises ``ApplicationError`` without a reason or when it is no longer pending, and
    ``NotPermitted`` for the requester or someone the kind does not allow.
    """
    if not reason.strip():
        raise ApplicationError(str(REASON_NEEDED), field="reason")
    with transaction.atomic():
        locked = _locked_pending(request)
        _check_decider(user, locked)
        locked.status = ApprovalStatus.DECLINED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.decision_reason = reason.strip()[:500]
        locked.save()
    return locked


def approval_withdraw(*, request: ApprovalRequest, user: Any) -> ApprovalRequest:
    """Withdraw ``user``'s own pending ``request``.

    Raises ``NotPermitted`` for anyone but the requester and ``ApplicationError`` when the
    request is no longer pending.
    """
    with transaction.atomic():
        locked = _locked_pending(request)
        if user.pk != locked.requested_by_id:
            raise NotPermitted(str(NOT_YOURS))
        locked.status = ApprovalStatus.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save()
    return locked
