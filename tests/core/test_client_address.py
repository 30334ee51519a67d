"""The client's address: X-Forwarded-For only from a trusted proxy (MAMORI_TRUSTED_PROXIES),
used by the audit log, the sign-in records and the lockout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client, RequestFactory

from mamori.audit.models import AuditEntry
from mamori.core.client import client_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.5"
CLIENT = "198.51.100.23"
SPOOFED = "192.0.2.1"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.MAMORI_TRUSTED_PROXIES = []
    assert client_address(_request(PROXY, SPOOFED)) == PROXY


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, CLIENT, CLIENT),
        # A client's own header is kept by the proxy, which appends the real address.
        (PROXY, f"{SPOOFED}, {CLIENT}", CLIENT),
        # Two trusted hops (a load balancer and a proxy) are skipped.
        (PROXY, f"{SPOOFED}, {CLIENT}, 10.0.0.9", CLIENT),
        (PROXY, f"{CLIENT}:51234", CLIENT),
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        (PROXY, "", PROXY),
        (PROXY, "not-an-address", PROXY),
        # Not from the proxy: the connection's address, whatever the header says.
        (CLIENT, SPOOFED, CLIENT),
    ],
)
def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(
    settings, remote, forwarded, expected
):
    settings.MAMORI_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request(remote, forwarded)) == expected


@pytest.mark.django_db
def test_audit_log_sign_in_records_and_lockout_use_the_client_address(settings, officer):
    settings.MAMORI_TRUSTED_PROXIES = [PROXY]
    behind_proxy = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{SPOOFED}, {CLIENT}")
    behind_proxy.post("/accounts/login/", {"username": "officer", "password": "wrong-password"})
    assert AuditEntry.objects.get(action="login_failed").remote_addr == CLIENT
    assert AccessAttempt.objects.get().ip_address == CLIENT

    response = behind_proxy.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="login").remote_addr == CLIENT
    assert AccessLog.objects.get().ip_address == CLIENT
    # A change made in the session is attributed to the client's address too.
    behind_proxy.post("/accounts/language/", {"language": "en"})
    changed = AuditEntry.objects.filter(object_type="accounts.user", action="update").latest("pk")
    assert changed.changes["language"] == ["ja", "en"]
    assert changed.remote_addr == CLIENT


@pytest.mark.django_db
def test_a_spoofed_header_from_an_untrusted_address_is_not_believed(settings, officer):
    settings.MAMORI_TRUSTED_PROXIES = [PROXY]
    direct = Client(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=SPOOFED)
    direct.post("/accounts/login/", {"username": "officer", "password": "wrong-password"})
    assert AuditEntry.objects.get(action="login_failed").remote_addr == CLIENT
    assert AccessAttempt.objects.get().ip_address == CLIENT


def test_a_misconfigured_proxy_setting_stops_the_start(tmp_path):
    from tests.core.test_settings import _run_mamori

    result = _run_mamori(["check"], {"MAMORI_TRUSTED_PROXIES": "10.0.0.0/33"}, tmp_path)
    assert result.returncode != 0
    assert "10.0.0.0/33" in result.stderr
