"""Writes to contracts: the contract itself, the clauses it holds, its files and its staged
provision plan."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.assets.models import InformationAsset
from mamori.catalog.selectors import get_catalog
from mamori.contracts.models import (
    ClauseSource,
    Contract,
    ContractClause,
    ContractFile,
    ProvisionStage,
)
from mamori.core.errors import ApplicationError
from mamori.core.services import model_update
from mamori.core.uploads import save_with_file, upload_check
from mamori.core.validation import validate_instance, validated_save
from mamori.partners.models import Counterparty

CONTRACT_FIELDS = (
    "title",
    "kind",
    "counterparty",
    "signed_on",
    "starts_on",
    "ends_on",
    "renewal",
    "confidentiality_survives_until",
    "scope_note",
    "information_returned_on",
)
ENDS_BEFORE_START = gettext_lazy("The end date is before the start date.")
ENDS_BEFORE_SIGNING = gettext_lazy("The end date is before the contract was signed.")
SURVIVAL_BEFORE_END = gettext_lazy(
    "Confidentiality that outlives the contract must last at least until its end date."
)
RETURNED_BEFORE_SIGNING = gettext_lazy(
    "The information cannot have been returned before the contract was signed."
)
UNKNOWN_CLAUSE = gettext_lazy("Unknown clause “%(clause)s”.")
SCOPE_USED_BY_STAGE = gettext_lazy(
    "“%(asset)s” is released by the stage “%(stage)s”; remove it from that stage before "
    "taking it out of the scope."
)
STAGE_OUTSIDE_SCOPE = gettext_lazy(
    "A stage may release only information in the contract's scope; “%(asset)s” is not in it."
)
STAGE_NEEDS_NAME = gettext_lazy("Name the stage.")
STAGE_ALREADY_REACHED = gettext_lazy("The stage “%(stage)s” was already reached.")
STAGE_PREVIOUS_NOT_REACHED = gettext_lazy(
    "The stage “%(previous)s” has not been reached yet; stages are reached in order."
)
STAGE_BEFORE_PREVIOUS = gettext_lazy(
    "The stage cannot be reached before the previous one (reached on %(date)s)."
)
STAGE_UNSIGNED = gettext_lazy("The contract is not signed yet; record the signing date first.")
STAGE_BEFORE_SIGNING = gettext_lazy("A stage cannot be reached before the contract was signed.")
STAGE_IN_FUTURE = gettext_lazy(
    "A stage is recorded as reached once it is; the date is in the future."
)
STAGE_NOT_LATEST = gettext_lazy("Only the latest stage reached can be set back.")
STAGE_HAS_DISCLOSURES = gettext_lazy(
    "Information was already given in the stage “%(stage)s”; it stays part of the record."
)
STAGE_REACHED_CANNOT_BE_REMOVED = gettext_lazy(
    "The stage “%(stage)s” was reached; it stays part of the record. Set it back first."
)


def _check_dates(contract: Contract) -> None:
    if contract.ends_on and contract.starts_on and contract.ends_on < contract.starts_on:
        raise ApplicationError(ENDS_BEFORE_START, field="ends_on")
    if contract.ends_on and contract.signed_on and contract.ends_on < contract.signed_on:
        raise ApplicationError(ENDS_BEFORE_SIGNING, field="ends_on")
    survives = contract.confidentiality_survives_until
    if survives and contract.ends_on and survives < contract.ends_on:
        raise ApplicationError(SURVIVAL_BEFORE_END, field="confidentiality_survives_until")
    returned = contract.information_returned_on
    if returned and contract.signed_on and returned < contract.signed_on:
        raise ApplicationError(RETURNED_BEFORE_SIGNING, field="information_returned_on")


def _check_scope_keeps_stage_assets(contract: Contract, scope: list[InformationAsset]) -> None:
    kept = {asset.pk for asset in scope}
    released = (
        ProvisionStage.assets.through.objects.filter(provisionstage__contract=contract)
        .exclude(informationasset_id__in=kept)
        .values_list("informationasset__name", "provisionstage__name")
        .order_by("provisionstage__order", "informationasset__name")
        .first()
    )
    if released:
        asset, stage = released
        raise ApplicationError(
            SCOPE_USED_BY_STAGE % {"asset": asset, "stage": stage}, field="scope"
        )


@transaction.atomic
def contract_save(
    *,
    contract: Contract | None = None,
    other_parties: Iterable[Counterparty] | None = None,
    scope: Iterable[InformationAsset] | None = None,
    **fields: Any,
) -> Contract:
    """Create or update a contract with its other parties and its scope (linked assets).

    ``fields`` are the contract's own fields (``CONTRACT_FIELDS``); ``None`` for
    ``other_parties`` or ``scope`` leaves them as they are. Raise ``ApplicationError``
    for dates out of order, or a scope that drops an asset a provision stage releases.
    """
    contract = model_update(contract or Contract(), fields, allowed=CONTRACT_FIELDS)
    validate_instance(contract)
    _check_dates(contract)
    is_new = contract.pk is None
    contract.save()
    if other_parties is not None:
        # The counterparty is a party already; listing it again says nothing more.
        contract.other_parties.set(
            [party for party in other_parties if party.pk != contract.counterparty_id]
        )
    if scope is not None:
        scope = list(scope)
        if not is_new:
            _check_scope_keeps_stage_assets(contract, scope)
        contract.scope.set(scope)
    return contract


@transaction.atomic
def contract_set_clauses(*, contract: Contract, clauses: Mapping[str, str]) -> list[ContractClause]:
    """Record which catalog clauses the contract holds: ``{clause id: article}``.

    Clauses left out are removed; a clause whose article changes is recorded as ticked
    by a person. Raise ``ApplicationError`` for a clause id the catalog does not know.
    """
    catalog = get_catalog()
    known = {clause.id for clause in catalog.clauses}
    for clause_id in clauses:
        if clause_id not in known:
            raise ApplicationError(UNKNOWN_CLAUSE % {"clause": clause_id})
    existing = {row.clause: row for row in ContractClause.objects.filter(contract=contract)}
    for clause_id, row in existing.items():
        if clause_id not in clauses:
            row.delete()
    result = []
    for clause in catalog.clauses:  # catalog order, so the log reads like the checklist
        if clause.id not in clauses:
            continue
        article = (clauses[clause.id] or "").strip()
        row = existing.get(clause.id)
        if row is None:
            row = ContractClause(contract=contract, clause=clause.id, article=article)
            validated_save(row, exclude=["contract"])
        elif row.article != article:
            # A person's word replaces what the checker found, weakness included.
            row.article, row.source, row.weak = article, ClauseSource.MANUAL, False
            validated_save(row, exclude=["contract"])
        result.append(row)
    return result


@transaction.atomic
def contract_file_add(*, contract: Contract, upload: UploadedFile, title: str = "") -> ContractFile:
    """Store a file of the contract (the signed copy, an annex...) under a generated name.

    Raise ``ApplicationError`` when the file is empty or larger than
    ``MAMORI_MAX_UPLOAD_BYTES``; nothing is stored then.
    """
    name = upload_check(upload)
    record = ContractFile(
        contract=contract,
        title=(title.strip() or name)[:200],
        original_name=name,
        size=upload.size,
    )
    # The stored name is generated: a crafted file name never chooses where the file lands.
    return save_with_file(record, record.file, uuid.uuid4().hex, upload)


@transaction.atomic
def contract_file_delete(*, contract_file: ContractFile) -> None:
    """Delete a contract's file; the stored file is removed once the deletion is committed."""
    name = contract_file.file.name if contract_file.file else ""
    storage = contract_file.file.storage
    contract_file.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- staged provision ----------------------------------------------------------------------


