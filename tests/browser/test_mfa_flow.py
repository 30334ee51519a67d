"""Second factors in a browser: the officer is sent to enrol an authenticator app after the
password, scans (reads) the server-drawn QR code's key, keeps the recovery codes, and the
next sign-in asks for the code; a passkey is made and used with Chromium's virtual
authenticator (WebAuthn over the DevTools protocol)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.accounts.test_mfa import totp_now
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_the_officer_enrols_an_authenticator_app_and_signs_in_with_it(page, officer, settings):
    settings.MAMORI_MFA_REQUIRED = "officer"
    sign_in(page, "officer", PASSWORD)
    expect(page).to_have_url(f"{page.base_url}/accounts/me/security/")
    expect(page.get_by_role("alert")).to_contain_text("2 段階目の認証")
    page.get_by_role("link", name="認証アプリを設定").click()
    expect(page.locator("#totp-qr")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.locator("main input[name=code]").fill(totp_now(secret))
    page.get_by_role("button", name="設定する").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.reload()  # shown once
    expect(page.locator("#recovery-codes")).to_have_count(0)

    page.context.clear_cookies()  # a new visit
    sign_in(page, "officer", PASSWORD)
    expect(page).to_have_url(f"{page.base_url}/accounts/login/second-factor/")
    page.locator("main input[name=code]").fill(totp_now(secret, offset=-3))  # an old code
    page.locator("main button[type=submit]").first.click()
    expect(page).to_have_url(f"{page.base_url}/accounts/login/second-factor/")
    page.locator("main input[name=code]").fill(totp_now(secret))
    page.locator("main button[type=submit]").first.click()
    expect(page).to_have_url(f"{page.base_url}/")


def test_a_passkey_is_made_and_used_to_sign_in(page, editor, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server speaks http
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    sign_in(page, "editor", PASSWORD)
    page.goto(f"{page.base_url}/accounts/me/security/passkeys/add/")
    page.locator("#id_name").fill("ノート PC")
    page.locator("#passkey-add").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert Authenticator.objects.filter(user=editor, type="webauthn").count() == 1

    page.context.clear_cookies()
    sign_in(page, "editor", PASSWORD)
    expect(page).to_have_url(f"{page.base_url}/accounts/login/second-factor/")
    page.locator("#passkey-authenticate").click()
    expect(page).to_have_url(f"{page.base_url}/")
