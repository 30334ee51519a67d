"""Writes of the disclosures area: exhibitions, the approval of what may be said there,
the staff briefing and the log of approaches that need care.

The handbook (middle stage): decide in advance what may be answered; when an approach is
hard to judge — very technical questions, a request for private contact details — check
with the person in charge and respond with care.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.validation import validated_save
from mamori.disclosures.models import Exhibition, ExhibitionContact
from mamori.people.models import Person

COUNTRY = re.compile(r"^[A-Z]{2}$")

ENDS_BEFORE_START = gettext_lazy("The last day is before the first day.")
COUNTRY_INVALID = gettext_lazy("Use a two-letter country code such as JP or US.")
ONLY_OFFICER_APPROVES = gettext_lazy("Only the officer may approve what may be said and shown.")
SCOPE_MAY_MISSING = gettext_lazy("Write down what may be said and shown before approving it.")
SCOPE_MUST_NOT_MISSING = gettext_lazy(
    "Write down what must not be said or shown before approving the scope."
)
APPROVED_AFTER_EVENT = gettext_lazy(
    "The exhibition ended on %(date)s: the scope is approved before (or at the latest during) "
    "the event."
)
APPROVED_IN_FUTURE = gettext_lazy("The approval date is in the future.")
APPROVAL_WITHDRAWN = gettext_lazy(
    "What may be said or shown changed, so the officer's approval was withdrawn: it needs to "
    "be approved again."
)
BRIEFING_NEEDS_APPROVAL = gettext_lazy(
    "Have the officer approve the scope first: the staff are briefed on what was approved."
)
BRIEFING_NEEDS_STAFF = gettext_lazy("List the staff attending the exhibition first.")
BRIEFED_BEFORE_APPROVAL = gettext_lazy(
    "The briefing date is before the scope was approved (%(date)s)."
)
BRIEFED_IN_FUTURE = gettext_lazy("The briefing date is in the future.")
CONTACT_BEFORE_EVENT = gettext_lazy("The date is before the exhibition started (%(date)s).")
CONTACT_IN_FUTURE = gettext_lazy("The date is in the future.")
ESCALATED_BEFORE_CONTACT = gettext_lazy("The escalation date is before the approach.")
ESCALATED_IN_FUTURE = gettext_lazy("The escalation date is in the future.")
ACTION_NEEDS_ESCALATION = gettext_lazy("Give the date it was escalated, with the action taken.")
ESCALATION_NEEDS_ACTION = gettext_lazy("Say what was done after escalating.")


@transaction.atomic
def exhibition_save(
    *,
    exhibition: Exhibition | None = None,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    venue: str = "",
    country: str = "JP",
    staff: Iterable[Person] = (),
    may_disclose: str = "",
    must_not_disclose: str = "",
    escalation_contact: Person | None = None,
) -> Exhibition:
    """Create or update an exhibition and return it.

    The officer approved a particular text: when what may or must not be said changes,
    that approval (and the briefing on it) no longer holds and is withdrawn. Raise
    ``ApplicationError`` for dates in the wrong order or a malformed country code.
    """
    if ends_on < starts_on:
        raise ApplicationError(ENDS_BEFORE_START, field="ends_on")
    country = country.strip().upper()
    if not COUNTRY.match(country):
        raise ApplicationError(COUNTRY_INVALID, field="country")
    if exhibition is not None:
        exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    else:
        exhibition = Exhibition()
    may_disclose, must_not_disclose = may_disclose.strip(), must_not_disclose.strip()
    withdrawn = exhibition.scope_approved_on is not None and (
        exhibition.may_disclose != may_disclose or exhibition.must_not_disclose != must_not_disclose
    )
    if withdrawn:
        exhibition.scope_approved_on = None
        exhibition.scope_approved_by = None
        exhibition.staff_briefed_on = None
    exhibition.name = name.strip()
    exhibition.venue = venue.strip()
    exhibition.country = country
    exhibition.starts_on = starts_on
    exhibition.ends_on = ends_on
    exhibition.may_disclose = may_disclose
    exhibition.must_not_disclose = must_not_disclose
    exhibition.escalation_contact = escalation_contact
    validated_save(exhibition)
    exhibition.staff.set(list(staff))
    return exhibition


@transaction.atomic
def exhibition_approve_scope(
    *, exhibition: Exhibition, approved_by: User, approved_on: datetime.date | None = None
) -> Exhibition:
    """Record the officer's approval of what may and must not be said and shown.

    Raise ``NotPermitted`` for anyone but the officer, and ``ApplicationError`` when
    either text is empty, the date is in the future or after the event ended.
    """
    if not approved_by.has_capability(Capability.COMPANY_MANAGE):
        raise NotPermitted(ONLY_OFFICER_APPROVES)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    approved_on = approved_on or timezone.localdate()
    if not exhibition.may_disclose:
        raise ApplicationError(SCOPE_MAY_MISSING)
    if not exhibition.must_not_disclose:
        raise ApplicationError(SCOPE_MUST_NOT_MISSING)
    if approved_on > timezone.localdate():
        raise ApplicationError(APPROVED_IN_FUTURE, field="approved_on")
    if approved_on > exhibition.ends_on:
        raise ApplicationError(
            APPROVED_AFTER_EVENT % {"date": exhibition.ends_on.isoformat()}, field="approved_on"
        )
    exhibition.scope_approved_by = approved_by
    exhibition.scope_approved_on = approved_on
    exhibition.save()
    return exhibition


@transaction.atomic
def exhibition_record_briefing(*, exhibition: Exhibition, briefed_on: datetime.date) -> Exhibition:
    """Record the day the staff were told what they may say and whom to call.

    Raise ``ApplicationError`` before the scope is approved, without staff, or for a
    date before the approval or in the future.
    """
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    if exhibition.scope_approved_on is None:
        raise ApplicationError(BRIEFING_NEEDS_APPROVAL)
    if not exhibition.staff.exists():
        raise ApplicationError(BRIEFING_NEEDS_STAFF)
    if briefed_on < exhibition.scope_approved_on:
        raise ApplicationError(
            BRIEFED_BEFORE_APPROVAL % {"date": exhibition.scope_approved_on.isoformat()},
            field="briefed_on",
        )
    if briefed_on > timezone.localdate():
        raise ApplicationError(BRIEFED_IN_FUTURE, field="briefed_on")
    exhibition.staff_briefed_on = briefed_on
    exhibition.save()
    return exhibition


def _check_escalation(
    occurred_on: datetime.date, escalated_on: datetime.date | None, action: str
) -> None:
    if escalated_on is None:
        if action:
            raise ApplicationError(ACTION_NEEDS_ESCALATION, field="escalated_on")
        return
    if escalated_on < occurred_on:
        raise ApplicationError(ESCALATED_BEFORE_CONTACT, field="escalated_on")
    if escalated_on > timezone.localdate():
        raise ApplicationError(ESCALATED_IN_FUTURE, field="escalated_on")
    if not action:
        raise ApplicationError(ESCALATION_NEEDS_ACTION, field="action")


@transaction.atomic
def exhibition_contact_record(
    *,
    exhibition: Exhibition,
    occurred_on: datetime.date,
    visitor: str,
    what_happened: str,
    very_technical: bool = False,
    asked_private_contact: bool = False,
    recorded_by: Person | None = None,
    escalated_on: datetime.date | None = None,
    action: str = "",
) -> ExhibitionContact:
    """Log an approach at the exhibition that needed care, with its escalation if any.

    Follow-ups after the event belong here too, so the date may be after the last day
    but not before the first. Raise ``ApplicationError`` for dates out of order or in
    the future, an escalation without the action taken, or an action without a date.
    """
    if occurred_on < exhibition.starts_on:
        raise ApplicationError(
            CONTACT_BEFORE_EVENT % {"date": exhibition.starts_on.isoformat()}, field="occurred_on"
        )
    if occurred_on > timezone.localdate():
        raise ApplicationError(CONTACT_IN_FUTURE, field="occurred_on")
    action = action.strip()
    _check_escalation(occurred_on, escalated_on, action)
    contact = ExhibitionContact(
        exhibition=exhibition,
        occurred_on=occurred_on,
        visitor=visitor.strip(),
        what_happened=what_happened.strip(),
        very_technical=very_technical,
        asked_private_contact=asked_private_contact,
        recorded_by=recorded_by,
        escalated_on=escalated_on,
        action=action,
    )
    return validated_save(contact)


@transaction.atomic
def exhibition_contact_escalate(
    *, contact: ExhibitionContact, escalated_on: datetime.date, action: str
) -> ExhibitionContact:
    """Record (or correct) when an approach was escalated and what was done about it."""
    contact = ExhibitionContact.objects.select_for_update().get(pk=contact.pk)
    action = action.strip()
    _check_escalation(contact.occurred_on, escalated_on, action)
    contact.escalated_on = escalated_on
    contact.action = action
    contact.save()
    return contact