def _check_stage_assets(contract: Contract, assets: list[InformationAsset]) -> None:
    scope = set(contract.scope.values_list("pk", flat=True))
    for asset in assets:
        if asset.pk not in scope:
            raise ApplicationError(STAGE_OUTSIDE_SCOPE % {"asset": asset.name}, field="assets")


@transaction.atomic
def provision_stage_save(
    *,
    contract: Contract,
    stage: ProvisionStage | None = None,
    name: str,
    assets: Iterable[InformationAsset],
    condition_to_proceed: str = "",
) -> ProvisionStage:
    """Add a stage at the end of the contract's plan, or change one (not its order or date).

    A stage releases only information in the contract's scope; raise ``ApplicationError``
    otherwise, or when the name is empty.
    """
    name = name.strip()
    if not name:
        raise ApplicationError(STAGE_NEEDS_NAME, field="name")
    assets = list(assets)
    _check_stage_assets(contract, assets)
    if stage is None:
        last = ProvisionStage.objects.filter(contract=contract).aggregate(last=Max("order"))
        stage = ProvisionStage(contract=contract, order=(last["last"] or 0) + 1)
    stage.name = name
    stage.condition_to_proceed = condition_to_proceed.strip()
    validated_save(stage, exclude=["contract"])
    stage.assets.set(assets)
    return stage


