"""Second factors (django-allauth's MFA on mamori's pages): the officer must enrol one,
others may; the sign-in asks for it after the password; recovery codes are shown once and
each works once; enrolment, removal and the use of a recovery code are audited."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from mamori.audit.models import Action, AuditEntry
from mamori.audit.services import audit_verify
from tests.conftest import PASSWORD

# allauth sends its signals (which the audit log records) when the transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def totp_now(secret: str, offset: int = 0) -> str:
    """RFC 6238 (SHA-1, 30 s, six digits), written out here rather than taken from allauth."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(time.time()) // 30 + offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def enrol_totp(client: Client) -> tuple[str, list[str]]:
    """Enrol an authenticator app on the page; return its secret and the recovery codes."""
    page = client.get("/accounts/me/security/totp/")
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    done = client.post("/accounts/me/security/totp/", {"code": totp_now(secret)})
    assert done.status_code == 302, done.content.decode()
    assert done["Location"] == "/accounts/me/security/recovery-codes/"
    codes_page = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li><code>(\d+)</code></li>", codes_page)
    return secret, codes


@pytest.fixture
def officer_must(settings):
    settings.MAMORI_MFA_REQUIRED = "officer"


def test_an_officer_without_a_second_factor_is_sent_to_enrol_one(officer_must, officer):
    client = Client()
    assert sign_in(client, "officer")["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/me/security/"
    assert client.get("/people/")["Location"] == "/accounts/me/security/"
    page = client.get("/accounts/me/security/").content.decode()
    assert "2 段階目の認証" in page or "認証アプリ" in page

    secret, codes = enrol_totp(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200
    kinds = set(
        AuditEntry.objects.filter(
            action=Action.CREATE, object_type="mfa.authenticator"
        ).values_list("actor_label", flat=True)
    )
    assert kinds == {"officer"}
    created = AuditEntry.objects.filter(action=Action.CREATE, object_type="mfa.authenticator")
    assert created.count() == 2  # the authenticator app and the recovery codes
    assert secret not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    # A database reader cannot generate codes: the key and the codes' seed are encrypted.
    stored = str(list(Authenticator.objects.values_list("data", flat=True)))
    assert secret not in stored and "fernet:" in stored
    log = client.get("/audit/?object_type=mfa.authenticator").content.decode()
    assert "認証アプリ" in log and "リカバリーコード" in log


def test_the_qr_code_is_drawn_by_mamori_and_a_wrong_code_is_refused(client_as, editor):
    client = client_as(editor)
    page = client.get("/accounts/me/security/totp/")
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    svg = base64.b64decode(re.search(r"data:image/svg\+xml;base64,([^\"]+)", html).group(1))
    assert svg.startswith(b"<?xml") or b"<svg" in svg[:200]
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    refused = client.post("/accounts/me/security/totp/", {"code": "000000"})
    assert refused.status_code == 400
    assert "コードが正しくありません" in refused.content.decode()
    assert not Authenticator.objects.exists()


def test_recovery_codes_are_shown_once(client_as, editor):
    client = client_as(editor)
    _secret, codes = enrol_totp(client)
    again = client.get("/accounts/me/security/recovery-codes/").content.decode()
    assert not any(code in again for code in codes)
    assert "10" in again
    # New codes void the old ones and are shown once again.
    client.post("/accounts/me/security/recovery-codes/")
    fresh = re.findall(
        r"<li><code>(\d+)</code></li>",
        client.get("/accounts/me/security/recovery-codes/").content.decode(),
    )
    assert len(fresh) == 10 and set(fresh) != set(codes)
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, object_type="mfa.authenticator", actor_label="editor"
    ).exists()


def test_sign_in_asks_for_the_code_after_the_password(officer_must, officer):
    enrolling = Client()
    sign_in(enrolling, "officer")
    secret, _codes = enrol_totp(enrolling)

    client = Client()
    response = sign_in(client, "officer")
    assert response["Location"] == "/accounts/login/second-factor/"
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")
    page = client.get("/accounts/login/second-factor/")
    assert page.status_code == 200 and "認証アプリ" in page.content.decode()

    wrong = client.post("/accounts/login/second-factor/", {"code": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(
        action=Action.LOGIN_FAILED, object_repr="officer", changes__has_key="second factor"
    ).exists()

    done = client.post("/accounts/login/second-factor/", {"code": totp_now(secret)})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor_label="officer").count() == 2
    assert audit_verify().ok


def test_a_recovery_code_signs_in_once_and_its_use_is_audited(client_as, editor):
    _secret, codes = enrol_totp(client_as(editor))
    client = Client()
    sign_in(client, "editor")
    done = client.post("/accounts/login/second-factor/", {"code": codes[3]})
    assert done.status_code == 302 and done["Location"] == "/"
    used = AuditEntry.objects.get(action=Action.UPDATE, changes__has_key="recovery code used")
    assert used.changes["recovery code used"] == [10, 9] and used.actor_label == "editor"

    again = Client()
    sign_in(again, "editor")
    refused = again.post("/accounts/login/second-factor/", {"code": codes[3]})
    assert refused.status_code == 200 and "_auth_user_id" not in again.session


def test_the_officer_cannot_remove_the_only_second_factor(officer_must, officer):
    client = Client()
    sign_in(client, "officer")
    enrol_totp(client)
    page = client.get("/accounts/me/security/totp/remove/").content.decode()
    assert "唯一" in page or "ほかの" in page
    assert client.post("/accounts/me/security/totp/remove/").status_code == 400
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()


def test_others_may_remove_theirs_and_the_removal_is_audited(client_as, editor):
    client = client_as(editor)
    enrol_totp(client)
    response = client.post("/accounts/me/security/totp/remove/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()
    assert AuditEntry.objects.filter(action=Action.DELETE, object_type="mfa.authenticator").exists()
    # Without a second factor the sign-in is the password alone again.
    assert sign_in(Client(), "editor")["Location"] == "/"


@pytest.mark.parametrize(
    ("required", "officer_sent", "editor_sent"),
    [("officer", True, False), ("all", True, True), ("none", False, False)],
)
def test_the_setting_says_who_must_enrol(
    settings, officer, editor, required, officer_sent, editor_sent
):
    settings.MAMORI_MFA_REQUIRED = required
    for username, sent in (("officer", officer_sent), ("editor", editor_sent)):
        client = Client()
        sign_in(client, username)
        location = client.get("/checklist/").get("Location")
        assert (location == "/accounts/me/security/") is sent, username


def test_a_password_alone_does_not_open_the_api_of_an_account_with_a_second_factor(
    officer_must, officer, editor, client_as
):
    def basic(username: str) -> int:
        token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
        return Client().get("/api/me/", HTTP_AUTHORIZATION=f"Basic {token}").status_code

    assert basic("editor") == 200
    assert basic("officer") == 401  # must use a second factor
    enrol_totp(client_as(editor))
    assert basic("editor") == 401


def test_the_passkey_page_hands_the_ceremony_to_allauths_bundled_script(client_as, editor):
    page = client_as(editor).get("/accounts/me/security/passkeys/add/").content.decode()
    assert '<script id="passkey-data" type="application/json">' in page
    assert "creation_options" in page and "challenge" in page
    assert "/static/mfa/js/webauthn.js" in page and "/static/accounts/passkeys.js" in page
    assert "<script>" not in page  # nothing inline: the CSP allows only our own files


def test_the_officer_removes_the_second_factors_of_someone_who_lost_them(
    officer, editor, executive, client_as
):
    enrol_totp(client_as(editor))
    url = f"/accounts/users/{editor.pk}/second-factors/"
    assert client_as(executive).get(url).status_code == 403
    manager = client_as(officer)
    assert url in manager.get("/accounts/users/").content.decode()
    confirm = manager.get(url).content.decode()
    assert "認証アプリ" in confirm and "リカバリーコード" in confirm
    assert manager.post(url).status_code == 302
    assert not Authenticator.objects.filter(user=editor).exists()
    removed = AuditEntry.objects.filter(action=Action.DELETE, object_type="mfa.authenticator")
    assert removed.count() == 2 and set(removed.values_list("actor_label", flat=True)) == {
        "officer"
    }
    assert sign_in(Client(), "editor")["Location"] == "/"


def test_a_misspelt_requirement_stops_the_start(tmp_path):
    from tests.core.test_settings import _run_mamori

    result = _run_mamori(["check"], {"MAMORI_MFA_REQUIRED": "officers"}, tmp_path)
    assert result.returncode != 0 and "MAMORI_MFA_REQUIRED" in result.stderr
