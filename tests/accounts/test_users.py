"""User management by the officer, and the rule that one active officer always remains."""

from __future__ import annotations

import pytest

from mamori.accounts import services
from mamori.accounts.models import User
from mamori.accounts.roles import Capability, Role
from mamori.accounts.services import LAST_OFFICER
from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_officer_creates_a_user_who_must_choose_a_password(client_as, officer):
    response = client_as(officer).post(
        "/accounts/users/new/",
        {
            "display_name": "高橋 由美",
            "username": "takahashi",
            "email": "",
            "role": Role.EMPLOYEE,
            "language": "ja",
            "password": "first-password-2026",
            "password_again": "first-password-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="takahashi")
    assert user.role == Role.EMPLOYEE and user.must_change_password
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.action == "create" and entry.changes["password"] == ["(changed)", "(changed)"]


def test_weak_password_is_refused_with_the_reason(client_as, officer):
    response = client_as(officer).post(
        "/accounts/users/new/",
        {
            "display_name": "x",
            "username": "weak",
            "role": Role.EDITOR,
            "language": "ja",
            "password": "12345678",
            "password_again": "12345678",
        },
    )
    assert response.status_code == 200
    assert "短すぎ" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_taken_user_name_is_refused(officer):
    with pytest.raises(ApplicationError) as error:
        services.user_create(username="OFFICER", password="whatever-long-2026", role=Role.EDITOR)
    assert error.value.field == "username"


def test_the_last_active_officer_cannot_be_demoted_or_deactivated(officer):
    for role, active in ((Role.EDITOR, True), (Role.OFFICER, False)):
        with pytest.raises(ApplicationError) as error:
            services.user_update(
                user=officer,
                display_name="",
                email="",
                role=role,
                is_active=active,
                language="ja",
            )
        assert error.value.message == LAST_OFFICER
    assert User.objects.get(pk=officer.pk).role == Role.OFFICER


def test_an_officer_can_step_down_once_another_officer_exists(officer, make_user):
    make_user(Role.OFFICER, "second-officer")
    services.user_update(
        user=officer, display_name="", email="", role=Role.EXECUTIVE, is_active=True, language="ja"
    )
    assert User.objects.get(pk=officer.pk).role == Role.EXECUTIVE


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.EMPLOYEE, Role.AUDITOR])
def test_only_the_officer_manages_users(client_as, make_user, officer, role):
    client = client_as(make_user(role))
    assert client.get("/accounts/users/").status_code == 403
    response = client.post(f"/accounts/users/{officer.pk}/", {"role": Role.EMPLOYEE})
    assert response.status_code == 403
    assert User.objects.get(pk=officer.pk).role == Role.OFFICER


def test_user_list_filters_by_role_and_text(client_as, officer, editor, auditor):
    client = client_as(officer)
    page = client.get("/accounts/users/", {"role": Role.AUDITOR}).content.decode()
    assert "auditor" in page and "鈴木 大輔" not in page
    page = client.get("/accounts/users/", {"q": "鈴木"}).content.decode()
    assert "鈴木 大輔" in page and ">auditor<" not in page


def test_capabilities_follow_the_role_table(officer, auditor, employee):
    assert officer.has_capability(Capability.USERS_MANAGE)
    assert auditor.has_capability(Capability.AUDIT_VIEW)
    assert not auditor.has_capability(Capability.CHECKLIST_EDIT)
    assert employee.capabilities() == {Capability.HANDBOOK_VIEW, Capability.SELF_SERVICE}
    officer.is_active = False
    assert officer.capabilities() == frozenset()
