"""The employee's own page: only their own records, acknowledging pledges, declaring."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mamori.accounts.roles import Role
from mamori.assets import services as asset_services
from mamori.core.errors import NotPermitted
from mamori.people import services
from mamori.people.models import ForeignInfluenceDeclaration, Pledge, SideJobDeclaration

pytestmark = pytest.mark.django_db

ME = reverse("people:me")


@pytest.fixture
def me(make_person, employee):
    return make_person("社員 本人", user=employee)


@pytest.fixture
def colleague(make_person, make_user):
    return make_person("同僚 他人", user=make_user(Role.EMPLOYEE, "colleague"))


def test_employee_sees_only_their_own_grants_and_declarations(
    client_as, employee, me, colleague, make_asset, grant
):
    grant(me, make_asset("自分の担当資料"))
    grant(colleague, make_asset("他人だけの極秘資料"))
    services.side_job_declare(
        person=colleague,
        organisation="他人の副業先",
        activity="x",
        overlaps_our_technology=False,
        declared_on=datetime.date(2026, 1, 1),
    )
    services.training_record(
        person=colleague,
        course="他人の研修",
        tier="all_staff",
        completed_on=datetime.date(2026, 1, 1),
    )
    services.pledge_request(
        person=colleague,
        kind="joining",
        title="他人の誓約書",
        requested_on=datetime.date(2026, 1, 1),
    )
    page = client_as(employee).get(ME).content.decode()
    assert "自分の担当資料" in page and "極秘" in page
    for text in ("他人だけの極秘資料", "他人の副業先", "他人の研修", "他人の誓約書", "同僚 他人"):
        assert text not in page


def test_page_shows_grant_name_and_class_only(client_as, employee, me, make_asset, grant):
    grant(me, make_asset("自分の担当資料"), reason="量産立上げの理由は秘密")
    page = client_as(employee).get(ME).content.decode()
    assert "自分の担当資料" in page and "量産立上げの理由は秘密" not in page


def test_page_lists_only_grants_in_force_and_labels_later_ones(
    client_as, employee, officer, me, make_asset
):
    """Issue 13: a grant that ended, or starts later, gives no access today, so My Page
    does not list it as information the employee has access to."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    def give(name, start, until=None):
        asset_services.grant_create(
            person=me,
            asset=make_asset(name),
            reason="業務",
            granted_by=officer,
            valid_from=start,
            valid_until=until,
        )

    give("今使える資料", today - 10 * day, today)
    give("期限切れの資料", today - 100 * day, today - day)
    give("来月からの資料", today + 30 * day)
    response = client_as(employee).get(ME)
    grants = response.context["grants"]
    assert [g.asset.name for g in grants["in_force"]] == ["今使える資料"]
    assert [g.asset.name for g in grants["later"]] == ["来月からの資料"]
    page = response.content.decode()
    current, later = page.split('id="grants-later"')
    assert "今使える資料" in current and "来月からの資料" not in current
    assert "来月からの資料" in later
    assert "期限切れの資料" not in page


def test_user_without_a_register_entry_is_told_who_links_it(client_as, employee):
    response = client_as(employee).get(ME)
    assert response.status_code == 200
    assert response.context["person"] is None
    assert 'name="action"' not in response.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_every_role_has_a_self_service_page(client_as, make_user, role):
    assert client_as(make_user(role)).get(ME).status_code == 200


def test_employee_acknowledges_their_pledge(client_as, employee, me):
    pledge = services.pledge_request(
        person=me, kind="joining", title="秘密保持誓約書", requested_on=datetime.date(2026, 1, 1)
    )
    response = client_as(employee).post(ME, {"action": "acknowledge", "pledge": pledge.pk})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.signed_on == timezone.localdate()
    # Acknowledging twice is refused with a message, not an error page.
    response = client_as(employee).post(ME, {"action": "acknowledge", "pledge": pledge.pk})
    assert response.status_code == 400 and "errorlist" in response.content.decode()


def test_employee_cannot_acknowledge_someone_else_s_pledge(client_as, employee, me, colleague):
    pledge = services.pledge_request(
        person=colleague,
        kind="joining",
        title="他人の誓約書",
        requested_on=datetime.date(2026, 1, 1),
    )
    response = client_as(employee).post(ME, {"action": "acknowledge", "pledge": pledge.pk})
    assert response.status_code == 404
    assert Pledge.objects.get().signed_on is None


def test_pledge_acknowledge_service_refuses_another_user(employee, colleague):
    pledge = services.pledge_request(
        person=colleague,
        kind="joining",
        title="他人の誓約書",
        requested_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(NotPermitted):
        services.pledge_acknowledge(pledge=pledge, user=employee)


def test_side_job_declaration_errors_are_shown_with_what_was_typed(client_as, employee, me):
    client = client_as(employee)
    response = client.post(
        ME,
        {
            "action": "side_job",
            "organisation": "合同会社サイド",
            "activity": "電池評価の受託",
            "overlaps_our_technology": "yes",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "合同会社サイド" in page and "電池評価の受託" in page and "errorlist" in page
    assert not SideJobDeclaration.objects.exists()
    # Not answering the overlap question is an error too.
    response = client.post(ME, {"action": "side_job", "organisation": "A", "activity": "B"})
    assert response.status_code == 400
    assert "overlaps_our_technology" in response.context["forms"]["side_job"].errors
    response = client.post(
        ME,
        {
            "action": "side_job",
            "organisation": "合同会社サイド",
            "activity": "電池評価の受託",
            "overlaps_our_technology": "yes",
            "overlap_note": "評価手法が重なる",
        },
    )
    assert response.status_code == 302
    declaration = SideJobDeclaration.objects.get()
    assert declaration.person == me and declaration.declared_on == timezone.localdate()


def test_foreign_declaration_needs_every_answer_and_details_for_a_yes(client_as, employee, me):
    client = client_as(employee)
    response = client.post(ME, {"action": "foreign", "occasion": "yearly"})
    assert response.status_code == 400
    errors = response.context["forms"]["foreign"].errors
    assert {"type1_foreign_contract", "type2_foreign_benefit", "type3_foreign_instruction"} <= set(
        errors
    )
    answers = {
        "action": "foreign",
        "occasion": "change",
        "type1_foreign_contract": "no",
        "type2_foreign_benefit": "yes",
        "type3_foreign_instruction": "no",
    }
    response = client.post(ME, answers)
    assert response.status_code == 400
    assert "details" in response.context["forms"]["foreign"].errors
    response = client.post(ME, {**answers, "details": "海外政府系機関からの報酬"})
    assert response.status_code == 302
    declaration = ForeignInfluenceDeclaration.objects.get()
    assert declaration.person == me and declaration.occasion == "change" and declaration.is_open


def test_employee_cannot_choose_the_joining_occasion_or_declare_for_others(
    client_as, employee, me, colleague
):
    response = client_as(employee).post(
        ME,
        {
            "action": "foreign",
            "occasion": "joining",
            "type1_foreign_contract": "no",
            "type2_foreign_benefit": "no",
            "type3_foreign_instruction": "no",
            "person": colleague.pk,
        },
    )
    assert response.status_code == 400
    assert not ForeignInfluenceDeclaration.objects.exists()
    client_as(employee).post(
        ME,
        {
            "action": "foreign",
            "occasion": "yearly",
            "type1_foreign_contract": "no",
            "type2_foreign_benefit": "no",
            "type3_foreign_instruction": "no",
            "person": colleague.pk,
        },
    )
    assert ForeignInfluenceDeclaration.objects.get().person == me
