"""Life-cycle changes that reach into access: transfer, departure notice, departure.

The handbook asks that access be revisited at every transfer and departure and cut as
soon as departure is announced; these services record the event and open the review or
the departure checklist in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts import services as account_services
from mamori.accounts.models import User
from mamori.assets import services as asset_services
from mamori.assets.models import AccessGrant, ReviewKind
from mamori.core.errors import ApplicationError
from mamori.core.services import model_update
from mamori.lifecycle.models import Departure
from mamori.people import services as people_services
from mamori.people.models import (
    Department,
    EventKind,
    LifecycleEvent,
    Person,
    PersonStatus,
    Pledge,
    PledgeKind,
)

REVIEW_DAYS = 14
DEPARTURE_FIELDS = (
    "last_day",
    "exit_briefing_on",
    "devices_returned_on",
    "documents_returned_on",
    "samples_returned_on",
    "retention_option",
    "retention_note",
    "note",
)


def _active_grants(person: Person):
    return AccessGrant.objects.filter(person=person, revoked_on__isnull=True)


@transaction.atomic
def person_transfer(
    *, person: Person, to_department: Department, date: datetime.date, note: str = ""
) -> LifecycleEvent:
    """Move a person to another department and open a review of their access."""
    if person.status == PersonStatus.DEPARTED:
        raise ApplicationError(_("%(person)s has left the company.") % {"person": person})
    if to_department == person.department:
        raise ApplicationError(
            _("The person is already in this department."), field="to_department"
        )
    event = LifecycleEvent.objects.create(
        person=person,
        kind=EventKind.TRANSFERRED,
        date=date,
        from_department=person.department,
        to_department=to_department,
        note=note.strip(),
    )
    person.department = to_department
    person.save()
    asset_services.review_open(
        kind=ReviewKind.TRANSFER,
        title=_("Access review on transfer: %(person)s") % {"person": person},
        person=person,
        grants=_active_grants(person),
        due_on=date + datetime.timedelta(days=REVIEW_DAYS),
    )
    return event


@transaction.atomic
def person_give_notice(
    *,
    person: Person,
    notice_on: datetime.date,
    last_day: datetime.date | None = None,
    note: str = "",
) -> Departure:
    """Record a departure notice: open the departure checklist and a review of all access."""
    if person.status != PersonStatus.ACTIVE:
        raise ApplicationError(
            _("%(person)s has already given notice or left.") % {"person": person}
        )
    if last_day and last_day < notice_on:
        raise ApplicationError(_("The last day is before the notice."), field="last_day")
    LifecycleEvent.objects.create(
        person=person, kind=EventKind.NOTICE, date=notice_on, note=note.strip()
    )
    person.status = PersonStatus.NOTIFIED
    person.notice_given_on = notice_on
    person.save()
    departure = Departure.objects.create(person=person, notice_on=notice_on, last_day=last_day)
    asset_services.review_open(
        kind=ReviewKind.DEPARTURE,
        title=_("Access review on departure: %(person)s") % {"person": person},
        person=person,
        grants=_active_grants(person),
        due_on=notice_on,
    )
    return departure


@transaction.atomic
def person_depart(*, person: Person, departed_on: datetime.date, note: str = "") -> LifecycleEvent:
    """Record the last day: the person is gone; any access left is a critical finding."""
    if person.status == PersonStatus.DEPARTED:
        raise ApplicationError(_("%(person)s has already left.") % {"person": person})
    event = LifecycleEvent.objects.create(
        person=person, kind=EventKind.DEPARTED, date=departed_on, note=note.strip()
    )
    person.status = PersonStatus.DEPARTED
    person.departed_on = departed_on
    if person.notice_given_on is None:
        person.notice_given_on = departed_on
    person.save()
    # Someone who leaves without notice still gets the departure checklist (returns, pledge).
    departure = Departure.objects.filter(person=person).first()
    if departure is None:
        Departure.objects.create(person=person, notice_on=departed_on, last_day=departed_on)
    elif departure.last_day is None:
        departure.last_day = departed_on
        departure.save()
    if person.user_id and person.user.is_active:
        account_services.user_deactivate(user=person.user)
    return event


@transaction.atomic
def departure_revoke_all(*, person: Person, revoked_by: User) -> int:
    """Revoke every grant of a leaver in one action; return how many were revoked."""
    return asset_services.grants_revoke_for_person(
        person=person, revoked_by=revoked_by, reason=_("Departure")
    )


@transaction.atomic
def departure_update(*, departure: Departure, **fields: Any) -> Departure:
    model_update(departure, fields, allowed=DEPARTURE_FIELDS)
    if departure.last_day and departure.last_day < departure.notice_on:
        raise ApplicationError(_("The last day is before the notice."), field="last_day")
    departure.save()
    return departure


def assets_known_to(person: Person, since: datetime.date | None = None) -> list[dict]:
    """Return the assets a person could access: active grants, and grants revoked since
    ``since`` (so that an exit pledge still names what was revoked at notice)."""
    grants = AccessGrant.objects.filter(person=person).select_related(
        "asset", "asset__secrecy_class"
    )
    if since is not None:
        grants = grants.filter(revoked_on__isnull=True) | grants.filter(revoked_on__gte=since)
    else:
        grants = grants.filter(revoked_on__isnull=True)
    seen: dict[int, dict] = {}
    for grant in grants.order_by("asset__secrecy_class__rank", "asset__name"):
        asset = grant.asset
        seen.setdefault(
            asset.pk,
            {
                "id": asset.pk,
                "name": asset.name,
                "secrecy_class": asset.secrecy_class.name if asset.secrecy_class else "",
                "kind": asset.get_kind_display(),
            },
        )
    return list(seen.values())


@transaction.atomic
def exit_pledge_create(*, person: Person) -> Pledge:
    """Ask a leaver for an exit pledge that names every asset they could access."""
    departure = getattr(person, "departure", None)
    since = departure.notice_on if departure else None
    listed = assets_known_to(person, since=since)
    return people_services.pledge_request(
        person=person,
        kind=PledgeKind.LEAVING,
        title=_("Confidentiality pledge on leaving"),
        requested_on=timezone.localdate(),
        listed_assets=listed,
    )


SIGNED_BEFORE_DRAWN_UP = gettext_lazy(
    "The pledge cannot be signed before it was drawn up (%(date)s)."
)
SIGNED_IN_FUTURE = gettext_lazy("The signing date is in the future.")


@transaction.atomic
def exit_pledge_sign(*, pledge: Pledge, signed_on: datetime.date) -> Pledge:
    """Record that a leaver signed their exit pledge.

    Raise ``ApplicationError`` when the pledge is not an exit pledge, is already signed,
    or the date is before the pledge was drawn up or in the future.
    """
    if pledge.kind != PledgeKind.LEAVING:
        raise ApplicationError(_("This is not an exit pledge."))
    if signed_on < pledge.requested_on:
        raise ApplicationError(
            SIGNED_BEFORE_DRAWN_UP % {"date": pledge.requested_on.isoformat()}, field="signed_on"
        )
    if signed_on > timezone.localdate():
        raise ApplicationError(SIGNED_IN_FUTURE, field="signed_on")
    return people_services.pledge_sign(pledge=pledge, signed_on=signed_on)
