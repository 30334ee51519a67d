"""The role table holds at every URL: a signed-in user whose role lacks the capability a
page or API endpoint needs gets 403 (for reading: the view's ``capability``; for writing:
its ``write_capability``), on the demo company's own objects.

Anonymous users are covered by ``test_url_protection.py`` (the login page; 401 from the API).
"""

from __future__ import annotations

import typing
from types import UnionType

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.api import services as api_services
from mamori.api.base import ProtectedAPIView
from mamori.core.actor import acting_as
from mamori.core.views import AUTHENTICATED
from tests.core.test_url_protection import PROTECTED, SAMPLE_KWARGS


def _model_of(view_class: type) -> type[models.Model] | None:
    """Return the model whose objects the view shows, when it says so."""
    model = getattr(view_class, "model", None)
    if model is not None:
        return model
    selector = getattr(view_class, "selector", None)
    if selector is not None:
        returned = typing.get_type_hints(selector).get("return")
        for candidate in typing.get_args(returned) if isinstance(returned, UnionType) else ():
            if isinstance(candidate, type) and issubclass(candidate, models.Model):
                return candidate
    queryset = getattr(view_class, "queryset", None)
    return getattr(queryset, "model", None)


def _path(route: str, entry, view_class: type) -> str:
    model = _model_of(view_class)
    first = model._default_manager.order_by("pk").first() if model is not None else None
    path = "/" + route
    for key, converter in entry.pattern.converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        value = first.pk if kind == "int" and first is not None else SAMPLE_KWARGS.get(kind, "x")
        path = path.replace(f"<{kind}:{key}>", str(value))
    return path


@pytest.fixture(scope="module")
def demo_users(django_db_setup, django_db_blocker):
    """The demo company, built once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", verbosity=0)
            yield {role: User.objects.filter(role=role).order_by("pk").first() for role in Role}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(user: User, api: bool) -> Client:
    if not api:
        client = Client()
        client.force_login(user)
        return client
    with acting_as(user):
        key = api_services.token_create(user=user, name="role-table").key
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _answers(demo_users, route, entry) -> list[tuple[str, str, str, int]]:
    """Return (role, method, capability lacked, status) for each role lacking what the URL
    needs for reading (GET) or writing (POST)."""
    view_class = entry.callback.view_class
    api = issubclass(view_class, ProtectedAPIView)
    path = _path(route, entry, view_class)
    answers = []
    for role, user in demo_users.items():
        for method in ("GET", "POST"):
            needed = view_class().required_capability(method)
            if needed == AUTHENTICATED or user.has_capability(needed):
                continue
            client = _client(user, api)
            response = client.get(path) if method == "GET" else client.post(path, {})
            answers.append((role, method, needed, response.status_code))
    return answers


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route", "entry"), PROTECTED, ids=[p[0] for p in PROTECTED])
def test_a_role_without_the_capability_is_refused(demo_users, name, route, entry):
    wrong = [answer for answer in _answers(demo_users, route, entry) if answer[3] != 403]
    assert wrong == [], f"{name}: (role, method, capability lacked, status) answered"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("partners:counterparty_list", {("employee", "GET"), ("employee", "POST")}),
        ("partners:counterparty", {("employee", "GET"), ("auditor", "POST")}),
        ("api:asset_list", {("employee", "GET"), ("auditor", "POST")}),
    ],
)
def test_the_table_is_checked_for_the_roles_that_lack_the_capability(demo_users, name, expected):
    [(route, entry)] = [(r, e) for n, r, e in PROTECTED if n == name]
    answers = _answers(demo_users, route, entry)
    assert expected <= {(role, method) for role, method, _needed, _status in answers}
