"""Signing in: first-run set-up, Japanese by default, lockout after repeated failures."""

from __future__ import annotations

import pytest
from django.conf import settings

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.audit.models import AuditEntry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_new_installation_asks_for_the_officer_account_first(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 302 and response["Location"] == "/accounts/setup/"

    response = client.post(
        "/accounts/setup/",
        {
            "display_name": "佐藤 美咲",
            "username": "sato",
            "email": "sato@example.co.jp",
            "password": "kasumigaseki-2026",
            "password_again": "kasumigaseki-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/company/edit/"
    officer = User.objects.get(username="sato")
    assert officer.role == Role.OFFICER
    assert officer.password.startswith("argon2")
    # Once an account exists, set-up is closed to everyone.
    assert client.get("/accounts/setup/")["Location"] == "/accounts/login/"


def test_setup_keeps_what_was_typed_and_says_what_is_wrong(client):
    response = client.post(
        "/accounts/setup/",
        {
            "display_name": "佐藤 美咲",
            "username": "sato",
            "password": "kasumigaseki-2026",
            "password_again": "something-else-2026",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "確認用のパスワードが一致しません。" in page
    assert 'value="sato"' in page and "佐藤 美咲" in page
    assert not User.objects.exists()


def test_login_page_is_japanese_even_for_an_english_browser(client, officer):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert "ログイン" in page and "パスワード" in page


def test_sign_in_reaches_the_dashboard_and_is_audited(client, officer):
    response = _login(client, "officer")
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEntry.objects.filter(action="login", actor_label="officer").exists()


def test_wrong_password_says_so_in_japanese_and_is_audited(client, officer):
    response = _login(client, "officer", "wrong-password")
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが正しくありません。" in response.content.decode()
    assert AuditEntry.objects.filter(action="login_failed", object_repr="officer").exists()


def test_repeated_failures_lock_the_account_until_the_officer_unlocks_it(
    client, officer, editor, client_as
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "editor", "wrong-password")
    locked = _login(client, "editor")  # even the right password is refused now
    assert locked.status_code == 429
    assert "一時的にロックされています" in locked.content.decode()

    users_page = client_as(officer).get("/accounts/users/")
    assert "ロック中" in users_page.content.decode()
    client_as(officer).post(f"/accounts/users/{editor.pk}/unlock/")
    assert _login(client, "editor").status_code == 302


def test_deactivated_user_cannot_sign_in(client, editor):
    editor.is_active = False
    editor.save()
    assert _login(client, "editor").status_code == 200
    assert "_auth_user_id" not in client.session


def test_user_whose_password_was_set_by_the_officer_must_change_it_first(client, make_user):
    make_user(Role.EDITOR, "newcomer", must_change_password=True)
    _login(client, "newcomer")
    assert client.get("/checklist/")["Location"] == "/accounts/me/password/"
    response = client.post(
        "/accounts/me/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "my-own-password-2026",
            "new_password2": "my-own-password-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/checklist/").status_code == 200
    assert not User.objects.get(username="newcomer").must_change_password


def test_sign_out_ends_the_session(client, officer):
    _login(client, "officer")
    client.post("/accounts/logout/")
    assert client.get("/")["Location"].startswith("/accounts/login/")
