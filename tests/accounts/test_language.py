"""The UI is Japanese by default; English is chosen per user (or per browser before login)."""

from __future__ import annotations

import pytest

from mamori.accounts.models import User

pytestmark = pytest.mark.django_db


def test_signed_in_user_switches_to_english_and_it_sticks_to_the_account(client_as, officer):
    client = client_as(officer)
    assert "ダッシュボード" in client.get("/").content.decode()

    response = client.post("/accounts/language/", {"language": "en", "next": "/checklist/"})
    assert response["Location"] == "/checklist/"
    assert User.objects.get(pk=officer.pk).language == "en"

    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Dashboard" in page
    # Another browser, same account: still English.
    assert "Dashboard" in client_as(officer).get("/").content.decode()


def test_anonymous_visitor_switches_language_with_a_cookie(client, officer):
    client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in" in client.get("/accounts/login/").content.decode()


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client_as, officer):
    client = client_as(officer)
    response = client.post(
        "/accounts/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert User.objects.get(pk=officer.pk).language == "ja"


def test_dates_are_shown_in_japanese_format(client_as, officer, company_at_stage):
    company_at_stage("seed_early")
    page = client_as(officer).get("/company/").content.decode()
    assert "年" in page and "月" in page and "日" in page
