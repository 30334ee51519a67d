"""Small fixes of the security review (issue 13, problem 8): the auditor triggers no
writes, unknown API filters are a 400, an oversized request body is refused from its
Content-Length before anything reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.accounts.roles import ROLE_CAPABILITIES, Role
from mamori.core.actor import acting_as
from mamori.core.views import AUTHENTICATED
from tests.api.conftest import TokenClient
from tests.core.test_url_protection import PROTECTED

pytestmark = pytest.mark.django_db

# What the auditor may still POST: their own account (password, second factors, tokens),
# their own page and digest settings, deciding a review item of an asset they own or an
# approval request their role may decide or withdraw (the views check who), and checking
# the audit chain (a read that is itself audited).
AUDITOR_OWN_WRITES = {
    "accounts:password_change",
    "accounts:security_passkey",
    "accounts:security_passkey_remove",
    "accounts:security_recovery_codes",
    "accounts:security_totp",
    "accounts:security_totp_remove",
    "approvals:request",
    "api_tokens:list",
    "api_tokens:revoke",
    "assets:review",
    "audit:verify",
    "notify:preferences",
    "incidents:concern_report",  # anyone may report a concern (their own report)
    "api:my_concerns",
    "people:me",
    "rulebook:acknowledge",  # their own acknowledgement of the rules
}


def test_the_auditor_can_post_nowhere_but_to_their_own_things():
    capabilities = ROLE_CAPABILITIES[Role.AUDITOR]
    writes = set()
    for name, _route, entry in PROTECTED:
        view_class = getattr(entry.callback, "view_class", None)
        if view_class is None or not hasattr(view_class, "required_capability"):
            continue  # a view of a library (sign-in): test_url_protection covers it
        methods = [m for m in ("post", "put", "patch", "delete") if hasattr(view_class, m)]
        if not [m for m in methods if m in view_class.http_method_names]:
            continue
        needed = view_class().required_capability("POST")
        if needed == AUTHENTICATED or needed in capabilities:
            writes.add(name)
    assert writes == AUDITOR_OWN_WRITES


def test_the_auditor_cannot_refresh_the_findings(client_as, auditor, editor):
    client = client_as(auditor)
    assert client.post(reverse("findings:finding_refresh")).status_code == 403
    page = client.get(reverse("findings:finding_list")).content.decode()
    assert reverse("findings:finding_refresh") not in page
    editor_client = client_as(editor)
    assert (
        reverse("findings:finding_refresh")
        in editor_client.get(reverse("findings:finding_list")).content.decode()
    )
    assert editor_client.post(reverse("findings:finding_refresh")).status_code == 302


@pytest.fixture
def api_as():
    from mamori.api import services

    def client(user):
        with acting_as(user):
            return TokenClient(services.token_create(user=user, name="fixes").key)

    return client


def test_an_unknown_api_filter_is_a_400_that_names_it(api_as, officer):
    client = api_as(officer)
    response = client.get("/api/people/", {"kindd": "employee"})
    assert response.status_code == 400
    assert "kindd" in response.json()
    assert client.get("/api/people/", {"kind": "employee", "limit": 5}).status_code == 200
    assert client.get("/api/me/grants/", {"activ": "true"}).status_code == 400
    assert client.get("/api/me/grants/", {"active": "true"}).status_code == 200


def test_an_oversized_body_is_refused_before_it_is_read(client_as, api_as, officer, settings):
    settings.MAMORI_MAX_REQUEST_BYTES = 1000
    huge = str(500 * 1024 * 1024)
    # The body holds one byte: the test client fails if anything tries to read 500 MB.
    page = client_as(officer).post(
        reverse("exchange:import"),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=huge,
    )
    assert page.status_code == 413
    text = page.content.decode()
    assert "500.0 MB" in text or "500.0\xa0MB" in text
    api = api_as(officer).post(
        "/api/people/", data=b"x", content_type="application/json", CONTENT_LENGTH=huge
    )
    assert api.status_code == 413 and "detail" in api.json()
    # Within the limit, requests go on as before.
    assert client_as(officer).get(reverse("exchange:index")).status_code == 200
