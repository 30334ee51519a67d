"""Every URL is protected by ProtectedView (pages) or ProtectedAPIView (the REST API), or
is on an explicit public allow-list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mamori.api.permissions import HasCapability
from mamori.api.views import ProtectedAPIView
from mamori.core.views import ProtectedView

# Pages anyone may open: signing in and out (with the second factor in between), first-run
# set-up, choosing the language.
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:setup",
    "accounts:language",
    "account_login",
    "mfa_authenticate",
    # sign-in with the company's identity provider, and its two ways of going wrong
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
}

SAMPLE_KWARGS = {"int": 1, "str": "urn:mamori:row:common:organisation"}


def _patterns(
    resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _patterns(entry, inner, prefix + str(entry.pattern))
        else:
            yield f"{namespace}:{entry.name}".strip(":"), prefix + str(entry.pattern), entry


ALL = list(_patterns())
PROTECTED = [(name, route, entry) for name, route, entry in ALL if name not in PUBLIC]


def _example_path(route: str, entry: URLPattern) -> str:
    path = "/" + route
    for key, converter in entry.pattern.converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        pattern = f"<{kind}:{key}>"
        path = path.replace(pattern, str(SAMPLE_KWARGS.get(kind, "x")))
    return path


def test_the_public_allow_list_names_real_urls():
    names = {name for name, _, _ in ALL}
    assert names >= PUBLIC


@pytest.mark.parametrize(("name", "route", "entry"), PROTECTED, ids=[p[0] for p in PROTECTED])
def test_view_is_protected_and_declares_a_capability(name, route, entry):
    view_class = getattr(entry.callback, "view_class", None)
    assert view_class is not None and issubclass(view_class, ProtectedView | ProtectedAPIView), (
        f"{name} ({route}) is neither a ProtectedView/ProtectedAPIView nor on the public allow-list"
    )
    assert view_class.capability, f"{name} declares no capability"
    if issubclass(view_class, ProtectedAPIView):
        assert HasCapability in view_class.permission_classes, f"{name} skips the capability check"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "route", "entry"), PROTECTED, ids=[p[0] for p in PROTECTED])
def test_anonymous_user_is_sent_to_login(client, officer, method, name, route, entry):
    path = _example_path(route, entry)
    response = getattr(client, method)(path)
    if issubclass(entry.callback.view_class, ProtectedAPIView):
        # An API answers scripts with a challenge, not with the login page.
        assert response.status_code == 401, (
            f"{method.upper()} {path} answered {response.status_code}"
        )
        assert response["WWW-Authenticate"].startswith("Basic")
        return
    assert response.status_code == 302, f"{method.upper()} {path} answered {response.status_code}"
    assert response["Location"].startswith("/accounts/login/?next=")


# A name that says only what is done (``list``, ``create``) leaves the reader to guess to
# what; the names read ``app:model_action`` (``contracts:contract_list``).
BARE_ACTIONS = {"list", "create", "edit", "delete", "import", "import_template", "detail"}
# Apps whose pages are about no one model: their names are the page's own.
NOT_ABOUT_A_MODEL = {"accounts", "api_tokens", "exchange", "reports", "catalog", "audit"}
# The departure watch's page of one log import: the audit log records its pages by name.
NAMED_AS_AUDITED = {"watch:import"}


def test_url_names_name_the_model_they_act_on():
    bare = sorted(
        name
        for name, _, _ in ALL
        if ":" in name
        and name.split(":")[0] not in NOT_ABOUT_A_MODEL
        and name.split(":")[-1] in BARE_ACTIONS
        and name not in NAMED_AS_AUDITED
    )
    assert bare == []
