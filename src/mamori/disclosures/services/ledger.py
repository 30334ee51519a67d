"""Writes of the disclosures area: the disclosure ledger (情報提供の記録).

Before a disclosure is written its warnings are evaluated — no NDA in force, information
outside the contract's scope, information beyond the provision stage reached — the same
conditions the findings rules check afterwards. A disclosure with warnings is recorded
only once the user confirmed them; when 極秘 information is involved it is blocked unless
the officer overrides with a reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.assets.models import InformationAsset, SecrecyClass
from mamori.contracts.models import Contract, ProvisionStage
from mamori.contracts.rules import confidentiality_in_force
from mamori.contracts.selectors import current_stage
from mamori.core.bilingual import bilingual_date
from mamori.core.errors import ApplicationError, NeedsConfirmation, NotPermitted
from mamori.disclosures.models import Disclosure
from mamori.partners.models import Counterparty
from mamori.people.models import Person

WITHOUT_NDA, OUTSIDE_SCOPE, BEYOND_STAGE = "without_nda", "outside_scope", "beyond_stage"

NO_ASSETS = gettext_lazy("Choose the information that was given.")
NOT_A_PARTY = gettext_lazy("%(counterparty)s is not a party to “%(contract)s”.")
IN_FUTURE = gettext_lazy("A disclosure is recorded once it happened; the date is in the future.")
NEEDS_CONFIRMATION = gettext_lazy(
    "Read the warnings below and confirm them to record the disclosure anyway."
)
BLOCKED = gettext_lazy(
    "Strictly confidential information (%(assets)s) cannot be given with these warnings "
    "unless the officer overrides them with a reason."
)
OVERRIDE_NOT_PERMITTED = gettext_lazy("Only the officer can override a blocked disclosure.")


@dataclass(frozen=True)
class DisclosureWarning:
    """A reason to think twice before giving the information: a code, the assets it
    concerns and a plain-language message in each language."""

    code: str
    assets: tuple[tuple[int, str], ...]
    message: dict[str, str]

    @property
    def key(self) -> str:
        """Identify the warning and its assets, so that a confirmation is for what was seen."""
        return f"{self.code}:" + ",".join(str(pk) for pk in sorted(pk for pk, _ in self.assets))

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "key": self.key,
            "assets": [{"id": pk, "name": name} for pk, name in self.assets],
            "message": dict(self.message),
        }


class DisclosureNeedsConfirmation(NeedsConfirmation):
    """The disclosure has warnings the user has not confirmed; nothing was written."""

    def __init__(self, message: str, *, warnings: list[DisclosureWarning]):
        super().__init__(message, warnings=warnings)


class DisclosureBlocked(DisclosureNeedsConfirmation):
    """極秘 information with warnings: only the officer's override lets it be recorded."""

    blocked = True

    def __init__(
        self,
        message: str,
        *,
        warnings: list[DisclosureWarning],
        top_secret: list[InformationAsset],
    ):
        super().__init__(message, warnings=warnings)
        self.top_secret = top_secret


def _names(names: Iterable[str], language: str) -> str:
    names = list(names)
    if language == "ja":
        return "「" + "」「".join(names) + "」"
    return "“" + "”, “".join(names) + "”"


def _message(language: str, text: Any, **params: Any) -> str:
    with translation.override(language):
        values = {
            key: (value.get(language) if isinstance(value, dict) else str(value))
            for key, value in params.items()
        }
        return str(text) % values


def _warning(code: str, assets: list[InformationAsset], text: Any, **params: Any):
    message = {
        language: _message(
            language, text, assets=_names((a.name for a in assets), language), **params
        )
        for language in ("ja", "en")
    }
    return DisclosureWarning(
        code=code, assets=tuple((a.pk, a.name) for a in assets), message=message
    )


def nda_in_force(counterparty: Counterparty, day: datetime.date) -> bool:
    """Return whether a contract with a confidentiality clause binds the counterparty on
    ``day`` (the condition of the rule ``disclosures.without_nda``)."""
    return (
        Counterparty.objects.filter(pk=counterparty.pk)
        .filter(confidentiality_in_force(OuterRef("pk"), day))
        .exists()
    )


