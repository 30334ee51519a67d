"""Sign-in with the company's identity provider over OpenID Connect, against a real
provider: django-oauth-toolkit with OIDC on, in its own process, signing ID tokens with an
RSA key made here. Users are matched by verified e-mail address; unknown people are refused
(or made employees when configured so); nobody becomes an officer this way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db

CLIENT_ID = "mamori-test-client"
CLIENT_SECRET = "a-client-secret-for-the-test-0123456789"
CALLBACK = "http://testserver/accounts/oidc/company/login/callback/"
IDP_USERS = {
    "suzuki": {"email": "Editor@Example.co.jp", "verified": True, "name": "鈴木 大輔"},
    "forger": {"email": "officer@example.co.jp", "verified": False, "name": "偽者"},
    "newcomer": {"email": "newcomer@example.co.jp", "verified": True, "name": "新人 花子"},
    "sato": {"email": "officer@example.co.jp", "verified": True, "name": "佐藤 美咲"},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """Start the provider; return its issuer URL."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        **os.environ,
        "IDP_RSA_KEY": pem,
        "IDP_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "IDP_USERS": json.dumps(IDP_USERS),
        "IDP_CLIENT": json.dumps(
            {"client_id": CLIENT_ID, "secret": CLIENT_SECRET, "redirect_uri": CALLBACK}
        ),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = Path(__file__).with_name("oidc_provider.py")
    process = subprocess.Popen(
        [sys.executable, str(script)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("READY "), f"the provider did not start: {line!r}"
        yield f"http://127.0.0.1:{int(line.split()[1])}/o"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def sso(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "company",
                    "name": "社内アカウント",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider},
                }
            ],
        }
    }
    return provider


def sso_sign_in(client: Client, provider: str, who: str):
    """Go through the whole code flow: mamori → provider (signed in as ``who``) → mamori."""
    start = client.post("/accounts/oidc/company/login/")
    assert start.status_code == 302, start.content.decode()
    authorize = start["Location"]
    assert authorize.startswith(provider + "/authorize/")
    assert "code_challenge=" in authorize  # PKCE
    with requests.Session() as browser:
        browser.get(provider.removesuffix("/o") + f"/login/?as={who}", timeout=30)
        answer = browser.get(authorize, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user(Role.OFFICER, "officer", email="officer@example.co.jp"),
        "editor": make_user(Role.EDITOR, "editor", email="editor@example.co.jp"),
    }


def test_the_login_page_offers_the_company_provider(sso, people):
    page = Client().get("/accounts/login/").content.decode()
    assert "社内アカウントでログイン" in page
    assert 'action="/accounts/oidc/company/login/"' in page


def test_without_configuration_there_is_no_button(people):
    assert 'id="sso-login"' not in Client().get("/accounts/login/").content.decode()


def test_a_verified_email_signs_in_to_the_matching_account(sso, people):
    client = Client()
    response = sso_sign_in(client, sso, "suzuki")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/checklist/").status_code == 200
    assert int(client.session["_auth_user_id"]) == people["editor"].pk
    assert SocialAccount.objects.get().user == people["editor"]
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor_label="editor").exists()
    # The link is kept: the next sign-in matches by the provider's subject.
    again = Client()
    assert sso_sign_in(again, sso, "suzuki")["Location"] == "/"
    assert SocialAccount.objects.count() == 1


def test_an_unverified_email_is_refused(sso, people):
    client = Client()
    response = sso_sign_in(client, sso, "forger")
    assert response.status_code == 403
    assert "確認" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_a_provider_trusted_for_its_addresses_needs_no_email_verified(sso, people, settings):
    settings.MAMORI_SSO_TRUST_EMAIL = True  # e.g. Entra ID, single tenant
    client = Client()
    assert sso_sign_in(client, sso, "forger")["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == people["officer"].pk


def test_an_unknown_person_is_refused_by_default(sso, people):
    client = Client()
    response = sso_sign_in(client, sso, "newcomer")
    assert response.status_code == 403
    assert "newcomer@example.co.jp" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.co.jp").exists()


def test_an_unknown_person_becomes_an_employee_when_configured_never_more(sso, people, settings):
    settings.MAMORI_SSO_UNKNOWN = "employee"
    client = Client()
    response = sso_sign_in(client, sso, "newcomer")
    assert response.status_code == 302, response.content.decode()
    created = User.objects.get(email="newcomer@example.co.jp")
    assert created.role == Role.EMPLOYEE and not created.has_usable_password()
    assert created.display_name == "新人 花子"
    assert int(client.session["_auth_user_id"]) == created.pk
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="accounts.user", object_id=str(created.pk)
    ).exists()


def test_a_deactivated_account_is_refused(sso, people):
    people["editor"].is_active = False
    people["editor"].save()
    client = Client()
    assert sso_sign_in(client, sso, "suzuki").status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_second_factor_is_still_asked_after_the_provider(sso, people):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(people["officer"], generate_totp_secret())
    client = Client()
    response = sso_sign_in(client, sso, "sato")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/second-factor/"
    assert "_auth_user_id" not in client.session


def test_the_provider_is_configured_from_the_environment(tmp_path):
    from tests.core.test_settings import _run_mamori

    code = (
        "from django.conf import settings; from mamori.accounts.sso import sso_label; "
        "app = settings.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]; "
        "print(sso_label(), app['provider_id'], app['client_id'], app['settings']['server_url'])"
    )
    result = _run_mamori(
        ["shell", "-v", "0", "-c", code],
        {
            "MAMORI_SSO_SERVER_URL": "https://login.microsoftonline.com/tenant-id/v2.0",
            "MAMORI_SSO_CLIENT_ID": "client-id",
            "MAMORI_SSO_CLIENT_SECRET": "client-secret",
            "MAMORI_SSO_NAME": "Microsoft",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Microsoft",
        "company",
        "client-id",
        "https://login.microsoftonline.com/tenant-id/v2.0",
    ]
    refused = _run_mamori(["check"], {"MAMORI_SSO_UNKNOWN": "officer"}, tmp_path)
    assert refused.returncode != 0 and "MAMORI_SSO_UNKNOWN" in refused.stderr
