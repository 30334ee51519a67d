"""API tokens: stored only as a hash, shown once, owned by a user, revocable (by the owner
and the officer), expiring; a token request acts exactly as its owner."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from mamori.accounts.roles import Role
from mamori.api import services
from mamori.api.models import ApiToken
from mamori.audit.models import Action, AuditEntry
from mamori.audit.services import audit_verify
from mamori.core.actor import acting_as
from mamori.core.errors import ApplicationError, NotPermitted
from tests.api.conftest import TokenClient

pytestmark = pytest.mark.django_db


def entries_about(token: ApiToken):
    return AuditEntry.objects.filter(object_type="api.apitoken", object_id=str(token.pk))


def test_only_the_hash_is_stored_and_the_creation_audited(editor):
    with acting_as(editor):
        created = services.token_create(user=editor, name="CI")
    token = ApiToken.objects.get()
    assert created.key.startswith("mamori_") and len(created.key) > 40
    assert token.key_hash == hashlib.sha256(created.key.encode()).hexdigest()
    assert created.key not in str(ApiToken.objects.values().get())
    assert token.prefix == created.key[:13]
    entry = entries_about(token).get(action=Action.CREATE)
    assert entry.actor == editor
    assert created.key not in str(entry.changes) and token.key_hash not in str(entry.changes)


def test_a_token_needs_a_name_and_a_future_expiry(editor):
    with pytest.raises(ApplicationError) as missing:
        services.token_create(user=editor, name="  ")
    assert missing.value.field == "name"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ApplicationError) as past:
        services.token_create(user=editor, name="CI", expires_on=yesterday)
    assert past.value.field == "expires_on"


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "token"])
def test_a_token_authenticates_as_its_owner(token_for, editor, scheme):
    key = token_for(editor)
    response = Client().get("/api/me/", HTTP_AUTHORIZATION=f"{scheme} {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "editor" and response.json()["role"] == "editor"


@pytest.mark.parametrize(
    "header", ["Token", "Token not-a-key", "Token mamori_wrong", "Bearer a b", "Token Ã©"]
)
def test_a_bad_token_is_refused_with_401(editor, header):
    response = Client().get("/api/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_revoked_token_no_longer_works_and_the_revocation_is_audited(token_for, editor):
    key = token_for(editor)
    token = ApiToken.objects.get()
    with acting_as(editor):
        services.token_revoke(token=token, by=editor)
    assert TokenClient(key).get("/api/me/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == editor and token.revoked_at is not None
    assert entries_about(token).filter(action=Action.UPDATE, actor=editor).exists()
    with pytest.raises(ApplicationError):
        services.token_revoke(token=token, by=editor)
    assert audit_verify().ok


def test_an_expired_token_no_longer_works(editor):
    with acting_as(editor):
        created = services.token_create(
            user=editor, name="CI", expires_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert TokenClient(created.key).get("/api/me/").status_code == 200
    ApiToken.objects.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert TokenClient(created.key).get("/api/me/").status_code == 401


def test_a_token_of_a_deactivated_account_no_longer_works(token_for, editor):
    key = token_for(editor)
    editor.is_active = False
    editor.save()
    assert TokenClient(key).get("/api/me/").status_code == 401


def test_only_the_owner_or_the_officer_may_revoke(editor, executive, officer):
    with acting_as(editor):
        token = services.token_create(user=editor, name="CI").token
    with pytest.raises(NotPermitted):
        services.token_revoke(token=token, by=executive)
    with acting_as(officer):
        services.token_revoke(token=token, by=officer)
    token.refresh_from_db()
    assert token.revoked_by == officer


def test_last_use_is_written_at_most_once_a_minute(token_for, editor, django_assert_num_queries):
    key = token_for(editor)
    client = TokenClient(key)
    client.get("/api/me/")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/me/")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/me/")
    assert ApiToken.objects.get().last_used_at > first
    # Using a token is not a change: nothing about it reaches the audit log.
    assert not AuditEntry.objects.filter(object_type="api.apitoken", action=Action.UPDATE).exists()


# --- the API tokens page -----------------------------------------------------------------


def test_the_page_creates_a_token_and_shows_the_key_once(client_as, editor):
    client = client_as(editor)
    response = client.post(
        "/accounts/me/tokens/", {"name": "夜間バッチ", "scope": "read", "expires_on": ""}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=editor)
    key = response.context["new"].key
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert TokenClient(key).get("/api/me/").json()["username"] == "editor"
    page = client.get("/accounts/me/tokens/").content.decode()
    assert "夜間バッチ" in page and token.prefix in page and key not in page


def test_the_page_refuses_a_token_without_a_name(client_as, editor):
    response = client_as(editor).post("/accounts/me/tokens/", {"name": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_on_the_page(client_as, token_for, editor):
    token_for(editor)
    token = ApiToken.objects.get()
    response = client_as(editor).post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_others_cannot_see_or_revoke_a_token_but_the_officer_can(
    client_as, token_for, editor, executive, officer
):
    token_for(editor, "editor's script")
    token = ApiToken.objects.get()
    assert (
        "editor's script" not in client_as(executive).get("/accounts/me/tokens/").content.decode()
    )
    response = client_as(executive).post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    officer_page = client_as(officer).get("/accounts/me/tokens/").content.decode()
    assert "editor&#x27;s script" in officer_page
    client_as(officer).post(f"/accounts/me/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_by == officer


def test_every_role_may_have_tokens(client_as, make_user):
    employee = make_user(Role.EMPLOYEE)
    assert client_as(employee).get("/accounts/me/tokens/").status_code == 200
