"""The incident and concern pages: the officer alone sees incidents and every showing is
audited; anyone reports a concern and sees only their own; the officer works the queue."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.accounts.roles import Role
from mamori.audit.models import Action, AuditEntry
from mamori.incidents.models import ConcernKind, ConcernReport, Incident
from tests.incidents import factories as make

pytestmark = pytest.mark.django_db


def _views_of(incident: Incident) -> int:
    return AuditEntry.objects.filter(
        object_type="incidents.incident", object_id=str(incident.pk), action=Action.VIEW
    ).count()


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.EMPLOYEE, Role.AUDITOR])
def test_only_the_officer_sees_incidents(client_as, make_user, role):
    incident = make.incident()
    client = client_as(make_user(role))
    for url in (
        "/incidents/",
        "/incidents/new/",
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/edit/",
        "/incidents/concerns/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/incidents/{incident.pk}/", {"action": "close"}).status_code == 403
    assert _views_of(incident) == 0


def test_every_showing_of_an_incident_is_audited(client_as, officer):
    incident = make.incident("顧客リストの私用メール送信")
    client = client_as(officer)
    assert "顧客リストの私用メール送信" in client.get("/incidents/").content.decode()
    for _ in range(2):
        page = client.get(f"/incidents/{incident.pk}/").content.decode()
        assert "顧客リストの私用メール送信" in page
    assert _views_of(incident) == 2


def test_the_officer_records_an_incident_and_its_steps(client_as, officer):
    client = client_as(officer)
    response = client.post(
        "/incidents/new/",
        {
            "title": "試作品の写真がSNSに投稿された",
            "kind": "rule_violation",
            "description": "社員が試作品の写真を投稿",
            "found_on": make.today().isoformat(),
            "found_by": "広報 山本",
            "handled_by": "責任者 佐藤",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == f"/incidents/{incident.pk}/"
    response = client.post(
        f"/incidents/{incident.pk}/",
        {
            "action": "containment",
            "kind": "other",
            "done_on": make.today().isoformat(),
            "done_by": "広報 山本",
            "note": "投稿を削除",
        },
    )
    assert response.status_code == 302 and incident.containment.count() == 1
    # A bad date comes back on the form, in the user's language; nothing is written.
    response = client.post(
        f"/incidents/{incident.pk}/",
        {
            "action": "response",
            "kind": "warning",
            "decided_on": "2020-01-01",
            "decided_by": "佐藤",
            "owner": "佐藤",
            "reason": "注意",
        },
    )
    assert response.status_code == 400 and not incident.responses.exists()
    response = client.post(
        f"/incidents/{incident.pk}/",
        {
            "action": "evidence",
            "file": SimpleUploadedFile("投稿.png", b"\x89PNG..."),
            "preserved_on": make.today().isoformat(),
            "preserved_by": "広報 山本",
        },
    )
    assert response.status_code == 302
    evidence = incident.evidence.get()
    download = client.get(f"/incidents/evidence/{evidence.pk}/download/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/octet-stream"
    assert AuditEntry.objects.filter(
        object_type="incidents.incidentevidence", action=Action.EXPORT
    ).exists()


def test_consultation_form_offers_the_catalogs_contacts_with_their_numbers(client_as, officer):
    incident = make.incident()
    page = client_as(officer).get(f"/incidents/{incident.pk}/").content.decode()
    assert "03-3581-1101(内線3823)" in page  # INPIT, as the catalog prints it
    assert "urn:mamori:contact:kanto" in page


@pytest.mark.parametrize("role", list(Role))
def test_anyone_reports_a_concern_and_sees_only_their_own(client_as, make_user, role):
    reporter, other = make_user(role), make_user(Role.EMPLOYEE)
    theirs = make.concern(other, description="他人の相談")
    client = client_as(reporter)
    assert "incidents/concerns/report/" in client.get("/people/me/").content.decode()
    response = client.post(
        "/incidents/concerns/report/",
        {
            "kind": ConcernKind.PRIVATE_CONTACT,
            "occurred_on": make.today().isoformat(),
            "description": "個人のLINEを教えてほしいと言われた",
        },
    )
    assert response.status_code == 302
    mine = ConcernReport.objects.get(reported_by=reporter)
    listing = client.get("/incidents/concerns/mine/").content.decode()
    assert f'data-concern="{mine.pk}"' in listing and f'data-concern="{theirs.pk}"' not in listing
    assert client.get(f"/incidents/concerns/{mine.pk}/").status_code == 200
    expected = 200 if role == Role.OFFICER else 404
    assert client.get(f"/incidents/concerns/{theirs.pk}/").status_code == expected


def test_a_reporter_cannot_review_or_escalate_their_own_concern(client_as, employee):
    concern = make.concern(employee)
    client = client_as(employee)
    for action in ("review", "escalate"):
        response = client.post(
            f"/incidents/concerns/{concern.pk}/", {"action": action, "handled_by": "x"}
        )
        assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.incident is None and concern.reviewed_on is None


def test_the_officer_turns_a_concern_into_an_incident(client_as, officer, employee):
    concern = make.concern(employee)
    client = client_as(officer)
    assert f'data-concern="{concern.pk}"' in client.get("/incidents/concerns/").content.decode()
    response = client.post(
        f"/incidents/concerns/{concern.pk}/", {"action": "escalate", "handled_by": "責任者 佐藤"}
    )
    concern.refresh_from_db()
    assert concern.incident is not None
    assert response.status_code == 302 and response.url == f"/incidents/{concern.incident.pk}/"
    # The reporter learns it is being handled, not the incident's details.
    page = client_as(employee).get(f"/incidents/concerns/{concern.pk}/").content.decode()
    assert f"/incidents/{concern.incident.pk}/" not in page


def test_the_audit_log_hides_an_incidents_values_from_all_but_the_officer(
    client_as, officer, auditor
):
    make.incident("競合への図面送付の疑い")
    assert "競合への図面送付の疑い" not in client_as(auditor).get("/audit/").content.decode()
    assert "競合への図面送付の疑い" in client_as(officer).get("/audit/").content.decode()


def test_the_audit_log_hides_a_concerns_values_from_other_readers(
    client_as, officer, auditor, employee
):
    concern = make.concern(employee, description="採用担当者から焼成温度を聞かれた")
    assert "焼成温度" not in client_as(auditor).get("/audit/").content.decode()
    assert "焼成温度" in client_as(officer).get("/audit/").content.decode()
    client_as(employee).get(f"/incidents/concerns/{concern.pk}/")
    assert AuditEntry.objects.filter(
        object_type="incidents.concernreport", object_id=str(concern.pk), action=Action.VIEW
    ).exists()


def test_the_officers_forms_open_with_the_registers_choices(client_as, officer):
    from tests.sites import factories as outreach

    incident = make.incident(persons=[outreach.person("山本 翔太")])
    client = client_as(officer)
    assert "山本 翔太" in client.get("/incidents/new/").content.decode()
    edit = client.get(f"/incidents/{incident.pk}/edit/").content.decode()
    assert "selected" in edit and incident.title in edit
    assert client.get("/incidents/concerns/report/").status_code == 200
