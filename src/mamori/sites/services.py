"""Writes of the overseas sites register: sites with their country checks, audits, and
equipment sent out for maintenance or repair.

The handbook: check a destination country's laws and labour practices before going
(with expert advice where needed); audit overseas units that handle important
technology continuously; and return customised equipment to its as-purchased state
before it goes out for maintenance, because the customisation is know-how.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.core.errors import ApplicationError
from mamori.core.services import model_update
from mamori.core.validation import validated_save
from mamori.partners.models import Counterparty
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteAudit

COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_INTERVAL_MONTHS = 60

COUNTRY_INVALID = gettext_lazy("Use a two-letter country code such as CN or VN.")
INTERVAL_INVALID = gettext_lazy("Audit at least every %(max)d months (and at least 1).")
LAWS_CHECKED_IN_FUTURE = gettext_lazy("The date the laws were checked is in the future.")
LAWS_NEED_NOTE = gettext_lazy(
    "Say what the country's laws allow (e.g. whether authorities can demand disclosure of "
    "technology) when you record that they were checked."
)
AUDITED_IN_FUTURE = gettext_lazy("The audit date is in the future: record an audit once done.")
SENT_IN_FUTURE = gettext_lazy("The date sent is in the future: record the equipment once sent.")
REVERTED_NEEDS_CHECKER = gettext_lazy("Say who checked that the customisations were reverted.")
NOTHING_TO_REVERT = gettext_lazy(
    "The equipment is marked as not customised, so there is nothing to revert."
)
RETURNED_BEFORE_SENT = gettext_lazy("The return date is before the date it was sent.")
RETURNED_IN_FUTURE = gettext_lazy("The return date is in the future.")

SITE_FIELDS = (
    "name",
    "kind",
    "country",
    "operator",
    "laws_checked_on",
    "laws_note",
    "labour_mobility_note",
    "advisor",
    "access_restrictions",
    "handles_core_technology",
    "audit_interval_months",
    "opened_on",
)


@transaction.atomic
def site_save(
    *,
    site: OverseasSite | None = None,
    name: str,
    kind: str,
    country: str,
    operator: Counterparty | None = None,
    laws_checked_on: datetime.date | None = None,
    laws_note: str = "",
    labour_mobility_note: str = "",
    advisor: str = "",
    access_restrictions: str = "",
    handles_core_technology: bool = False,
    audit_interval_months: int = 12,
    opened_on: datetime.date | None = None,
) -> OverseasSite:
    """Create or update an overseas site (``operator`` ``None``: the company runs it).

    Raise ``ApplicationError`` for a malformed country code, an audit interval outside
    1–60 months, or a check of the laws dated in the future or recorded without what
    they allow.
    """
    country = country.strip().upper()
    if not COUNTRY.match(country):
        raise ApplicationError(COUNTRY_INVALID, field="country")
    if not audit_interval_months or not 1 <= audit_interval_months <= MAX_INTERVAL_MONTHS:
        raise ApplicationError(
            INTERVAL_INVALID % {"max": MAX_INTERVAL_MONTHS}, field="audit_interval_months"
        )
    if laws_checked_on is not None:
        if laws_checked_on > timezone.localdate():
            raise ApplicationError(LAWS_CHECKED_IN_FUTURE, field="laws_checked_on")
        if not laws_note.strip():
            raise ApplicationError(LAWS_NEED_NOTE, field="laws_note")
    site = site or OverseasSite()
    values = {
        "name": name,
        "kind": kind,
        "country": country,
        "operator": operator,
        "laws_checked_on": laws_checked_on,
        "laws_note": laws_note,
        "labour_mobility_note": labour_mobility_note,
        "advisor": advisor,
        "access_restrictions": access_restrictions,
        "handles_core_technology": handles_core_technology,
        "audit_interval_months": audit_interval_months,
        "opened_on": opened_on,
    }
    model_update(site, values, allowed=SITE_FIELDS)
    return validated_save(site)


@transaction.atomic
def site_audit_record(
    *,
    site: OverseasSite,
    audited_on: datetime.date,
    auditor: str,
    result: str,
    issues_open: bool = False,
) -> SiteAudit:
    """Record an audit of a site; the next one falls due an interval after it.

    Raise ``ApplicationError`` for a date in the future or an empty auditor or result.
    """
    if audited_on > timezone.localdate():
        raise ApplicationError(AUDITED_IN_FUTURE, field="audited_on")
    audit = SiteAudit(
        site=site,
        audited_on=audited_on,
        auditor=auditor.strip(),
        result=result.strip(),
        issues_open=issues_open,
    )
    return validated_save(audit)


@transaction.atomic
def equipment_dispatch_save(
    *,
    dispatch: EquipmentDispatch | None = None,
    equipment: str,
    sent_to: Counterparty,
    purpose: str,
    sent_on: datetime.date,
    has_customisations: bool = True,
    customisations_reverted: bool = False,
    checked_by: str = "",
    note: str = "",
) -> EquipmentDispatch:
    """Record (or correct) equipment sent out for maintenance or repair.

    Raise ``ApplicationError`` when the date is in the future, customisations are said
    to be reverted without who checked it, or reverted on equipment not customised.
    """
    if sent_on > timezone.localdate():
        raise ApplicationError(SENT_IN_FUTURE, field="sent_on")
    checked_by = checked_by.strip()
    if customisations_reverted and not has_customisations:
        raise ApplicationError(NOTHING_TO_REVERT, field="customisations_reverted")
    if customisations_reverted and not checked_by:
        raise ApplicationError(REVERTED_NEEDS_CHECKER, field="checked_by")
    if dispatch is not None:
        dispatch = EquipmentDispatch.objects.select_for_update().get(pk=dispatch.pk)
        if dispatch.returned_on is not None and dispatch.returned_on < sent_on:
            raise ApplicationError(RETURNED_BEFORE_SENT, field="sent_on")
    else:
        dispatch = EquipmentDispatch()
    dispatch.equipment = equipment.strip()
    dispatch.sent_to = sent_to
    dispatch.purpose = purpose.strip()
    dispatch.sent_on = sent_on
    dispatch.has_customisations = has_customisations
    dispatch.customisations_reverted = customisations_reverted
    dispatch.checked_by = checked_by
    dispatch.note = note.strip()
    return validated_save(dispatch)


@transaction.atomic
def equipment_record_return(
    *, dispatch: EquipmentDispatch, returned_on: datetime.date
) -> EquipmentDispatch:
    """Record that the equipment came back (a correction overwrites the date)."""
    dispatch = EquipmentDispatch.objects.select_for_update().get(pk=dispatch.pk)
    if returned_on < dispatch.sent_on:
        raise ApplicationError(RETURNED_BEFORE_SENT, field="returned_on")
    if returned_on > timezone.localdate():
        raise ApplicationError(RETURNED_IN_FUTURE, field="returned_on")
    dispatch.returned_on = returned_on
    dispatch.save()
    return dispatch
