"""Asking the officer's approval at the black-boxing confirm step.

When the ledger blocks the disclosure a confirmation would record (極秘 information with
warnings), the editor who uploaded the document asks instead: a pending request of kind
``blackbox.confirm`` keeps the assets, purpose and method. The officer approves — the
sanitization is then confirmed as the editor asked, the disclosure recorded with the
officer's comment as the override — or declines with a reason. Audited and in the
officer's digest through the approvals app.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.approvals.models import ApprovalRequest
from mamori.approvals.registry import ApprovalKind, kind_register, officer_may_approve
from mamori.approvals.services import approval_request
from mamori.assets.models import InformationAsset
from mamori.blackbox.models import Sanitization
from mamori.blackbox.services import ALREADY_CONFIRMED, EXPIRED, sanitization_confirm
from mamori.core.errors import ApplicationError
from mamori.disclosures.services.approval import (
    APPROVAL_REASON_NEEDED,
    APPROVED_WITHOUT_REASON,
    GONE,
    NOTHING_TO_APPROVE,
)
from mamori.disclosures.services.ledger import disclosure_problem, disclosure_warnings

__all__ = ["APPROVAL_KIND", "register_kind", "sanitization_approval_request"]

APPROVAL_KIND = "blackbox.confirm"
KIND_LABEL = gettext_lazy("Sanitized document blocked by the ledger")


def _check_open(sanitization: Sanitization) -> None:
    if sanitization.confirmed_at is not None:
        raise ApplicationError(str(ALREADY_CONFIRMED))
    if not sanitization.output or (
        sanitization.expires_at and sanitization.expires_at <= timezone.now()
    ):
        raise ApplicationError(str(EXPIRED))


def sanitization_approval_request(
    *,
    sanitization: Sanitization,
    user: User,
    assets: Iterable[InformationAsset],
    purpose: str,
    method: str,
    reason: str,
) -> ApprovalRequest:
    """Ask the officer to approve confirming ``sanitization`` despite the ledger's block.

    Raise ``ApplicationError`` without a reason, when the sanitization is confirmed or
    expired, has no recipient, or its disclosure has no warnings.
    """
    assets = sorted(assets, key=lambda asset: asset.pk)
    if not reason.strip():
        raise ApplicationError(str(APPROVAL_REASON_NEEDED), field="approval_reason")
    _check_open(sanitization)
    if sanitization.counterparty_id is None or not assets:
        raise ApplicationError(str(NOTHING_TO_APPROVE))
    problem = disclosure_problem(
        counterparty=sanitization.counterparty,
        contract=sanitization.contract,
        assets=assets,
        disclosed_on=timezone.localdate(),
    )
    if problem is None:
        raise ApplicationError(str(NOTHING_TO_APPROVE))
    data = {
        "assets": [asset.pk for asset in assets],
        "asset_names": [asset.name for asset in assets],
        "purpose": purpose.strip(),
        "method": method,
        "warnings": [warning.as_dict() for warning in problem.warnings],
    }
    return approval_request(
        kind=APPROVAL_KIND,
        subject=sanitization,
        requested_by=user,
        data=data,
        reason=reason.strip(),
    )


def _apply(request: ApprovalRequest, user: User) -> Any:
    sanitization = request.subject()
    if sanitization is None:
        raise ApplicationError(str(GONE))
    data = request.data
    assets = list(InformationAsset.objects.filter(pk__in=data["assets"]))
    if len(assets) != len(data["assets"]):
        raise ApplicationError(str(GONE))
    warnings = disclosure_warnings(
        counterparty=sanitization.counterparty,
        contract=sanitization.contract,
        assets=assets,
        disclosed_on=timezone.localdate(),
    )
    reason = (request.decision_reason or "").strip() or str(
        APPROVED_WITHOUT_REASON % {"user": request.requested_by, "reason": request.request_reason}
    )
    confirmed = sanitization_confirm(
        sanitization=sanitization,
        user=request.requested_by,
        assets=assets,
        purpose=data["purpose"],
        method=data["method"],
        confirmed=[warning.key for warning in warnings],
        override_reason=reason,
        approved_by=user,
    )
    return confirmed.disclosure


def _describe(request: ApprovalRequest) -> str:
    names = "、".join(request.data.get("asset_names") or [])
    return f"{request.subject_repr}: {names}"


def register_kind() -> None:
    """Register the kind with the approvals app (``BlackboxConfig.ready``)."""
    kind_register(
        ApprovalKind(
            key=APPROVAL_KIND,
            label=KIND_LABEL,
            may_approve=officer_may_approve,
            apply=_apply,
            describe=_describe,
        )
    )
