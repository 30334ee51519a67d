"""Issue 13: the sign-in data django-allauth keeps — second factors and recovery codes,
links to the company's identity provider, e-mail addresses — is backed up and restored
with the rest, so that after a restore the officer still signs in with their app."""

from __future__ import annotations

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.core.management import call_command

from mamori.backup.services import backup_restore
from mamori.backup.tables import included_tables
from tests.backup.conftest import database_rows, flush_tables

pytestmark = pytest.mark.django_db

ALLAUTH = {
    "account.emailaddress",
    "mfa.authenticator",
    "socialaccount.socialapp",
    "socialaccount.socialaccount",
    "socialaccount.socialtoken",
}


def test_allauth_tables_are_backed_up():
    assert {table.label for table in included_tables()} >= ALLAUTH


def test_second_factors_and_sso_links_survive_backup_and_restore(officer, media, tmp_path):
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    codes = RecoveryCodes.activate(officer).get_unused_codes()
    EmailAddress.objects.create(user=officer, email="sato@example.jp", verified=True, primary=True)
    app = SocialApp.objects.create(
        provider="openid_connect", provider_id="company", name="会社", client_id="mamori"
    )
    account = SocialAccount.objects.create(user=officer, provider="company", uid="sub-1")
    SocialToken.objects.create(app=app, account=account, token="t")
    before = {label: rows for label, rows in database_rows().items() if label in ALLAUTH}
    assert all(before.values())

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), "-v", "0")
    flush_tables()
    assert not Authenticator.objects.exists() and not SocialAccount.objects.exists()
    backup_restore(path=archive)

    after = {label: rows for label, rows in database_rows().items() if label in ALLAUTH}
    assert after == before
    # The restored factors still work (the same secret key decrypts them).
    totp = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).wrap()
    assert totp.validate_code(f"{hotp_value(secret, _counter()):06d}")
    recovery = Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES)
    assert recovery.wrap().get_unused_codes() == codes
    assert SocialAccount.objects.get().user == officer


def _counter() -> int:
    return int(time.time()) // app_settings.TOTP_PERIOD
