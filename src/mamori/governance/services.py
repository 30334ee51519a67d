"""Writes of the officer appointment and the security posture.

The handbook (STEP 1): appoint a responsible officer who drives the measures across
departments, under the executives' leadership. The later stage's joint-research row:
strengthen the management of access rights and physical security, assign staff
responsible for security and put cyber defences in place.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.core.errors import ApplicationError
from mamori.core.validation import validated_save
from mamori.governance.models import OfficerAppointment, PostureMeasure, PostureReview
from mamori.people.models import Person, PersonStatus

IN_FUTURE = gettext_lazy("The date is in the future: record what has happened.")
REVIEW_BEFORE_APPOINTMENT = gettext_lazy("The review is dated before the appointment.")
REVIEW_NEEDS_WHO = gettext_lazy("Say who reviewed the appointment (e.g. the board meeting).")
ENDED_BEFORE_APPOINTMENT = gettext_lazy("The appointment cannot end before it began.")
OFFICER_DEPARTED = gettext_lazy("%(person)s has left the company and cannot be the officer.")
OWNER_DEPARTED = gettext_lazy("%(person)s has left the company and cannot own these measures.")
MANDATE_NEEDED = gettext_lazy(
    "Write the mandate: what the officer decides and drives, and to whom they report."
)


def _not_in_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ApplicationError(IN_FUTURE, field=field)


@transaction.atomic
def appointment_save(
    *,
    appointment: OfficerAppointment | None = None,
    person: Person,
    appointed_on: datetime.date,
    mandate: str,
    reviewed_on: datetime.date | None = None,
    reviewed_by: str = "",
    ended_on: datetime.date | None = None,
) -> OfficerAppointment:
    """Record (or correct) the officer's appointment. A new appointment in force ends the
    one before it on the day it starts.

    Raise ``ApplicationError`` for a date in the future, a review before the appointment
    or without who reviewed it, an end before the start, an empty mandate, or a person
    who has left.
    """
    _not_in_future(appointed_on, "appointed_on")
    _not_in_future(reviewed_on, "reviewed_on")
    _not_in_future(ended_on, "ended_on")
    if person.status == PersonStatus.DEPARTED and ended_on is None:
        raise ApplicationError(OFFICER_DEPARTED % {"person": person.name}, field="person")
    if not mandate.strip():
        raise ApplicationError(MANDATE_NEEDED, field="mandate")
    if reviewed_on is not None:
        if reviewed_on < appointed_on:
            raise ApplicationError(REVIEW_BEFORE_APPOINTMENT, field="reviewed_on")
        if not reviewed_by.strip():
            raise ApplicationError(REVIEW_NEEDS_WHO, field="reviewed_by")
    if ended_on is not None and ended_on < appointed_on:
        raise ApplicationError(ENDED_BEFORE_APPOINTMENT, field="ended_on")
    if appointment is None:
        appointment = OfficerAppointment()
        if ended_on is None:
            for earlier in OfficerAppointment.objects.select_for_update().filter(
                ended_on__isnull=True, appointed_on__lte=appointed_on
            ):
                earlier.ended_on = appointed_on
                earlier.save()
    appointment.person = person
    appointment.appointed_on = appointed_on
    appointment.mandate = mandate.strip()
    appointment.reviewed_on = reviewed_on
    appointment.reviewed_by = reviewed_by.strip()
    appointment.ended_on = ended_on
    return validated_save(appointment)


@transaction.atomic
def posture_measure_save(
    *,
    measure: PostureMeasure | None = None,
    area: str,
    measures: str,
    owner: Person,
    review_interval_months: int = 12,
) -> PostureMeasure:
    """Record (or change) what the company does in one area of its security posture.

    Raise ``ApplicationError`` when the area is already recorded, the text is empty, the
    interval is outside 1–36 months or the owner has left.
    """
    if owner.status == PersonStatus.DEPARTED:
        raise ApplicationError(OWNER_DEPARTED % {"person": owner.name}, field="owner")
    measure = measure or PostureMeasure()
    measure.area = area
    measure.measures = measures.strip()
    measure.owner = owner
    measure.review_interval_months = review_interval_months
    return validated_save(measure)


@transaction.atomic
def posture_review_record(
    *, measure: PostureMeasure, reviewed_on: datetime.date, reviewed_by: str, result: str
) -> PostureReview:
    """Record a review of one area; the next falls due an interval after it.

    Raise ``ApplicationError`` for a date in the future or an empty reviewer or result.
    """
    _not_in_future(reviewed_on, "reviewed_on")
    review = PostureReview(
        measure=measure,
        reviewed_on=reviewed_on,
        reviewed_by=reviewed_by.strip(),
        result=result.strip(),
    )
    return validated_save(review)