@transaction.atomic
def provision_stage_reach(*, stage: ProvisionStage, reached_on: datetime.date) -> ProvisionStage:
    """Record that the plan moved on to ``stage`` on ``reached_on``.

    Stages are reached in order, on or after the contract's signing and the previous
    stage's date, never in the future; raise ``ApplicationError`` otherwise.
    """
    stage = ProvisionStage.objects.select_for_update().select_related("contract").get(pk=stage.pk)
    contract = stage.contract
    if stage.reached_on is not None:
        raise ApplicationError(STAGE_ALREADY_REACHED % {"stage": stage.name})
    if contract.signed_on is None:
        raise ApplicationError(STAGE_UNSIGNED)
    if reached_on < contract.signed_on:
        raise ApplicationError(STAGE_BEFORE_SIGNING, field="reached_on")
    if reached_on > timezone.localdate():
        raise ApplicationError(STAGE_IN_FUTURE, field="reached_on")
    previous = (
        ProvisionStage.objects.filter(contract=contract, order__lt=stage.order)
        .order_by("-order")
        .first()
    )
    if previous is not None:
        if previous.reached_on is None:
            raise ApplicationError(STAGE_PREVIOUS_NOT_REACHED % {"previous": previous.name})
        if reached_on < previous.reached_on:
            raise ApplicationError(
                STAGE_BEFORE_PREVIOUS % {"date": previous.reached_on.isoformat()},
                field="reached_on",
            )
    stage.reached_on = reached_on
    stage.save()
    return stage


@transaction.atomic
def provision_stage_set_back(*, stage: ProvisionStage) -> ProvisionStage:
    """Undo reaching the latest stage (a mistake), unless information was given in it."""
    stage = ProvisionStage.objects.select_for_update().get(pk=stage.pk)
    later = ProvisionStage.objects.filter(
        contract_id=stage.contract_id, order__gt=stage.order, reached_on__isnull=False
    )
    if stage.reached_on is None or later.exists():
        raise ApplicationError(STAGE_NOT_LATEST)
    if stage.disclosures.exists():
        raise ApplicationError(STAGE_HAS_DISCLOSURES % {"stage": stage.name})
    stage.reached_on = None
    stage.save()
    return stage


@transaction.atomic
def provision_stage_delete(*, stage: ProvisionStage) -> None:
    """Remove a stage not yet reached; the later stages move up one place."""
    if stage.reached_on is not None:
        raise ApplicationError(STAGE_REACHED_CANNOT_BE_REMOVED % {"stage": stage.name})
    contract_id, order = stage.contract_id, stage.order
    stage.delete()
    # One by one in ascending order: each target order is free when it is taken, and
    # each move is a logged change.
    for later in ProvisionStage.objects.filter(contract_id=contract_id, order__gt=order).order_by(
        "order"
    ):
        later.order -= 1
        later.save()
