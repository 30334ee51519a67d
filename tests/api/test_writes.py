"""Writes through the API go through the apps' services: their rules answer 400 naming the
field, and every change reaches the audit log attributed to the token's owner."""

from __future__ import annotations

import pytest

from mamori.audit.models import Action, AuditEntry
from mamori.catalog.selectors import get_catalog
from mamori.contracts.models import Contract
from mamori.partners.models import Counterparty
from mamori.people.models import Department, EventKind, Person, TrainingRecord
from tests.assets import factories as make

pytestmark = pytest.mark.django_db


def created_by(model_label: str, pk: int):
    return AuditEntry.objects.get(action=Action.CREATE, object_type=model_label, object_id=str(pk))


def test_register_a_person_with_the_joining_event(api, editor):
    department = Department.objects.create(name="研究開発部")
    response = api(editor).post_json(
        "/api/people/",
        {
            "name": "山田 太郎",
            "name_kana": "やまだ たろう",
            "employee_number": "E-0101",
            "kind": "employee",
            "department": department.pk,
            "joined_on": "2026-04-01",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["department"] == {"id": department.pk, "name": "研究開発部"}
    assert data["status"] == "active" and data["active_grants"] == 0
    person = Person.objects.get(pk=data["id"])
    assert person.events.get().kind == EventKind.JOINED
    assert created_by("people.person", person.pk).actor == editor


def test_a_taken_employee_number_names_the_other_person(api, editor):
    make.person("先輩 一郎", employee_number="E-0001")
    response = api(editor).post_json(
        "/api/people/", {"name": "新人", "kind": "employee", "employee_number": "E-0001"}
    )
    assert response.status_code == 400
    assert "先輩 一郎" in response.json()["employee_number"][0]
    assert Person.objects.count() == 1


def test_a_move_to_another_department_is_a_transfer(api, editor):
    first = Department.objects.create(name="研究開発部")
    second = Department.objects.create(name="製造部")
    person = make.person("山田 太郎", department=first)
    client = api(editor)
    refused = client.patch_json(f"/api/people/{person.pk}/", {"department": second.pk})
    assert refused.status_code == 400 and "department" in refused.json()
    changed = client.patch_json(f"/api/people/{person.pk}/", {"title": "主任研究員"})
    assert changed.status_code == 200 and changed.json()["title"] == "主任研究員"
    assert changed.json()["department"]["id"] == first.pk


def test_record_a_training(api, editor):
    person = make.person("山田 太郎")
    response = api(editor).post_json(
        "/api/trainings/",
        {
            "person": person.pk,
            "course": "営業秘密の基礎",
            "tier": "all_staff",
            "completed_on": "2026-05-01",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"] == {"id": person.pk, "name": "山田 太郎"}
    assert TrainingRecord.objects.get().course == "営業秘密の基礎"


def test_counterparty_rules_apply(api, editor):
    client = api(editor)
    response = client.post_json(
        "/api/counterparties/", {"name": " Nordlicht GmbH ", "kind": "customer", "country": "DE"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "DE"
    lower = client.post_json(
        "/api/counterparties/", {"name": "x", "kind": "customer", "country": "de"}
    )
    assert lower.status_code == 400 and "country" in lower.json()
    pk = response.json()["id"]
    future = client.patch_json(f"/api/counterparties/{pk}/", {"established_on": "2999-01-01"})
    assert future.status_code == 400 and "established_on" in future.json()
    detail = client.get(f"/api/counterparties/{pk}/").json()
    assert detail["shareholders"] == [] and detail["due_diligences"] == []
    assert Counterparty.objects.get().established_on is None


def test_contract_with_its_clauses(api, editor):
    party = Counterparty.objects.create(name="東都大学", kind="university")
    asset = make.asset("評価データ")
    clause_ids = [clause.id for clause in get_catalog().required_clauses("nda")][:2]
    client = api(editor)
    response = client.post_json(
        "/api/contracts/",
        {
            "title": "秘密保持契約",
            "kind": "nda",
            "counterparty": party.pk,
            "signed_on": "2026-01-10",
            "ends_on": "2027-01-09",
            "scope": [asset.pk],
            "clauses": {clause_ids[0]: "第3条", clause_ids[1]: ""},
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert {row["clause"] for row in data["clauses"]} == set(clause_ids)
    assert data["scope"] == [{"id": asset.pk, "name": "評価データ"}]
    assert data["status"] in {"in_force", "expiring"}
    contract = Contract.objects.get()
    bad_dates = client.patch_json(f"/api/contracts/{contract.pk}/", {"ends_on": "2025-01-01"})
    assert bad_dates.status_code == 400 and "ends_on" in bad_dates.json()
    unknown = client.patch_json(f"/api/contracts/{contract.pk}/", {"clauses": {"urn:nope": ""}})
    assert unknown.status_code == 400 and "clauses" in unknown.json()
    assert contract.clauses.count() == 2  # the refused change wrote nothing


def test_a_body_that_is_not_json_is_refused(api, editor):
    response = api(editor).post("/api/people/", "name=x", content_type="text/plain")
    assert response.status_code == 415
    broken = api(editor).post("/api/people/", "{", content_type="application/json")
    assert broken.status_code == 400
