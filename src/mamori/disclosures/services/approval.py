"""Asking the officer's approval for a disclosure the ledger blocks.

An editor who may not override a block (極秘 information with warnings) asks instead:
``disclosure_approval_request`` stores the disclosure as asked, with the requester's
reason, as a pending request of the approvals app (kind ``disclosures.disclosure``). The
officer approves it — the disclosure is then recorded through the ledger, re-checked on
the day of the decision, with the officer's reason as the override — or declines it with a
reason. Requests, decisions and the disclosure are audited; pending requests are in the
officer's digest (the approvals app).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.approvals.models import ApprovalRequest
from mamori.approvals.registry import ApprovalKind, kind_register, officer_may_approve
from mamori.approvals.services import approval_request
from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract
from mamori.core.errors import ApplicationError
from mamori.disclosures.models import Disclosure
from mamori.disclosures.services.ledger import (
    IN_FUTURE,
    NO_ASSETS,
    _check_party,
    disclosure_record,
    disclosure_review,
)
from mamori.partners.models import Counterparty
from mamori.people.models import Person

__all__ = ["APPROVAL_KIND", "disclosure_approval_request", "register_kind"]

APPROVAL_KIND = "disclosures.disclosure"

NOTHING_TO_APPROVE = gettext_lazy(
    "This disclosure has no warnings; record it directly, no approval is needed."
)
APPROVAL_REASON_NEEDED = gettext_lazy("Say why the information needs to be given.")
GONE = gettext_lazy("Something this request names has been deleted; it cannot be recorded.")
APPROVED_WITHOUT_REASON = gettext_lazy("Approved at the request of %(user)s: %(reason)s")
KIND_LABEL = gettext_lazy("Disclosure blocked by the ledger")


def disclosure_approval_request(
    *,
    counterparty: Counterparty,
    assets: Iterable[InformationAsset],
    disclosed_on: datetime.date,
    purpose: str,
    method: str,
    user: User,
    reason: str,
    contract: Contract | None = None,
    disclosed_by: Person | None = None,
    codenamed: bool = False,
    use_withheld: bool | None = None,
    pre_deal: bool = False,
) -> ApprovalRequest:
    """Ask the officer to approve recording this disclosure despite its warnings.

    Raise ``ApplicationError`` without a reason, for bad input, when the disclosure has no
    warnings (nothing to approve) or when the same request is already pending. Nothing
    is recorded in the ledger until the officer approves.
    """
    assets = sorted(assets, key=lambda asset: asset.pk)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(str(APPROVAL_REASON_NEEDED), field="approval_reason")
    if not assets:
        raise ApplicationError(str(NO_ASSETS), field="assets")
    if disclosed_on > timezone.localdate():
        raise ApplicationError(str(IN_FUTURE), field="disclosed_on")
    _check_party(counterparty, contract)
    review = disclosure_review(
        counterparty=counterparty,
        assets=assets,
        disclosed_on=disclosed_on,
        contract=contract,
        pre_deal=pre_deal,
    )
    if not review.warnings:
        raise ApplicationError(str(NOTHING_TO_APPROVE))
    data = {
        "counterparty": counterparty.pk,
        "contract": contract.pk if contract else None,
        "assets": [asset.pk for asset in assets],
        "asset_names": [asset.name for asset in assets],
        "disclosed_on": disclosed_on.isoformat(),
        "disclosed_by": disclosed_by.pk if disclosed_by else None,
        "purpose": purpose.strip(),
        "method": method,
        "codenamed": bool(codenamed),
        "use_withheld": use_withheld,
        "pre_deal": bool(pre_deal),
        "warnings": [warning.as_dict() for warning in review.warnings],
    }
    return approval_request(
        kind=APPROVAL_KIND, subject=counterparty, requested_by=user, data=data, reason=reason
    )


def _load(model: type, pk: Any) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ApplicationError(str(GONE))
    return found


def _apply(request: ApprovalRequest, user: User) -> Disclosure:
    """Record the disclosure as asked, re-checked today, overridden by the approver."""
    data = request.data
    assets = list(InformationAsset.objects.filter(pk__in=data["assets"]))
    if len(assets) != len(data["assets"]):
        raise ApplicationError(str(GONE))
    fields = {
        "counterparty": _load(Counterparty, data["counterparty"]),
        "contract": _load(Contract, data.get("contract")),
        "assets": assets,
        "disclosed_on": datetime.date.fromisoformat(data["disclosed_on"]),
        "pre_deal": bool(data.get("pre_deal")),
    }
    warnings = disclosure_review(**fields).warnings
    reason = (request.decision_reason or "").strip() or str(
        APPROVED_WITHOUT_REASON % {"user": request.requested_by, "reason": request.request_reason}
    )
    return disclosure_record(
        **fields,
        purpose=data["purpose"],
        method=data["method"],
        disclosed_by=_load(Person, data.get("disclosed_by")),
        codenamed=bool(data.get("codenamed")),
        use_withheld=data.get("use_withheld"),
        user=user,
        confirmed=[warning.key for warning in warnings],
        override_reason=reason,
    )


def _describe(request: ApprovalRequest) -> str:
    data = request.data
    names = "、".join(data.get("asset_names") or [])
    return f"{request.subject_repr}: {names} ({data.get('disclosed_on', '')})"


def register_kind() -> None:
    """Register the kind with the approvals app (``DisclosuresConfig.ready``)."""
    kind_register(
        ApprovalKind(
            key=APPROVAL_KIND,
            label=KIND_LABEL,
            may_approve=officer_may_approve,
            apply=_apply,
            describe=_describe,
        )
    )
