"""The incident register's writes: dates and owners checked, evidence kept with its digest,
consultations only with contacts the catalog prints, closing only after a response; and
concerns reported by anyone, escalated by the officer."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError
from mamori.incidents import selectors, services
from mamori.incidents.models import (
    ConcernReport,
    Incident,
    IncidentEvidence,
    ResponseKind,
)
from tests.incidents import factories as make

pytestmark = pytest.mark.django_db
INPIT = "urn:mamori:contact:inpit"


def test_an_incident_found_in_the_future_is_refused():
    with pytest.raises(ApplicationError) as error:
        make.incident(found_on=make.days_ago(-1))
    assert error.value.field == "found_on"
    assert not Incident.objects.exists()


def test_steps_cannot_predate_the_finding():
    incident = make.incident(found_on=make.days_ago(5))
    with pytest.raises(ApplicationError) as error:
        make.contain(incident, done_on=make.days_ago(6))
    assert error.value.field == "done_on"
    make.contain(incident, done_on=make.days_ago(4))
    with pytest.raises(ApplicationError) as error:
        services.incident_save(
            incident=incident,
            title=incident.title,
            kind=incident.kind,
            description=incident.description,
            found_on=make.days_ago(3),  # after the step already recorded
            found_by=incident.found_by,
            handled_by=incident.handled_by,
        )
    assert error.value.field == "found_on"


def test_an_other_containment_step_needs_its_description():
    with pytest.raises(ApplicationError) as error:
        make.contain(make.incident(), kind="other", note=" ")
    assert error.value.field == "note"


def test_evidence_is_stored_under_its_digest_as_it_came(settings):
    incident = make.incident()
    content = b"2026-12-01 10:02 download /design/*.dwg"
    evidence = services.incident_evidence_add(
        incident=incident,
        upload=SimpleUploadedFile("../../ログ.csv", content),
        preserved_on=make.today(),
        preserved_by="情報システム担当 田中",
    )
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content) and evidence.original_name == "ログ.csv"
    assert evidence.file.name == f"incidents/{evidence.sha256[:2]}/{evidence.sha256}"
    assert services.evidence_intact(evidence)


def test_empty_and_oversized_evidence_is_refused_and_nothing_stored(settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 10
    incident = make.incident()
    for upload in (SimpleUploadedFile("空.txt", b""), SimpleUploadedFile("大.bin", b"x" * 11)):
        with pytest.raises(ApplicationError):
            services.incident_evidence_add(
                incident=incident, upload=upload, preserved_on=make.today(), preserved_by="田中"
            )
    assert not IncidentEvidence.objects.exists()


def test_consultation_takes_the_contact_from_the_catalog():
    incident = make.incident()
    consultation = services.consultation_record(
        incident=incident, contact_id=INPIT, consulted_on=make.today(), consulted_by="佐藤"
    )
    [row] = selectors.consultation_rows(incident)
    inpit = next(contact for contact in get_catalog().contacts if contact.id == INPIT)
    assert row.consultation == consultation and row.contact.phone_printed == inpit.phone_printed
    with pytest.raises(ApplicationError) as error:
        services.consultation_record(
            incident=incident,
            contact_id="urn:mamori:contact:nowhere",
            consulted_on=make.today(),
            consulted_by="佐藤",
        )
    assert error.value.field == "contact_id"
    with pytest.raises(ApplicationError) as error:
        services.consultation_record(
            incident=incident, consulted_on=make.today(), consulted_by="佐藤"
        )
    assert error.value.field == "organisation"
    police = services.consultation_record(
        incident=incident,
        contact_id="police",
        organisation="警視庁 ○○警察署",
        consulted_on=make.today(),
        consulted_by="佐藤",
    )
    assert selectors.consultation_rows(incident)[1].police_link.id == "urn:mamori:link:npa"
    assert police.contact_id == "police"


def test_closing_needs_a_response_then_locks_the_incident():
    incident = make.incident()
    with pytest.raises(ApplicationError) as error:
        services.incident_close(incident=incident, closed_on=make.today(), closing_note="終結")
    assert "response" in str(error.value).lower() or "対応" in str(error.value)
    services.response_decide(
        incident=incident,
        kind=ResponseKind.INJUNCTION,
        decided_on=make.today(),
        decided_by="取締役会",
        owner="顧問弁護士",
        reason="図面の使用差止めを求める",
    )
    services.incident_close(incident=incident, closed_on=make.today(), closing_note="和解")
    with pytest.raises(ApplicationError):
        make.contain(incident)
    services.incident_reopen(incident=incident)
    make.contain(incident)


def test_a_response_needs_its_reason():
    with pytest.raises(ApplicationError) as error:
        services.response_decide(
            incident=make.incident(),
            kind=ResponseKind.NO_ACTION,
            decided_on=make.today(),
            decided_by="佐藤",
            owner="佐藤",
            reason="",
        )
    assert error.value.field == "reason"


def test_a_concern_becomes_an_incident_once(employee):
    concern = make.concern(employee, who="A社 採用担当を名乗る人物")
    incident = services.concern_escalate(concern=concern, handled_by="佐藤")
    concern.refresh_from_db()
    assert concern.incident == incident and concern.reviewed_on is not None
    assert incident.others_involved == "A社 採用担当を名乗る人物"
    with pytest.raises(ApplicationError):
        services.concern_escalate(concern=concern, handled_by="佐藤")


def test_a_concern_at_an_exhibition_must_fall_within_it(employee):
    from tests.sites import factories as outreach

    fair = outreach.exhibition(starts_on=make.days_ago(10))  # 10 to 8 days ago
    with pytest.raises(ApplicationError) as error:
        make.concern(employee, exhibition=fair, occurred_on=make.days_ago(1))
    assert error.value.field == "occurred_on"
    make.concern(employee, exhibition=fair, occurred_on=make.days_ago(9))
    assert ConcernReport.objects.count() == 1
