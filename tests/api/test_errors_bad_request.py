"""A 400 Django raises before any view (a Host header not allowed) answers JSON under
/api/ and the usual page elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_disallowed_host_gets_json_under_the_api_and_a_page_elsewhere():
    client = Client(HTTP_HOST="L")
    api = client.get("/api/classifications/")
    assert api.status_code == 400 and api["Content-Type"] == "application/json"
    assert api.json()["detail"] and api.json()["non_field_errors"]
    page = client.get("/handbook/")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
