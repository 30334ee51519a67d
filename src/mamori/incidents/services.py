"""Writes of the incident register (STEP 3-2) and of the concern reports.

The handbook: 「技術流出時に不正競争防止法に基づく毅然とした対応を講じることは、取引先や株主等
からの信頼向上につながります。」 An incident records what happened, the evidence preserved
(files with their SHA-256 digest), the containment steps, the consultations (the contacts
the handbook prints, taken from the catalog) and the response decided, each with its date
and owner. Anyone may report a concern; the officer reviews it or makes it an incident.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.assets.models import InformationAsset
from mamori.company.models import Company
from mamori.core.errors import ApplicationError
from mamori.core.uploads import save_with_file, upload_check, upload_sha256
from mamori.core.validation import validate_instance, validated_save
from mamori.disclosures.models import Exhibition
from mamori.incidents.models import (
    ConcernKind,
    ConcernReport,
    Consultation,
    ContainmentStep,
    Incident,
    IncidentEvidence,
    IncidentKind,
    ResponseDecision,
    ResponseKind,
)
from mamori.partners.models import Counterparty
from mamori.people.models import Person

DEFAULT_CONTAINMENT_DAYS = 3  # mamori's own default; the handbook sets no number
POLICE = "police"  # a consultation with the police (the handbook prints no number for them)

IN_FUTURE = gettext_lazy("The date is in the future: record what has happened.")
BEFORE_FOUND = gettext_lazy("The date is before the incident was found.")
CLOSED_BEFORE_FOUND = gettext_lazy("The incident cannot be closed before it was found.")
CLOSING_NEEDS_NOTE = gettext_lazy("Say how the incident ended when you close it.")
CLOSED_WITHOUT_RESPONSE = gettext_lazy(
    "Record the response decided (a warning, disciplinary action, a claim, or no action with "
    "the reason) before closing the incident."
)
INCIDENT_CLOSED = gettext_lazy("The incident is closed; reopen it to record more.")
CONTACT_UNKNOWN = gettext_lazy(
    "Choose a contact the handbook prints, the police, or name another body."
)
ORGANISATION_NEEDED = gettext_lazy("Name the body consulted (e.g. the police station, a law firm).")
NO_ACTION_NEEDS_REASON = gettext_lazy("Say why no action is taken.")
OTHER_STEP_NEEDS_NOTE = gettext_lazy("Describe the step taken.")
CONCERN_ALREADY_INCIDENT = gettext_lazy("This concern has already become an incident.")
EXHIBITION_DATES = gettext_lazy(
    "The date is outside the exhibition (%(start)s to %(end)s): check the date or the exhibition."
)


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(IN_FUTURE, field=field)


def containment_days() -> int:
    """Return the company's allowance for containing an incident (mamori's default: 3)."""
    company = Company.objects.first()
    return company.incident_containment_days if company is not None else DEFAULT_CONTAINMENT_DAYS


def _open(incident: Incident) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.closed_on is not None:
        raise ApplicationError(INCIDENT_CLOSED)
    return incident


def _after_found(incident: Incident, day: datetime.date, field: str) -> None:
    _not_in_future(day, field)
    if day < incident.found_on:
        raise ApplicationError(BEFORE_FOUND, field=field)


@transaction.atomic
def incident_save(
    *,
    incident: Incident | None = None,
    title: str,
    kind: str,
    description: str,
    found_on: datetime.date,
    found_by: str,
    handled_by: str,
    persons: Iterable[Person] = (),
    others_involved: str = "",
    counterparty: Counterparty | None = None,
    assets: Iterable[InformationAsset] = (),
) -> Incident:
    """Record (or correct) an incident: what, when found, by whom, who and what is involved.

    Raise ``ApplicationError`` for a date in the future, an empty required text, or a found
    date after a step already recorded.
    """
    _not_in_future(found_on, "found_on")
    if incident is not None:
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        earliest = [
            *incident.containment.values_list("done_on", flat=True),
            *incident.consultations.values_list("consulted_on", flat=True),
            *incident.responses.values_list("decided_on", flat=True),
        ]
        if earliest and min(earliest) < found_on:
            raise ApplicationError(
                gettext_lazy(
                    "A step is recorded before this date; the incident was found earlier."
                ),
                field="found_on",
            )
    else:
        incident = Incident()
    incident.title = title.strip()
    incident.kind = kind
    incident.description = description.strip()
    incident.found_on = found_on
    incident.found_by = found_by.strip()
    incident.handled_by = handled_by.strip()
    incident.others_involved = others_involved.strip()
    incident.counterparty = counterparty
    validated_save(incident)
    incident.persons.set(list(persons))
    incident.assets.set(list(assets))
    return incident


@transaction.atomic
def incident_evidence_add(
    *,
    incident: Incident,
    upload: UploadedFile,
    title: str = "",
    preserved_on: datetime.date,
    preserved_by: str,
) -> IncidentEvidence:
    """Store a file as evidence with its SHA-256 digest and size.

    The file is kept as it came, never opened or parsed, and served back only as a
    download. Raise ``ApplicationError`` when it is empty or over the upload limit, or the
    date is in the future or before the incident was found; nothing is stored then.
    """
    incident = _open(incident)
    name = upload_check(upload)
    _after_found(incident, preserved_on, "preserved_on")
    evidence = IncidentEvidence(
        incident=incident,
        title=(title.strip() or name)[:200],
        preserved_on=preserved_on,
        preserved_by=preserved_by.strip(),
        original_name=name,
        size=upload.size,
        sha256=upload_sha256(upload),
    )
    validate_instance(evidence, exclude=["file"])
    return save_with_file(evidence, evidence.file, name, upload)


def evidence_intact(evidence: IncidentEvidence) -> bool:
    """Return whether the stored file still has the digest taken when it was preserved."""
    digest = hashlib.sha256()
    try:
        with evidence.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == evidence.sha256


@transaction.atomic
def containment_record(
    *, incident: Incident, kind: str, done_on: datetime.date, done_by: str, note: str = ""
) -> ContainmentStep:
    """Record a containment step (access revoked, partner notified, devices secured...).

    Raise ``ApplicationError`` for a date in the future or before the incident was found,
    or an "other" step without its description.
    """
    incident = _open(incident)
    _after_found(incident, done_on, "done_on")
    if kind == "other" and not note.strip():
        raise ApplicationError(OTHER_STEP_NEEDS_NOTE, field="note")
    step = ContainmentStep(
        incident=incident, kind=kind, done_on=done_on, done_by=done_by.strip(), note=note.strip()
    )
    return validated_save(step)


def contact_choices() -> list[tuple[str, str]]:
    """Return the consultation choices: the handbook's contacts (ids from the catalog), then
    the police and another body."""
    from mamori.incidents.selectors import handbook_contacts

    return [(contact.id, contact.organisation.ja) for contact in handbook_contacts()] + [
        (POLICE, "警察"),
        ("", "その他"),
    ]


@transaction.atomic
def consultation_record(
    *,
    incident: Incident,
    contact_id: str = "",
    organisation: str = "",
    consulted_on: datetime.date,
    consulted_by: str,
    advice: str = "",
) -> Consultation:
    """Record a consultation with a handbook contact (by catalog id), the police or another
    named body.

    Raise ``ApplicationError`` for an unknown contact id, another body without its name, or
    a date in the future or before the incident was found.
    """
    from mamori.incidents.selectors import handbook_contacts

    incident = _open(incident)
    contact_id, organisation = contact_id.strip(), organisation.strip()
    known = {contact.id for contact in handbook_contacts()} | {POLICE}
    if contact_id and contact_id not in known:
        raise ApplicationError(CONTACT_UNKNOWN, field="contact_id")
    if not contact_id and not organisation:
        raise ApplicationError(ORGANISATION_NEEDED, field="organisation")
    _after_found(incident, consulted_on, "consulted_on")
    consultation = Consultation(
        incident=incident,
        contact_id=contact_id,
        organisation=organisation,
        consulted_on=consulted_on,
        consulted_by=consulted_by.strip(),
        advice=advice.strip(),
    )
    return validated_save(consultation)


@transaction.atomic
def response_decide(
    *,
    incident: Incident,
    kind: str,
    decided_on: datetime.date,
    decided_by: str,
    owner: str,
    reason: str,
) -> ResponseDecision:
    """Record the response decided: a warning, disciplinary action, a claim for an injunction
    or damages under 不正競争防止法, a criminal complaint, or no action.

    Raise ``ApplicationError`` for a date in the future or before the incident was found, or
    an empty reason.
    """
    incident = _open(incident)
    _after_found(incident, decided_on, "decided_on")
    if not reason.strip():
        raise ApplicationError(
            NO_ACTION_NEEDS_REASON
            if kind == ResponseKind.NO_ACTION
            else gettext_lazy("Say why this response was chosen."),
            field="reason",
        )
    decision = ResponseDecision(
        incident=incident,
        kind=kind,
        decided_on=decided_on,
        decided_by=decided_by.strip(),
        owner=owner.strip(),
        reason=reason.strip(),
    )
    return validated_save(decision)


@transaction.atomic
def incident_close(*, incident: Incident, closed_on: datetime.date, closing_note: str) -> Incident:
    """Close an incident once a response is decided.

    Raise ``ApplicationError`` when no response is recorded, the date is in the future or
    before the incident was found, or the note is empty.
    """
    incident = _open(incident)
    _not_in_future(closed_on, "closed_on")
    if closed_on < incident.found_on:
        raise ApplicationError(CLOSED_BEFORE_FOUND, field="closed_on")
    if not incident.responses.exists():
        raise ApplicationError(CLOSED_WITHOUT_RESPONSE, field="closed_on")
    if not closing_note.strip():
        raise ApplicationError(CLOSING_NEEDS_NOTE, field="closing_note")
    incident.closed_on = closed_on
    incident.closing_note = closing_note.strip()
    incident.save()
    return incident


@transaction.atomic
def incident_reopen(*, incident: Incident) -> Incident:
    """Reopen a closed incident (new facts came to light); its closing note is kept."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    incident.closed_on = None
    incident.save()
    return incident


