"""The API applies the pages' roles: employees reach only their own records (``/api/me/``),
declarations of others need DECLARATIONS_VIEW, codenames BLACKBOX_USE, writes
REGISTERS_EDIT — and a refusal is a 403, never a 500."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from mamori.accounts.roles import Role
from mamori.core.actor import acting_as
from mamori.people import services as people_services
from tests.assets import factories as make

pytestmark = pytest.mark.django_db


def _api_routes() -> list[tuple[str, str]]:
    (api,) = [r for r in get_resolver().url_patterns if getattr(r, "namespace", "") == "api"]
    routes = []
    for entry in api.url_patterns:
        assert isinstance(entry, URLPattern)
        routes.append((entry.name, "/api/" + str(entry.pattern).replace("<str:pk>", "1")))
    return routes


ROUTES = _api_routes()
OWN = {
    "schema",
    "docs",
    "me",
    "my_grants",
    "my_pledges",
    "my_trainings",
    "my_side_jobs",
    "my_foreign",
    "my_concerns",
    "my_rules",
}
PROGRAMME = [(name, path) for name, path in ROUTES if name not in OWN]


@pytest.fixture
def employee_person(employee):
    return make.person("高橋 由美", user=employee)


@pytest.mark.parametrize(("name", "path"), PROGRAMME, ids=[name for name, _ in PROGRAMME])
def test_employee_token_reaches_no_register(api, employee, name, path):
    client = api(employee)
    response = client.post_json(path, {}) if name == "grant_revoke" else client.get(path)
    assert response.status_code == 403, f"{path} answered {response.status_code}"
    assert response["Content-Type"] == "application/json"


def test_employee_reads_their_own_records(api, employee, employee_person):
    other = make.person("他の 社員")
    mine = make.asset("自分の資料")
    make.grant(employee_person, mine)
    make.grant(other, make.asset("他人の資料"))
    with acting_as(employee):
        people_services.side_job_declare(
            person=employee_person,
            organisation="週末の家業",
            activity="店番",
            overlaps_our_technology=False,
            declared_on=timezone.localdate(),
        )
        people_services.side_job_declare(
            person=other,
            organisation="競合他社の技術顧問",
            activity="助言",
            overlaps_our_technology=True,
            overlap_note="同じ分野の技術",
            declared_on=timezone.localdate(),
        )
    client = api(employee)
    me = client.get("/api/me/").json()
    assert me["person"]["name"] == "高橋 由美" and me["role"] == "employee"
    assert "programme.view" not in me["capabilities"]
    grants = client.get("/api/me/grants/").json()
    assert [row["asset"]["name"] for row in grants["results"]] == ["自分の資料"]
    side_jobs = client.get("/api/me/side-jobs/").json()
    assert [row["organisation"] for row in side_jobs["results"]] == ["週末の家業"]


def test_employee_cannot_read_another_persons_declarations(api, employee, employee_person):
    other = make.person("他の 社員")
    with acting_as(employee):
        declaration = people_services.foreign_declare(
            person=other,
            occasion="yearly",
            declared_on=timezone.localdate(),
            type1_foreign_contract=True,
            type2_foreign_benefit=False,
            type3_foreign_instruction=False,
            details="海外企業との顧問契約",
        )
    client = api(employee)
    for path in (
        "/api/foreign-declarations/",
        f"/api/foreign-declarations/{declaration.pk}/",
        f"/api/foreign-declarations/?person={other.pk}",
        "/api/side-jobs/",
        f"/api/people/{other.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "顧問契約" not in response.content.decode()
    assert client.get("/api/me/foreign-declarations/").json()["count"] == 0


def test_employee_cannot_read_a_secrets_details(api, employee, employee_person):
    asset = make.asset("焼成条件書", owner=make.person("所有者"))
    response = api(employee).get(f"/api/assets/{asset.pk}/")
    assert response.status_code == 403
    assert "焼成温度" not in response.content.decode()


def test_employee_without_a_register_entry_sees_empty_lists(api, employee):
    client = api(employee)
    assert client.get("/api/me/").json()["person"] is None
    assert client.get("/api/me/pledges/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.EDITOR, 403), (Role.EXECUTIVE, 200), (Role.AUDITOR, 200), (Role.OFFICER, 200)],
)
def test_declarations_of_others_need_declarations_view(api, make_user, role, status):
    user = make_user(role)
    assert api(user).get("/api/side-jobs/").status_code == status
    assert api(user).get("/api/foreign-declarations/").status_code == status


@pytest.mark.parametrize(("role", "status"), [(Role.AUDITOR, 403), (Role.EDITOR, 200)])
def test_codenames_need_blackbox_use(api, make_user, role, status):
    assert api(make_user(role)).get("/api/codename-terms/").status_code == status


@pytest.mark.parametrize(
    "path",
    [
        "/api/people/",
        "/api/technologies/",
        "/api/counterparties/",
        "/api/contracts/",
        "/api/trainings/",
    ],
)
def test_auditor_reads_but_does_not_write(api, auditor, path):
    client = api(auditor)
    assert client.get(path).status_code == 200
    assert client.post_json(path, {}).status_code == 403


def test_the_answer_is_in_the_users_language(api, make_user):
    english = make_user(Role.EMPLOYEE, language="en")
    response = api(english).get("/api/people/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this."
    japanese = make_user(Role.EMPLOYEE)
    assert api(japanese).get("/api/people/").json()["detail"] != "Your role does not allow this."


LISTS = [path for name, path in PROGRAMME if "/1/" not in path and name not in {"docs"}]


def test_the_officer_reaches_every_list(api, officer):
    client = api(officer)
    for path in LISTS:
        assert client.get(path).status_code == 200, path
