"""The incident API: the officer alone, the details audited on each read; anyone reports a
concern through /api/me/concerns/ and lists only their own."""

from __future__ import annotations

import pytest

from mamori.accounts.roles import Role
from mamori.audit.models import Action, AuditEntry
from tests.incidents import factories as make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR, Role.EMPLOYEE])
def test_only_the_officer_reads_incidents(api, make_user, role):
    incident = make.incident()
    client = api(make_user(role))
    for path in ("/api/incidents/", f"/api/incidents/{incident.pk}/", "/api/concerns/"):
        assert client.get(path).status_code == 403, path


def test_the_list_holds_no_details_and_each_detail_read_is_audited(api, officer):
    incident = make.incident("設計図面の持出し")
    make.contain(incident)
    client = api(officer)
    listing = client.get("/api/incidents/").json()
    [row] = listing["results"]
    assert "title" not in row and row["contained_on"] == incident.found_on.isoformat()
    detail = client.get(f"/api/incidents/{incident.pk}/").json()
    assert (
        detail["title"] == "設計図面の持出し"
        and detail["containment"][0]["kind"] == "access_revoked"
    )
    assert (
        AuditEntry.objects.filter(
            object_type="incidents.incident", object_id=str(incident.pk), action=Action.VIEW
        ).count()
        == 1
    )


def test_an_employee_reports_and_lists_only_their_own(api, employee, make_user):
    make.concern(make_user(Role.EMPLOYEE), description="他人の相談")
    client = api(employee)
    response = client.post_json(
        "/api/me/concerns/",
        {
            "kind": "recruiter_or_investor",
            "occurred_on": make.today().isoformat(),
            "description": "投資家を名乗る人物から製造条件を聞かれた",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["seen_by_officer"] is False
    [mine] = client.get("/api/me/concerns/").json()["results"]
    assert mine["description"].startswith("投資家")
    bad = client.post_json(
        "/api/me/concerns/", {"kind": "other", "occurred_on": "2999-01-01", "description": "x"}
    )
    assert bad.status_code == 400 and "occurred_on" in bad.content.decode()