# --- concerns ----------------------------------------------------------------------------------


@transaction.atomic
def concern_report(
    *,
    reported_by: Any,
    kind: str,
    occurred_on: datetime.date,
    description: str,
    who: str = "",
    exhibition: Exhibition | None = None,
) -> ConcernReport:
    """Record a concern reported by any user; it goes to the officer's queue.

    Raise ``ApplicationError`` for a date in the future, an empty description, or a date
    outside the exhibition named.
    """
    _not_in_future(occurred_on, "occurred_on")
    if exhibition is not None and not (exhibition.starts_on <= occurred_on <= exhibition.ends_on):
        raise ApplicationError(
            EXHIBITION_DATES % {"start": exhibition.starts_on, "end": exhibition.ends_on},
            field="occurred_on",
        )
    concern = ConcernReport(
        reported_by=reported_by,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip(),
        who=who.strip(),
        exhibition=exhibition,
    )
    return validated_save(concern)


@transaction.atomic
def concern_review(
    *, concern: ConcernReport, reviewed_on: datetime.date, review_note: str
) -> ConcernReport:
    """Record the officer's review of a concern (no incident needed, or what was done).

    Raise ``ApplicationError`` for a date in the future or before the report, or an empty note.
    """
    concern = ConcernReport.objects.select_for_update().get(pk=concern.pk)
    _not_in_future(reviewed_on, "reviewed_on")
    if reviewed_on < concern.occurred_on:
        raise ApplicationError(
            gettext_lazy("The review date is before what was reported happened."),
            field="reviewed_on",
        )
    if not review_note.strip():
        raise ApplicationError(gettext_lazy("Say what the review concluded."), field="review_note")
    concern.reviewed_on = reviewed_on
    concern.review_note = review_note.strip()
    concern.save()
    return concern


