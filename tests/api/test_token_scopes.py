"""Token scopes (read only / read and write) and revocation when the officer resets the
owner's password."""

from __future__ import annotations

import pytest

from mamori.api import services
from mamori.api.models import ApiToken, TokenScope
from mamori.audit.models import Action, AuditEntry
from mamori.core.actor import acting_as
from mamori.people.models import Department, Person
from tests.api.conftest import TokenClient
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "山田 太郎",
    "name_kana": "やまだ たろう",
    "employee_number": "E-0101",
    "kind": "employee",
    "joined_on": "2026-04-01",
}


def _key(user, scope):
    with acting_as(user):
        return services.token_create(user=user, name="script", scope=scope).key


def test_a_read_only_token_reads_but_every_write_is_refused_with_403(editor):
    department = Department.objects.create(name="研究開発部")
    client = TokenClient(_key(editor, TokenScope.READ))
    assert client.get("/api/people/").status_code == 200
    created = client.post_json("/api/people/", {**PERSON, "department": department.pk})
    assert created.status_code == 403
    assert "読み取り専用" in created.json()["detail"]
    assert not Person.objects.exists()

    person = Person.objects.create(name="既存 花子", employee_number="E-0002", kind="employee")
    changed = client.patch_json(f"/api/people/{person.pk}/", {"title": "主任"})
    assert changed.status_code == 403
    person.refresh_from_db()
    assert person.title == ""
    assert client.delete(f"/api/people/{person.pk}/").status_code in (403, 405)
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_read_and_write_token_may_write(editor):
    department = Department.objects.create(name="研究開発部")
    client = TokenClient(_key(editor, TokenScope.READ_WRITE))
    response = client.post_json("/api/people/", {**PERSON, "department": department.pk})
    assert response.status_code == 201, response.content


def test_the_page_creates_read_only_tokens_unless_asked_otherwise(client_as, editor):
    client = client_as(editor)
    page = client.get("/accounts/me/tokens/").content.decode()
    assert "読み取り専用" in page
    client.post("/accounts/me/tokens/", {"name": "監視", "scope": "read"})
    client.post("/accounts/me/tokens/", {"name": "連携", "scope": "read_write"})
    scopes = dict(ApiToken.objects.values_list("name", "scope"))
    assert scopes == {"監視": TokenScope.READ, "連携": TokenScope.READ_WRITE}
    listing = client.get("/accounts/me/tokens/").content.decode()
    assert "読み取りと書き込み" in listing


def test_an_officer_password_reset_revokes_the_users_tokens(client_as, officer, editor):
    first, second = _key(editor, TokenScope.READ), _key(editor, TokenScope.READ_WRITE)
    other = _key(officer, TokenScope.READ)
    response = client_as(officer).post(
        f"/accounts/users/{editor.pk}/password/",
        {
            "password": "brand-new-pass-2026",
            "password_again": "brand-new-pass-2026",
            "must_change": "on",
        },
    )
    assert response.status_code == 302, response.content
    for key in (first, second):
        assert TokenClient(key).get("/api/me/").status_code == 401
    assert TokenClient(other).get("/api/me/").status_code == 200
    revoked = ApiToken.objects.filter(user=editor)
    assert all(token.revoked_by == officer for token in revoked)
    assert (
        AuditEntry.objects.filter(
            object_type="api.apitoken", action=Action.UPDATE, actor=officer
        ).count()
        == 2
    )


def test_changing_ones_own_password_keeps_ones_tokens(client_as, editor):
    key = _key(editor, TokenScope.READ)
    client = client_as(editor)
    response = client.post(
        "/accounts/me/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "my-own-password-2026",
            "new_password2": "my-own-password-2026",
        },
    )
    assert response.status_code in (200, 302)
    assert TokenClient(key).get("/api/me/").status_code == 200
