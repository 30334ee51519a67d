"""The register pages: who may see and change what, forms shown again with their errors,
declarations read only with DECLARATIONS_VIEW, and a flat query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.accounts.roles import Role
from mamori.people import services
from mamori.people.models import (
    ForeignInfluenceDeclaration,
    Person,
    Pledge,
    SideJobDeclaration,
    TrainingRecord,
)

pytestmark = pytest.mark.django_db

LIST = reverse("people:person_list")


def _person_url(person: Person) -> str:
    return reverse("people:person", kwargs={"pk": person.pk})


def _declarations(person: Person) -> None:
    services.side_job_declare(
        person=person,
        organisation="株式会社ヨソ電池",
        activity="週末の技術顧問",
        overlaps_our_technology=True,
        overlap_note="正極材の評価",
        declared_on=datetime.date(2026, 1, 10),
    )
    services.foreign_declare(
        person=person,
        occasion="yearly",
        declared_on=datetime.date(2026, 1, 10),
        type1_foreign_contract=False,
        type2_foreign_benefit=True,
        type3_foreign_instruction=False,
        details="海外政府系ファンドからの研究助成",
    )


# --- who may open the pages ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_programme_roles_read_the_list_and_a_person(client_as, make_user, make_person, role):
    person = make_person("高橋 花子")
    client = client_as(make_user(role))
    assert "高橋 花子" in client.get(LIST).content.decode()
    assert client.get(_person_url(person)).status_code == 200


def test_employee_cannot_open_the_list_or_anyone_s_page(client_as, employee, make_person):
    other = make_person("高橋 花子")
    own = make_person("社員 本人", user=employee)
    client = client_as(employee)
    assert client.get(LIST).status_code == 403
    assert client.get(_person_url(other)).status_code == 403
    assert client.get(_person_url(own)).status_code == 403
    assert client.get(reverse("people:person_create")).status_code == 403
    assert client.get(reverse("people:person_import")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, make_person):
    person = make_person()
    for url in (LIST, _person_url(person), reverse("people:me"), reverse("people:person_import")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_auditor_reads_but_cannot_write(client_as, auditor, make_person):
    person = make_person()
    client = client_as(auditor)
    page = client.get(_person_url(person)).content.decode()
    assert 'name="action"' not in page
    response = client.post(
        _person_url(person),
        {"action": "training", "course": "研修", "tier": "all_staff", "completed_on": "2026-01-10"},
    )
    assert response.status_code == 403
    assert not TrainingRecord.objects.exists()


# --- declarations: content only with DECLARATIONS_VIEW -------------------------------------


def test_editor_sees_that_declarations_exist_but_not_their_content(client_as, editor, make_person):
    person = make_person()
    _declarations(person)
    page = client_as(editor).get(_person_url(person)).content.decode()
    assert "株式会社ヨソ電池" not in page and "週末の技術顧問" not in page
    assert "海外政府系ファンド" not in page
    assert 'data-side-job="' not in page
    assert "2026" in page  # the dates of the declarations are shown


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.OFFICER, Role.EXECUTIVE])
def test_declaration_readers_see_the_content(client_as, make_user, make_person, role):
    person = make_person()
    _declarations(person)
    page = client_as(make_user(role)).get(_person_url(person)).content.decode()
    assert "株式会社ヨソ電池" in page and "正極材の評価" in page
    assert "海外政府系ファンドからの研究助成" in page


def test_editor_cannot_record_or_review_declarations(client_as, editor, make_person):
    person = make_person()
    _declarations(person)
    client = client_as(editor)
    side_job = SideJobDeclaration.objects.get()
    for data in (
        {
            "action": "side_job",
            "organisation": "X",
            "activity": "Y",
            "overlaps_our_technology": "no",
            "declared_on": "2026-01-10",
        },
        {"action": "side_job_review", "declaration": side_job.pk, "status": "accepted"},
    ):
        assert client.post(_person_url(person), data).status_code == 403
    assert SideJobDeclaration.objects.count() == 1
    assert SideJobDeclaration.objects.get().status == "submitted"


def test_executive_reviews_a_side_job_and_must_say_why_it_is_not_accepted(
    client_as, executive, make_person
):
    person = make_person()
    _declarations(person)
    declaration = SideJobDeclaration.objects.get()
    client = client_as(executive)
    response = client.post(
        _person_url(person),
        {"action": "side_job_review", "declaration": declaration.pk, "status": "rejected"},
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == "submitted"
    response = client.post(
        _person_url(person),
        {
            "action": "side_job_review",
            "declaration": declaration.pk,
            "status": "rejected",
            "review_note": "競合先のため",
        },
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == "rejected" and declaration.review_note == "競合先のため"


def test_only_the_officer_closes_an_open_foreign_declaration(
    client_as, officer, executive, make_person
):
    person = make_person()
    _declarations(person)
    declaration = ForeignInfluenceDeclaration.objects.get()
    data = {
        "action": "foreign_close",
        "declaration": declaration.pk,
        "closed_on": "2026-01-20",
        "closing_note": "みなし輸出の許可を取得",
    }
    assert client_as(executive).post(_person_url(person), data).status_code == 403
    assert client_as(officer).post(_person_url(person), data).status_code == 302
    declaration.refresh_from_db()
    assert declaration.closed_on == datetime.date(2026, 1, 20) and not declaration.is_open


def test_a_declaration_of_another_person_cannot_be_reviewed_through_this_page(
    client_as, officer, make_person
):
    person, other = make_person("A"), make_person("B")
    _declarations(other)
    declaration = SideJobDeclaration.objects.get()
    response = client_as(officer).post(
        _person_url(person),
        {"action": "side_job_review", "declaration": declaration.pk, "status": "accepted"},
    )
    assert response.status_code == 404
    assert SideJobDeclaration.objects.get().status == "submitted"


# --- forms on the person page ----------------------------------------------------------------


def test_invalid_training_is_shown_again_with_what_was_typed(client_as, editor, make_person):
    person = make_person()
    response = client_as(editor).post(
        _person_url(person),
        {
            "action": "training",
            "course": "情報管理研修（新任）",
            "tier": "",
            "completed_on": "2026-13-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "情報管理研修（新任）" in page and "errorlist" in page
    assert not TrainingRecord.objects.exists()


def test_editor_records_a_training(client_as, editor, make_person):
    person = make_person()
    response = client_as(editor).post(
        _person_url(person),
        {
            "action": "training",
            "course": "情報管理研修",
            "tier": "all_staff",
            "completed_on": "2026-01-10",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#trainings")
    assert TrainingRecord.objects.get().course == "情報管理研修"


def test_editor_requests_a_pledge_then_records_it_signed(client_as, editor, make_person):
    person = make_person()
    client = client_as(editor)
    response = client.post(
        _person_url(person),
        {
            "action": "pledge_request",
            "kind": "joining",
            "title": "入社時の秘密保持誓約書",
            "requested_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.signed_on is None
    # Signed before it was requested: refused, shown next to the pledge.
    response = client.post(
        _person_url(person),
        {"action": "pledge_sign", "pledge": pledge.pk, "signed_on": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "2026-01-05" in response.content.decode()
    response = client.post(
        _person_url(person),
        {"action": "pledge_sign", "pledge": pledge.pk, "signed_on": "2026-01-06"},
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.signed_on == datetime.date(2026, 1, 6)


def test_officer_records_a_foreign_declaration_that_needs_details(client_as, officer, make_person):
    person = make_person()
    data = {
        "action": "foreign",
        "occasion": "joining",
        "declared_on": "2026-01-10",
        "type1_foreign_contract": "yes",
        "type2_foreign_benefit": "no",
        "type3_foreign_instruction": "no",
    }
    response = client_as(officer).post(_person_url(person), data)
    assert response.status_code == 400 and not ForeignInfluenceDeclaration.objects.exists()
    response = client_as(officer).post(
        _person_url(person), {**data, "details": "海外企業と顧問契約"}
    )
    assert response.status_code == 302
    assert ForeignInfluenceDeclaration.objects.get().is_open


def test_person_page_shows_grants_findings_and_life_cycle(
    client_as, officer, make_person, make_asset, grant, department
):
    person = make_person("佐々木 健", department=department)
    grant(person, make_asset("正極材の焼成条件"))
    page = client_as(officer).get(_person_url(person)).content.decode()
    assert "正極材の焼成条件" in page and "開発業務" in page and "極秘" in page
    assert "研究開発部" in page
    # No pledge, training or declaration yet: the people rules show on the page.
    assert 'data-rule="people.pledge_missing"' in page
    assert 'data-rule="people.training_overdue"' in page


# --- adding and editing ----------------------------------------------------------------------


def test_officer_adds_a_person_with_a_new_department_and_an_account(client_as, officer, make_user):
    account = make_user(Role.EMPLOYEE, "hanako")
    response = client_as(officer).post(
        reverse("people:person_create"),
        {
            "name": "高橋 花子",
            "employee_number": "E-100",
            "kind": "employee",
            "new_department": "品質保証部",
            "joined_on": "2026-04-01",
            "user": account.pk,
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.department.name == "品質保証部" and person.user == account
    assert person.events.get().kind == "joined"


def test_employee_number_in_use_is_shown_on_the_field(client_as, editor, make_person):
    make_person("先に登録", employee_number="E-1")
    response = client_as(editor).post(
        reverse("people:person_create"),
        {"name": "後から", "employee_number": "E-1", "kind": "employee"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["employee_number"] and "先に登録" in form.errors["employee_number"][0]
    assert Person.objects.count() == 1


def test_only_unlinked_accounts_are_offered(client_as, officer, make_user, make_person):
    taken, free = make_user(Role.EMPLOYEE, "taken"), make_user(Role.EMPLOYEE, "free")
    make_person("リンク済み", user=taken)
    response = client_as(officer).get(reverse("people:person_create"))
    accounts = set(response.context["form"].fields["user"].queryset)
    assert free in accounts and taken not in accounts


def test_edit_keeps_the_department_and_the_account(client_as, editor, make_person, department):
    person = make_person("編集 対象", department=department, employee_number="E-7")
    response = client_as(editor).post(
        reverse("people:person_edit", kwargs={"pk": person.pk}),
        {"name": "編集 対象", "employee_number": "E-7", "kind": "contractor", "title": "主任"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.kind == "contractor" and person.title == "主任"
    assert person.department == department


# --- the list ------------------------------------------------------------------------------


def test_list_searches_filters_and_counts_per_status(
    client_as, editor, make_person, department, sales, make_asset, grant
):
    a = make_person("青木 一郎", name_kana="あおき", department=department, is_key_engineer=True)
    make_person("石井 二郎", department=sales, employee_number="S-2")
    c = make_person("上田 三郎", department=sales, email="ueda@example.jp")
    Person.objects.filter(pk=c.pk).update(status="departed")
    grant(a, make_asset("A"))
    grant(a, make_asset("B"))
    client = client_as(editor)

    def names(**params) -> list[str]:
        response = client.get(LIST, params)
        return [p.name for p in response.context["page"].object_list]

    assert names(q="あおき") == ["青木 一郎"]
    assert names(q="S-2") == ["石井 二郎"]
    assert names(q="ueda@") == ["上田 三郎"]
    assert names(department=sales.pk) == ["上田 三郎", "石井 二郎"]
    assert names(key="yes") == ["青木 一郎"]
    assert names(status="departed") == ["上田 三郎"]
    response = client.get(LIST)
    counts = {value: count for value, _, count in response.context["status_counts"]}
    assert counts == {"active": 2, "notified": 0, "departed": 1}
    assert f'data-active-grants="{a.pk}">2<' in response.content.decode()


def test_list_query_count_does_not_grow_with_people(
    client_as, editor, make_person, make_asset, grant, department
):
    client = client_as(editor)
    asset = make_asset()

    def add_people(count: int, start: int) -> None:
        for index in range(start, start + count):
            person = make_person(f"社員{index:03d}", department=department)
            grant(person, asset)

    add_people(2, 0)
    client.get(LIST)  # warm up: findings are evaluated on first read
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    add_people(30, 10)
    client.get(LIST)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(few)


def test_person_page_query_count_does_not_grow_with_grants(
    client_as, officer, make_person, make_asset, grant
):
    person = make_person()
    client = client_as(officer)
    grant(person, make_asset("A"))
    client.get(_person_url(person))
    with CaptureQueriesContext(connection) as few:
        client.get(_person_url(person))
    for index in range(10):
        grant(person, make_asset(f"資産{index}"))
        services.training_record(
            person=person,
            course=f"研修{index}",
            tier="all_staff",
            completed_on=datetime.date(2025, 1, index + 1),
        )
    client.get(_person_url(person))
    with CaptureQueriesContext(connection) as many:
        client.get(_person_url(person))
    assert len(many) == len(few)


def test_the_edit_page_opens_with_the_persons_values(client_as, officer):
    from mamori.people import services as people_services

    person = people_services.person_create(name="編集 太郎", employee_number="E-0042")
    page = client_as(officer).get(f"/people/{person.pk}/edit/").content.decode()
    assert 'value="編集 太郎"' in page and 'value="E-0042"' in page
