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
from django.db.models import OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.assets.models import InformationAsset, SecrecyClass
from mamori.contracts.models import Contract, ContractClause, ProvisionStage
from mamori.contracts.rules import CONFIDENTIALITY, confidentiality_in_force, in_force
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


@dataclass(frozen=True)
class NextSteps:
    """What would lift the warnings, for the links on the block screen: register an NDA
    with the counterparty (when none is in force), or extend the scope of a contract in
    force to the assets it does not cover."""

    counterparty_id: int
    asset_ids: tuple[int, ...]  # the assets no contract covers (or all, without an NDA)
    nda_missing: bool
    contracts: tuple[tuple[int, str], ...]  # contracts whose scope could be extended

    @classmethod
    def of(
        cls, counterparty: Counterparty, contract: Contract | None, review: LedgerReview
    ) -> NextSteps:
        extendable = [contract] if contract is not None else review.contracts
        return cls(
            counterparty_id=counterparty.pk,
            asset_ids=tuple(a.pk for a in review.uncovered),
            nda_missing=not review.nda_contracts,
            contracts=tuple((c.pk, c.title) for c in extendable) if review.uncovered else (),
        )

    @property
    def scope_query(self) -> str:
        """The query string that prefills these assets in a contract's scope."""
        return "&".join(f"scope={pk}" for pk in self.asset_ids)


class DisclosureNeedsConfirmation(NeedsConfirmation):
    """The disclosure has warnings the user has not confirmed; nothing was written."""

    def __init__(
        self,
        message: str,
        *,
        warnings: list[DisclosureWarning],
        next_steps: NextSteps | None = None,
    ):
        super().__init__(message, warnings=warnings)
        self.next_steps = next_steps


class DisclosureBlocked(DisclosureNeedsConfirmation):
    """極秘 information with warnings: only the officer's override lets it be recorded."""

    blocked = True

    def __init__(
        self,
        message: str,
        *,
        warnings: list[DisclosureWarning],
        top_secret: list[InformationAsset],
        next_steps: NextSteps | None = None,
    ):
        super().__init__(message, warnings=warnings, next_steps=next_steps)
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


PASSED, FAILED, NOT_CHECKED = "passed", "failed", "not_checked"
NDA, SCOPE, STAGE = "nda", "scope", "stage"


@dataclass(frozen=True)
class LedgerCheck:
    """One check run before a disclosure was recorded, as the record states it: what was
    checked (``code``), its ``outcome`` and a sentence in each language. The statement on
    a disclosure is these checks — never more than what ran."""

    code: str
    outcome: str
    message: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "outcome": self.outcome, "message": dict(self.message)}


@dataclass(frozen=True)
class LedgerReview:
    """What the checks found: the warnings, the checks as the record will state them, the
    contracts in force with the counterparty on the day and which assets each covers."""

    warnings: list[DisclosureWarning]
    checks: list[LedgerCheck]
    contracts: list[Contract]
    covered_by: dict[int, list[Contract]]  # asset id -> contracts in force covering it
    uncovered: list[InformationAsset]
    nda_contracts: list[Contract]


def contracts_in_force(counterparty: Counterparty, day: datetime.date) -> list[Contract]:
    """Return the contracts binding ``counterparty`` (as the counterparty or one of the
    other parties) on ``day``, by title."""
    return list(
        Contract.objects.filter(in_force(day))
        .filter(Q(counterparty=counterparty) | Q(other_parties=counterparty))
        .distinct()
        .order_by("title", "pk")
    )


def _titles(contracts: Iterable[Contract], language: str) -> str:
    titles = [contract.title for contract in contracts]
    if language == "ja":
        return "「" + "」「".join(titles) + "」"
    return "“" + "”, “".join(titles) + "”"


def _both_names(assets: Iterable[InformationAsset]) -> dict[str, str]:
    assets = list(assets)
    return {language: _names((a.name for a in assets), language) for language in ("ja", "en")}


def _bilingual(text: Any, **params: Any) -> dict[str, str]:
    return {language: _message(language, text, **params) for language in ("ja", "en")}


def _coverage(
    contracts: list[Contract], covered_by: dict[int, list[Contract]], assets: list
) -> dict[str, str]:
    """Say which contract covers which of the assets given, in each language."""
    by_contract = {
        contract.pk: [asset for asset in assets if contract in covered_by.get(asset.pk, [])]
        for contract in contracts
    }
    texts = {}
    for language in ("ja", "en"):
        parts = []
        for contract in contracts:
            covered = by_contract[contract.pk]
            text = (
                gettext_lazy("“%(contract)s” covers %(assets)s")
                if covered
                else gettext_lazy("“%(contract)s” covers none of it")
            )
            parts.append(
                _message(
                    language,
                    text,
                    contract=contract.title,
                    assets=_names((a.name for a in covered), language),
                )
            )
        texts[language] = ("；" if language == "ja" else "; ").join(parts)
    return texts


