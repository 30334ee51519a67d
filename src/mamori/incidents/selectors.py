"""Reads of the incident register and the concern queue, and the need-to-know rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.incidents.models import (
    ConcernReport,
    Consultation,
    ContainmentStep,
    Incident,
    IncidentEvidence,
    ResponseDecision,
)

INCIDENT_STATUSES = ("open", "not_contained", "closed")
CONCERN_STATUSES = ("new", "reviewed", "incident")
POLICE_LINK = "urn:mamori:link:npa"


def may_see_incidents(user: Any) -> bool:
    """Return whether ``user`` may see incidents at all (the officer's capability)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_capability(
        Capability.INCIDENTS_MANAGE
    )


def register_need_to_know() -> None:
    """Put every incident model under need-to-know (see ``mamori.core.access``)."""
    from mamori.audit.services import audit_record_object
    from mamori.core.access import need_to_know_register

    for model in (Incident, IncidentEvidence, ContainmentStep, Consultation, ResponseDecision):
        need_to_know_register(
            model,
            visible=lambda user, obj: may_see_incidents(user),
            visible_pks=lambda user: None if may_see_incidents(user) else set(),
            read=lambda user, obj: audit_record_object(obj),
        )
    # A concern: the officer and its reporter; each showing of one is recorded too.
    need_to_know_register(
        ConcernReport,
        visible=lambda user, concern: (
            may_see_incidents(user) or concern.reported_by_id == getattr(user, "pk", None)
        ),
        visible_pks=lambda user: (
            None
            if may_see_incidents(user)
            else set(ConcernReport.objects.filter(reported_by=user).values_list("pk", flat=True))
        ),
        read=lambda user, concern: audit_record_object(concern),
    )


def contained_on(incident: Incident) -> datetime.date | None:
    """Return the day of the incident's first containment step, or ``None``."""
    return getattr(incident, "first_containment", None)


def _annotated() -> QuerySet[Incident]:
    return Incident.objects.annotate(
        first_containment=Min("containment__done_on"),
        evidence_count=Count("evidence", distinct=True),
        response_count=Count("responses", distinct=True),
    )


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    contained_on: datetime.date | None
    containment_due: datetime.date
    overdue: bool


def containment_due(incident: Incident, days: int) -> datetime.date:
    """Return the last day for the first containment step under the company's policy."""
    return incident.found_on + datetime.timedelta(days=days)


def _row(incident: Incident, *, today: datetime.date, days: int) -> IncidentRow:
    due = containment_due(incident, days)
    first = incident.first_containment
    return IncidentRow(
        incident=incident,
        contained_on=first,
        containment_due=due,
        overdue=first is None and incident.closed_on is None and due < today,
    )


def incident_register(
    *, today: datetime.date, days: int, status: str = "", kind: str = "", query: str = ""
) -> list[IncidentRow]:
    """Return the incidents (filtered), newest first, with their containment deadline."""
    rows = _annotated()
    if status == "open":
        rows = rows.filter(closed_on__isnull=True)
    elif status == "closed":
        rows = rows.filter(closed_on__isnull=False)
    elif status == "not_contained":
        rows = rows.filter(closed_on__isnull=True, containment__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return [
        _row(incident, today=today, days=days) for incident in rows.order_by("-found_on", "-pk")
    ]


def incident_detail(pk: Any, *, today: datetime.date, days: int) -> IncidentRow | None:
    """Return the incident with everything recorded about it, or ``None``."""
    incident = (
        _annotated()
        .select_related("counterparty")
        .prefetch_related(
            "persons",
            "assets",
            Prefetch("concerns", ConcernReport.objects.select_related("reported_by")),
        )
        .filter(pk=pk)
        .first()
    )
    return _row(incident, today=today, days=days) if incident is not None else None


@dataclass(frozen=True)
class ConsultationRow:
    """A consultation with the contact as the catalog prints it (its number is the catalog's)."""

    consultation: Consultation
    contact: Any  # catalog Contact or None
    police_link: Any  # catalog Link for the police, or None


def consultation_rows(incident: Incident) -> list[ConsultationRow]:
    catalog = get_catalog()
    contacts = {contact.id: contact for contact in catalog.contacts}
    police = next((link for link in catalog.links if link.id == POLICE_LINK), None)
    return [
        ConsultationRow(
            consultation=consultation,
            contact=contacts.get(consultation.contact_id),
            police_link=police if consultation.contact_id == "police" else None,
        )
        for consultation in incident.consultations.order_by("consulted_on", "pk")
    ]


def handbook_contacts() -> list[Any]:
    """Return the consultation contacts the handbook prints (INPIT first, then the bureaus)."""
    contacts = list(get_catalog().contacts)
    return sorted(contacts, key=lambda contact: contact.kind != "inpit")


def police_link() -> Any:
    return next((link for link in get_catalog().links if link.id == POLICE_LINK), None)


def incidents_not_contained(*, today: datetime.date, days: int) -> QuerySet[Incident]:
    """Return the open incidents found more than ``days`` ago with no containment step."""
    cutoff = today - datetime.timedelta(days=days)
    return (
        Incident.objects.filter(closed_on__isnull=True, found_on__lt=cutoff)
        .exclude(Exists(ContainmentStep.objects.filter(incident=OuterRef("pk"))))
        .order_by("found_on", "pk")
    )


# --- concerns ----------------------------------------------------------------------------------


def concern_queue(*, status: str = "", kind: str = "") -> QuerySet[ConcernReport]:
    """Return every concern reported (the officer's queue), unreviewed first."""
    rows = ConcernReport.objects.select_related("reported_by", "exhibition", "incident")
    if status == "new":
        rows = rows.filter(reviewed_on__isnull=True, incident__isnull=True)
    elif status == "reviewed":
        rows = rows.filter(reviewed_on__isnull=False, incident__isnull=True)
    elif status == "incident":
        rows = rows.filter(incident__isnull=False)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("reviewed_on", "-created_at", "-pk")


def concerns_of(user: Any) -> QuerySet[ConcernReport]:
    """Return the concerns ``user`` reported, newest first (reporters see only their own)."""
    return (
        ConcernReport.objects.filter(reported_by=user)
        .select_related("exhibition")
        .order_by("-created_at", "-pk")
    )


def concern_for(pk: Any, user: Any) -> ConcernReport | None:
    """Return concern ``pk`` if ``user`` may see it: the officer any, others their own."""
    rows = ConcernReport.objects.select_related("reported_by", "exhibition", "incident")
    if not may_see_incidents(user):
        rows = rows.filter(reported_by=user)
    return rows.filter(pk=pk).first()


def concerns_waiting() -> int:
    return ConcernReport.objects.filter(reviewed_on__isnull=True, incident__isnull=True).count()