KIND_FOR_CONCERN = {
    ConcernKind.EXHIBITION_APPROACH: IncidentKind.SUSPECTED_LEAK,
    ConcernKind.RECRUITER_OR_INVESTOR: IncidentKind.SUSPECTED_LEAK,
    ConcernKind.TECHNICAL_QUESTION: IncidentKind.SUSPECTED_LEAK,
    ConcernKind.PRIVATE_CONTACT: IncidentKind.SUSPECTED_LEAK,
    ConcernKind.OTHER: IncidentKind.OTHER,
}


@transaction.atomic
def concern_escalate(
    *, concern: ConcernReport, handled_by: str, found_on: datetime.date | None = None
) -> Incident:
    """Turn a concern into an incident (found the day it was reported) and link them.

    Raise ``ApplicationError`` when the concern is already an incident.
    """
    concern = ConcernReport.objects.select_for_update().get(pk=concern.pk)
    if concern.incident_id is not None:
        raise ApplicationError(CONCERN_ALREADY_INCIDENT)
    reporter = concern.reported_by
    incident = incident_save(
        title=f"{concern.get_kind_display()}（{concern.occurred_on:%Y-%m-%d}）"[:200],
        kind=KIND_FOR_CONCERN.get(concern.kind, IncidentKind.OTHER),
        description=concern.description,
        found_on=found_on or timezone.localtime(concern.created_at).date(),
        found_by=str(reporter),
        handled_by=handled_by,
        others_involved=concern.who,
    )
    concern.incident = incident
    if concern.reviewed_on is None:
        concern.reviewed_on = timezone.localdate()
    concern.save()
    return incident