def _released(contract_ids: list[int], asset_ids: list[int], day: datetime.date) -> set:
    """Return the (contract id, asset id) pairs a stage reached by ``day`` released."""
    return set(
        ProvisionStage.assets.through.objects.filter(
            provisionstage__contract_id__in=contract_ids,
            provisionstage__reached_on__isnull=False,
            provisionstage__reached_on__lte=day,
            informationasset_id__in=asset_ids,
        ).values_list("provisionstage__contract_id", "informationasset_id")
    )


def disclosure_review(
    *,
    counterparty: Counterparty,
    assets: Iterable[InformationAsset],
    disclosed_on: datetime.date,
    contract: Contract | None = None,
    pre_deal: bool = False,
) -> LedgerReview:
    """Check giving ``assets`` to ``counterparty`` on ``disclosed_on``: an NDA in force,
    the scope, the provision stage. Under a chosen ``contract`` the scope and stage are
    that contract's; without one, **every** contract in force with the counterparty on
    that day counts — an asset is within scope when one of them covers it, and beyond
    the stage when every contract covering it has a staged plan none of whose reached
    stages releases it. Nothing is written."""
    assets = sorted(assets, key=lambda asset: (asset.name, asset.pk))
    warnings: list[DisclosureWarning] = []
    checks: list[LedgerCheck] = []
    date = bilingual_date(disclosed_on)
    name = counterparty.name
    in_force_now = contracts_in_force(counterparty, disclosed_on) if assets else []
    confidential = set(
        ContractClause.objects.filter(
            contract__in=[c.pk for c in in_force_now], clause=CONFIDENTIALITY
        ).values_list("contract_id", flat=True)
    )
    nda_contracts = [c for c in in_force_now if c.pk in confidential]
    review = LedgerReview(
        warnings=warnings,
        checks=checks,
        contracts=in_force_now,
        covered_by={},
        uncovered=[],
        nda_contracts=nda_contracts,
    )
    if not assets:
        return review

    def fail(kind: str, code: str, given: list[InformationAsset], text: Any, **params: Any) -> None:
        warning = _warning(code, given, text, **params)
        warnings.append(warning)
        checks.append(LedgerCheck(kind, FAILED, warning.message))

    def note(kind: str, outcome: str, text: Any, **params: Any) -> None:
        checks.append(LedgerCheck(kind, outcome, _bilingual(text, **params)))

    # 1. An NDA in force on the day.
    if nda_contracts:
        note(
            NDA,
            PASSED,
            gettext_lazy(
                "An agreement with a confidentiality clause was in force with "
                "%(counterparty)s on %(date)s: %(contracts)s."
            ),
            counterparty=name,
            date=date,
            contracts={lang: _titles(nda_contracts, lang) for lang in ("ja", "en")},
        )
    else:
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
        fail(NDA, WITHOUT_NDA, assets, text, counterparty=name, date=date)

    # 2. The scope: the chosen contract's, or that of every contract in force.
    candidates = [contract] if contract is not None else in_force_now
    if not candidates:
        review.uncovered.extend(assets)  # no contract covers anything
        note(
            SCOPE,
            NOT_CHECKED,
            gettext_lazy(
                "No contract was in force with %(counterparty)s on %(date)s, so "
                "neither the scope nor a provision stage could be checked."
            ),
            counterparty=name,
            date=date,
        )
        return review
    ids = [asset.pk for asset in assets]
    pairs = set(
        Contract.scope.through.objects.filter(
            contract_id__in=[c.pk for c in candidates], informationasset_id__in=ids
        ).values_list("contract_id", "informationasset_id")
    )
    covered_by = {
        asset.pk: [c for c in candidates if (c.pk, asset.pk) in pairs] for asset in assets
    }
    review.covered_by.update(covered_by)
    uncovered = [asset for asset in assets if not covered_by[asset.pk]]
    review.uncovered.extend(uncovered)
    inside = [asset for asset in assets if covered_by[asset.pk]]
    if contract is not None:
        if uncovered:
            fail(
                SCOPE,
                OUTSIDE_SCOPE,
                uncovered,
                gettext_lazy("%(assets)s is outside the scope of “%(contract)s”."),
                contract=contract.title,
            )
        else:
            note(
                SCOPE,
                PASSED,
                gettext_lazy("%(assets)s is within the scope of “%(contract)s”."),
                assets=_both_names(assets),
                contract=contract.title,
            )
    else:
        coverage = _coverage(candidates, covered_by, assets)
        if uncovered:
            fail(
                SCOPE,
                OUTSIDE_SCOPE,
                uncovered,
                gettext_lazy(
                    "%(assets)s is within the scope of no contract in force with "
                    "%(counterparty)s on %(date)s (%(coverage)s)."
                ),
                counterparty=name,
                date=date,
                coverage=coverage,
            )
        else:
            note(
                SCOPE,
                PASSED,
                gettext_lazy(
                    "Everything given is within the scope of a contract in force "
                    "with %(counterparty)s on %(date)s (%(coverage)s)."
                ),
                counterparty=name,
                date=date,
                coverage=coverage,
            )

    # 3. The provision stage.
    staged = set(
        ProvisionStage.objects.filter(contract__in=[c.pk for c in candidates]).values_list(
            "contract_id", flat=True
        )
    )
    if contract is not None:
        judged = assets if contract.pk in staged else []
    else:
        # An asset is judged when every contract covering it plans its provision in stages.
        judged = [a for a in inside if all(c.pk in staged for c in covered_by[a.pk])]
    if not judged:
        note(
            STAGE, NOT_CHECKED, gettext_lazy("No staged provision plan applies to what was given.")
        )
        return review
    released = _released(sorted(staged), [a.pk for a in judged], disclosed_on)
    if contract is not None:
        beyond = [a for a in judged if (contract.pk, a.pk) not in released]
    else:
        beyond = [a for a in judged if not any((c.pk, a.pk) in released for c in covered_by[a.pk])]
    if not beyond:
        note(
            STAGE,
            PASSED,
            gettext_lazy("%(assets)s is released by a provision stage reached by %(date)s."),
            assets=_both_names(judged),
            date=date,
        )
    elif contract is not None:
        stage = current_stage(contract, disclosed_on)
        stage_name = (
            {"ja": stage.name, "en": stage.name}
            if stage
            else _bilingual(gettext_lazy("none reached yet"))
        )
        fail(
            STAGE,
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
    else:
        covering = sorted(
            {c.pk: c for a in beyond for c in covered_by[a.pk]}.values(),
            key=lambda c: (c.title, c.pk),
        )
        fail(
            STAGE,
            BEYOND_STAGE,
            beyond,
            gettext_lazy(
                "%(assets)s is not released by any stage reached by %(date)s of the "
                "contracts that cover it (%(contracts)s)."
            ),
            date=date,
            contracts={lang: _titles(covering, lang) for lang in ("ja", "en")},
        )
    return review


def disclosure_warnings(
    *,
    counterparty: Counterparty,
    assets: Iterable[InformationAsset],
    disclosed_on: datetime.date,
    contract: Contract | None = None,
    pre_deal: bool = False,
) -> list[DisclosureWarning]:
    """Return what is wrong with giving ``assets`` to ``counterparty`` on ``disclosed_on``
    under ``contract`` (or, without one, under the contracts in force then): no NDA in
    force, assets outside the scope, assets beyond the provision stage reached by then.
    Nothing is written; see ``disclosure_review``."""
    return disclosure_review(
        counterparty=counterparty,
        assets=assets,
        disclosed_on=disclosed_on,
        contract=contract,
        pre_deal=pre_deal,
    ).warnings


def disclosure_problem(
    *,
    counterparty: Counterparty,
    assets: Iterable[InformationAsset],
    disclosed_on: datetime.date,
    contract: Contract | None = None,
    pre_deal: bool = False,
) -> DisclosureNeedsConfirmation | None:
    """Return what recording this disclosure unconfirmed would raise (the block when 極秘
    information is involved), or ``None`` when it has no warnings. Nothing is written."""
    assets = list(assets)
    review = disclosure_review(
        counterparty=counterparty,
        assets=assets,
        disclosed_on=disclosed_on,
        contract=contract,
        pre_deal=pre_deal,
    )
    if not review.warnings:
        return None
    steps = NextSteps.of(counterparty, contract, review)
    top_secret = top_secret_assets(assets)
    if top_secret:
        names = _names((asset.name for asset in top_secret), translation.get_language() or "ja")
        return DisclosureBlocked(
            BLOCKED % {"assets": names},
            warnings=review.warnings,
            top_secret=top_secret,
            next_steps=steps,
        )
    return DisclosureNeedsConfirmation(
        str(NEEDS_CONFIRMATION), warnings=review.warnings, next_steps=steps
    )


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
    use_withheld: bool | None = None,
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
        use_withheld=use_withheld,
        pre_deal=pre_deal,
    )
    try:
        disclosure.full_clean(exclude=["warnings", "checks", "override_reason", "override_by"])
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(
            " ".join(messages), field=None if name == "__all__" else name
        ) from exc

    review = disclosure_review(
        counterparty=counterparty,
        assets=assets,
        disclosed_on=disclosed_on,
        contract=contract,
        pre_deal=pre_deal,
    )
    warnings = review.warnings
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
                BLOCKED % {"assets": names},
                warnings=warnings,
                top_secret=top_secret,
                next_steps=NextSteps.of(counterparty, contract, review),
            )
        overridden = True
    elif unconfirmed:
        raise DisclosureNeedsConfirmation(
            str(NEEDS_CONFIRMATION),
            warnings=warnings,
            next_steps=NextSteps.of(counterparty, contract, review),
        )

    disclosure.warnings = [w.as_dict() for w in warnings]
    disclosure.checks = [check.as_dict() for check in review.checks]
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
    "LedgerCheck",
    "LedgerReview",
    "NextSteps",
    "contracts_in_force",
    "disclosure_record",
    "disclosure_review",
    "disclosure_warnings",
    "nda_in_force",
    "top_secret_assets",
]
