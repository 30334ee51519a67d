"""The OpenAPI schema served by the app, and the docs page that shows it without a CDN
and without inline scripts."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.urls import URLPattern, get_resolver

from mamori.api.base import ProtectedAPIView
from tests.api.test_access import ROUTES

pytestmark = pytest.mark.django_db


def _schema_path(route: str) -> str:
    return route.replace("/1/", "/{id}/")


def test_every_api_endpoint_is_in_the_schema(api, employee):
    response = api(employee).get("/api/schema/")
    assert response.status_code == 200
    schema = (
        yaml.safe_load(response.content) if "yaml" in response["Content-Type"] else response.json()
    )
    assert schema["openapi"].startswith("3.")
    documented = set(schema["paths"])
    for name, route in ROUTES:
        view = get_resolver().resolve(route).func.view_class
        if name in {"schema", "docs"}:
            continue
        assert issubclass(view, ProtectedAPIView)
        assert _schema_path(route) in documented, route
    assert "/watch/api/people/" in documented
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_lists_document_paging_and_filters_writes_their_bodies(api, officer):
    schema = api(officer).get("/api/schema/?format=json").json()
    people = schema["paths"]["/api/people/"]
    names = {p["name"] for p in people["get"]["parameters"]}
    assert {"limit", "offset", "q", "kind", "status", "department", "key_engineer"} <= names
    assert "requestBody" in people["post"] and "201" in people["post"]["responses"]
    detail = schema["paths"]["/api/people/{id}/"]
    assert {"get", "patch"} <= set(detail) and "404" in detail["get"]["responses"]
    assert "delete" not in detail
    # The ledger is written through its checks; a recorded disclosure is never changed.
    assert "requestBody" in schema["paths"]["/api/disclosures/"]["post"]
    assert "patch" not in schema["paths"]["/api/disclosures/{id}/"]
    assert "post" not in schema["paths"]["/api/samples/"]


def test_the_schema_is_served_as_yaml_too(api, officer):
    response = api(officer).get("/api/schema/?format=yaml")
    assert response.status_code == 200
    assert "/api/contracts/" in yaml.safe_load(response.content)["paths"]


def test_the_schema_needs_a_signed_in_user(client):
    assert client.get("/api/schema/").status_code == 401


def test_the_docs_page_uses_our_own_files_and_no_inline_script(client_as, editor):
    response = client_as(editor).get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe" not in policy
    for path in ("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", "api/docs.js"):
        assert finders.find(path), path


def test_the_docs_page_sends_anonymous_users_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_profile_links_to_the_tokens_page(client_as, editor):
    assert "/accounts/me/tokens/" in client_as(editor).get("/accounts/me/").content.decode()


def test_every_api_route_is_named(api, officer):
    (resolver,) = [r for r in get_resolver().url_patterns if getattr(r, "namespace", "") == "api"]
    assert all(isinstance(p, URLPattern) and p.name for p in resolver.url_patterns)