def disclosure_warnings(
    *,
    counterparty: Counterparty,
    assets: Iterable[InformationAsset],
    disclosed_on: datetime.date,
    contract: Contract | None = None,
    pre_deal: bool = False,
) -> list[DisclosureWarning]:
    """Return what is wrong with giving ``assets`` to ``counterparty`` on ``disclosed_on``
    under ``contract``: no NDA in force, assets outside the contract's scope, assets
    beyond the provision stage reached by then. Nothing is written."""
    assets = sorted(assets, key=lambda asset: (asset.name, asset.pk))
    warnings: list[DisclosureWarning] = []
    date = bilingual_date(disclosed_on)
    if assets and not nda_in_force(counterparty, disclosed_on):
        text = (
            gettext_lazy(
                "No agreement with a confidentiality clause is in force with %(counterparty)s "
                "on %(date)s, so %(assets)s would be given without an NDA. A feasibility "
                "study before the deal needs an NDA too."
            )
            if pre_deal
            else gettext_lazy(
                "No agreement with a confidentiality clause is in force with %(counterparty)s "
                "on %(date)s, so %(assets)s would be given without an NDA."
            )
        )
        warnings.append(
            _warning(WITHOUT_NDA, assets, text, counterparty=counterparty.name, date=date)
        )
    if contract is None or not assets:
        return warnings
    ids = [asset.pk for asset in assets]
    in_scope = set(contract.scope.filter(pk__in=ids).values_list("pk", flat=True))
    outside = [asset for asset in assets if asset.pk not in in_scope]
    if outside:
        warnings.append(
            _warning(
                OUTSIDE_SCOPE,
                outside,
                gettext_lazy("%(assets)s is outside the scope of “%(contract)s”."),
                contract=contract.title,
            )
        )
    stages = ProvisionStage.objects.filter(contract=contract)
    if stages.exists():
        released = set(
            ProvisionStage.assets.through.objects.filter(
                provisionstage__contract=contract,
                provisionstage__reached_on__isnull=False,
                provisionstage__reached_on__lte=disclosed_on,
                informationasset_id__in=ids,
            ).values_list("informationasset_id", flat=True)
        )
        beyond = [asset for asset in assets if asset.pk not in released]
        if beyond:
            stage = current_stage(contract, disclosed_on)
            stage_name = (
                {"ja": stage.name, "en": stage.name}
                if stage
                else {
                    language: _message(language, gettext_lazy("none reached yet"))
                    for language in ("ja", "en")
                }
            )
            warnings.append(
                _warning(
                    BEYOND_STAGE,
                    beyond,
                    gettext_lazy(
                        "%(assets)s is not released by any stage of “%(contract)s” reached "
                        "by %(date)s (current stage: %(stage)s)."
                    ),
                    contract=contract.title,
                    date=date,
                    stage=stage_name,
                )
            )
    return warnings


def top_secret_assets(assets: Iterable[InformationAsset]) -> list[InformationAsset]:
    """Return the assets in the highest secrecy class (rank 1, 極秘)."""
    top = SecrecyClass.objects.order_by("rank").values_list("pk", flat=True).first()
    return [asset for asset in assets if top is not None and asset.secrecy_class_id == top]


def _check_party(counterparty: Counterparty, contract: Contract | None) -> None:
    if contract is None or contract.counterparty_id == counterparty.pk:
        return
    if not contract.other_parties.filter(pk=counterparty.pk).exists():
        raise ApplicationError(
            NOT_A_PARTY % {"counterparty": counterparty.name, "contract": contract.title},
            field="contract",
        )


# Checks that wrap ``disclosure_record``, registered at start-up by the apps built on this
# one: export control (``mamori.exportcontrol.services.gate``) refuses a disclosure before
# the ledger's transaction opens, so that a refusal stays on record.
_GATES: list[Callable[[Callable[..., Disclosure]], Callable[..., Disclosure]]] = []


