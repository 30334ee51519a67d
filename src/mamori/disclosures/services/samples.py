"""Writes of the disclosures area: samples lent out, their return and their inspection.

The handbook's middle-stage case 2: a sample lent to a new overseas customer came back
late, damaged, with signs of reverse engineering. So a lending has a due date, and a
returned sample is inspected before the matter is closed.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract
from mamori.core.errors import ApplicationError
from mamori.core.validation import validated_save
from mamori.disclosures.models import Sample
from mamori.partners.models import Counterparty

DUE_REQUIRED = gettext_lazy(
    "Give the date the sample is due back: an overdue sample is flagged as a finding."
)
DUE_BEFORE_LENT = gettext_lazy("The due date is before the date the sample was lent.")
LENT_IN_FUTURE = gettext_lazy("The lending date is in the future: record a sample once it is lent.")
CONTRACT_OF_OTHER = gettext_lazy(
    "This contract is not with %(counterparty)s. Choose one of its contracts, or none."
)
QUANTITY_INVALID = gettext_lazy("The quantity must be at least 1.")
RETURNED_BEFORE_LENT = gettext_lazy("The return date is before the date the sample was lent.")
RETURNED_IN_FUTURE = gettext_lazy("The return date is in the future.")
RETURNED_AFTER_INSPECTION = gettext_lazy(
    "The return date is after the inspection recorded on %(date)s."
)
NOT_RETURNED = gettext_lazy("Record the return first: only a returned sample can be inspected.")
INSPECTED_BEFORE_RETURN = gettext_lazy("The inspection date is before the sample was returned.")
INSPECTED_IN_FUTURE = gettext_lazy("The inspection date is in the future.")
SIGNS_NEED_NOTE = gettext_lazy(
    "Describe the signs found (what was opened, cut, analysed or missing): the note is the "
    "record you will rely on with the counterparty."
)
LENDING_LOCKED = gettext_lazy(
    "The sample has been returned: the lending date and the counterparty can no longer change."
)


def _check_contract(contract: Contract | None, counterparty: Counterparty) -> None:
    if contract is None or contract.counterparty_id == counterparty.pk:
        return
    if contract.other_parties.filter(pk=counterparty.pk).exists():
        return
    raise ApplicationError(CONTRACT_OF_OTHER % {"counterparty": counterparty}, field="contract")


@transaction.atomic
def sample_lend(
    *,
    counterparty: Counterparty,
    description: str,
    lent_on: datetime.date,
    due_back_on: datetime.date | None,
    contract: Contract | None = None,
    asset: InformationAsset | None = None,
    quantity: int = 1,
) -> Sample:
    """Record a sample lent to a counterparty and return it.

    Raise ``ApplicationError`` when the due date is missing or before the lending, the
    lending is in the future, the quantity is below one, or the contract is not with
    the counterparty.
    """
    return _save(
        Sample(),
        counterparty=counterparty,
        description=description,
        lent_on=lent_on,
        due_back_on=due_back_on,
        contract=contract,
        asset=asset,
        quantity=quantity,
    )


@transaction.atomic
def sample_update(
    *,
    sample: Sample,
    counterparty: Counterparty,
    description: str,
    lent_on: datetime.date,
    due_back_on: datetime.date | None,
    contract: Contract | None = None,
    asset: InformationAsset | None = None,
    quantity: int = 1,
) -> Sample:
    """Correct a lending or move its due date (e.g. the counterparty asked for longer).

    The same checks as :func:`sample_lend`; once the sample is back, who had it and
    since when can no longer change (``ApplicationError``).
    """
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if sample.returned_on is not None and (
        sample.counterparty_id != counterparty.pk or sample.lent_on != lent_on
    ):
        raise ApplicationError(LENDING_LOCKED)
    return _save(
        sample,
        counterparty=counterparty,
        description=description,
        lent_on=lent_on,
        due_back_on=due_back_on,
        contract=contract,
        asset=asset,
        quantity=quantity,
    )


def _save(
    sample: Sample,
    *,
    counterparty: Counterparty,
    description: str,
    lent_on: datetime.date,
    due_back_on: datetime.date | None,
    contract: Contract | None,
    asset: InformationAsset | None,
    quantity: int,
) -> Sample:
    if lent_on > timezone.localdate():
        raise ApplicationError(LENT_IN_FUTURE, field="lent_on")
    if due_back_on is None:
        raise ApplicationError(DUE_REQUIRED, field="due_back_on")
    if due_back_on < lent_on:
        raise ApplicationError(DUE_BEFORE_LENT, field="due_back_on")
    if quantity is None or quantity < 1:
        raise ApplicationError(QUANTITY_INVALID, field="quantity")
    _check_contract(contract, counterparty)
    if sample.returned_on is not None and sample.returned_on < lent_on:
        raise ApplicationError(RETURNED_BEFORE_LENT, field="lent_on")
    sample.counterparty = counterparty
    sample.contract = contract
    sample.description = description.strip()
    sample.asset = asset
    sample.quantity = quantity
    sample.lent_on = lent_on
    sample.due_back_on = due_back_on
    return validated_save(sample)


@transaction.atomic
def sample_record_return(
    *, sample: Sample, returned_on: datetime.date, condition: str = ""
) -> Sample:
    """Record that a sample came back, and in what condition (a correction overwrites).

    Raise ``ApplicationError`` for a date before the lending, in the future, or after
    an inspection already recorded.
    """
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if returned_on < sample.lent_on:
        raise ApplicationError(RETURNED_BEFORE_LENT, field="returned_on")
    if returned_on > timezone.localdate():
        raise ApplicationError(RETURNED_IN_FUTURE, field="returned_on")
    if sample.inspected_on is not None and returned_on > sample.inspected_on:
        raise ApplicationError(
            RETURNED_AFTER_INSPECTION % {"date": sample.inspected_on.isoformat()},
            field="returned_on",
        )
    sample.returned_on = returned_on
    sample.condition = condition.strip()
    sample.save()
    return sample


@transaction.atomic
def sample_record_inspection(
    *,
    sample: Sample,
    inspected_on: datetime.date,
    reverse_engineering_signs: bool,
    note: str = "",
) -> Sample:
    """Record the inspection of a returned sample for signs of reverse engineering.

    Raise ``ApplicationError`` when the sample is not back yet, the date is before the
    return or in the future, or signs were found without a note describing them.
    """
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if sample.returned_on is None:
        raise ApplicationError(NOT_RETURNED)
    if inspected_on < sample.returned_on:
        raise ApplicationError(INSPECTED_BEFORE_RETURN, field="inspected_on")
    if inspected_on > timezone.localdate():
        raise ApplicationError(INSPECTED_IN_FUTURE, field="inspected_on")
    note = note.strip()
    if reverse_engineering_signs and not note:
        raise ApplicationError(SIGNS_NEED_NOTE, field="note")
    sample.inspected_on = inspected_on
    sample.reverse_engineering_signs = reverse_engineering_signs
    sample.inspection_note = note
    sample.save()
    return sample
