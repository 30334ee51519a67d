"""Reads of the officer appointment and the security posture."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from mamori.governance.models import OfficerAppointment, PostureArea, PostureMeasure
from mamori.partners.services import add_months


def appointments_in_force(today: datetime.date) -> QuerySet[OfficerAppointment]:
    """Return the appointments begun by ``today`` and not ended, the latest first."""
    return (
        OfficerAppointment.objects.filter(appointed_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .order_by("-appointed_on", "-pk")
    )


def appointment_current(today: datetime.date | None = None) -> OfficerAppointment | None:
    """Return the appointment in force (the latest, with its officer), or ``None``."""
    return appointments_in_force(today or timezone.localdate()).select_related("person").first()


def appointment_history() -> QuerySet[OfficerAppointment]:
    return OfficerAppointment.objects.select_related("person").order_by("-appointed_on", "-pk")


def appointment_detail(pk: int) -> OfficerAppointment | None:
    return OfficerAppointment.objects.select_related("person").filter(pk=pk).first()


@dataclass(frozen=True)
class PostureRow:
    """An area of the posture: recorded (``measure``) or not, and its next review."""

    area: str
    label: str
    measure: PostureMeasure | None
    last_review: datetime.date | None
    due: datetime.date | None
    overdue: bool


def review_due(measure: PostureMeasure, last_review: datetime.date | None) -> datetime.date:
    """Return when an area's next review is due: an interval after the last review (or
    after it was recorded)."""
    start = last_review or timezone.localdate(measure.created_at)
    return add_months(start, measure.review_interval_months)


def _measures() -> QuerySet[PostureMeasure]:
    return PostureMeasure.objects.annotate(last_review=Max("reviews__reviewed_on"))


def posture(today: datetime.date) -> list[PostureRow]:
    """Return the four areas in the handbook's order, recorded or not, in one query."""
    recorded = {measure.area: measure for measure in _measures().select_related("owner")}
    rows = []
    for area, label in PostureArea.choices:
        measure = recorded.get(area)
        due = review_due(measure, measure.last_review) if measure else None
        rows.append(
            PostureRow(
                area=area,
                label=str(label),
                measure=measure,
                last_review=measure.last_review if measure else None,
                due=due,
                overdue=due is not None and due < today,
            )
        )
    return rows


def posture_measure_detail(pk: int) -> PostureMeasure | None:
    return _measures().select_related("owner").filter(pk=pk).first()


def overdue_measures(today: datetime.date) -> list[tuple[PostureMeasure, datetime.date]]:
    """Return the areas whose review is overdue, with the day it was due."""
    found = []
    for measure in _measures().order_by("area"):
        due = review_due(measure, measure.last_review)
        if due < today:
            found.append((measure, due))
    return found