def disclosure_gate_register(
    gate: Callable[[Callable[..., Disclosure]], Callable[..., Disclosure]],
) -> None:
    """Have ``gate`` wrap every ``disclosure_record`` from now on (once, however often)."""
    if gate not in _GATES:
        _GATES.append(gate)


def disclosure_record(**kwargs: Any) -> Disclosure:
    """Record a disclosure through the registered gates; see ``_disclosure_record``."""
    record = _disclosure_record
    for gate in _GATES:
        record = gate(record)
    return record(**kwargs)


@transaction.atomic
def _disclosure_record(
    *,
    counterparty: Counterparty,
    assets: Iterable[InformationAsset],
    disclosed_on: datetime.date,
    purpose: str,
    method: str,
    user: User,
    contract: Contract | None = None,
    disclosed_by: Person | None = None,
    codenamed: bool = False,
    pre_deal: bool = False,
    confirmed: Collection[str] = (),
    override_reason: str = "",
) -> Disclosure:
    """Record that ``assets`` were given to ``counterparty``, with the warnings that held.

    ``confirmed`` holds the keys of the warnings the user has seen and accepted. Raise
    ``DisclosureNeedsConfirmation`` while a warning is not confirmed, ``DisclosureBlocked``
    when 極秘 information is involved and no override reason is given,
    ``NotPermitted`` when someone other than the officer overrides, ``ExportRefused``
    (``mamori.exportcontrol.services.gate``) when export control refuses, and
    ``ApplicationError`` for bad input. Nothing is written when an error is raised.
    """
    assets = list(assets)
    if not assets:
        raise ApplicationError(str(NO_ASSETS), field="assets")
    if disclosed_on > timezone.localdate():
        raise ApplicationError(str(IN_FUTURE), field="disclosed_on")
    _check_party(counterparty, contract)
    disclosure = Disclosure(
        counterparty=counterparty,
        contract=contract,
        disclosed_on=disclosed_on,
        disclosed_by=disclosed_by,
        purpose=purpose.strip(),
        method=method,
        codenamed=codenamed,
        pre_deal=pre_deal,
    )
    try:
        disclosure.full_clean(exclude=["warnings", "override_reason", "override_by"])
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(
            " ".join(messages), field=None if name == "__all__" else name
        ) from exc

    warnings = disclosure_warnings(
        counterparty=counterparty,
        assets=assets,
        disclosed_on=disclosed_on,
        contract=contract,
        pre_deal=pre_deal,
    )
    unconfirmed = [w for w in warnings if w.key not in set(confirmed)]
    top_secret = top_secret_assets(assets) if warnings else []
    override_reason = override_reason.strip()
    overridden = False
    if top_secret:
        if override_reason and not user.has_capability(Capability.COMPANY_MANAGE):
            raise NotPermitted(str(OVERRIDE_NOT_PERMITTED), field="override_reason")
        if not override_reason or unconfirmed:
            names = _names((asset.name for asset in top_secret), translation.get_language() or "ja")
            raise DisclosureBlocked(
                BLOCKED % {"assets": names}, warnings=warnings, top_secret=top_secret
            )
        overridden = True
    elif unconfirmed:
        raise DisclosureNeedsConfirmation(str(NEEDS_CONFIRMATION), warnings=warnings)

    disclosure.warnings = [w.as_dict() for w in warnings]
    if overridden:
        disclosure.override_reason, disclosure.override_by = override_reason, user
    if contract is not None:
        disclosure.provision_stage = current_stage(contract, disclosed_on)
    disclosure.save()
    disclosure.assets.set(assets)
    return disclosure


__all__ = [
    "BEYOND_STAGE",
    "OUTSIDE_SCOPE",
    "WITHOUT_NDA",
    "DisclosureBlocked",
    "DisclosureNeedsConfirmation",
    "DisclosureWarning",
    "disclosure_record",
    "disclosure_warnings",
    "nda_in_force",
    "top_secret_assets",
]
