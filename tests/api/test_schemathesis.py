"""Schemathesis runs every operation of the served OpenAPI schema against the app (in
process, through WSGI) as the demo company's officer, and checks that no answer is a
server error and that every answer conforms to the schema (status, content type, body).

Generated ids rarely exist, so some cases use the ids of real entries (read from each
register's list) and real people, assets and counterparties in request bodies.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WsgiClient

from mamori.api import services
from mamori.assets.models import InformationAsset, SecrecyClass, Technology
from mamori.core.actor import acting_as
from mamori.demo.builder import build_demo
from mamori.disclosures.models import Disclosure
from mamori.exportcontrol.services.authorizations import authorization_record, catch_all_record
from mamori.partners.models import Counterparty
from mamori.people.models import Department, Person
from mamori.sites import services as site_services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Schemathesis' own pytest loader (``schemathesis.pytest.from_fixture``) does not work
# with pytest 9, so each operation's strategy is run with Hypothesis directly.
HYPOTHESIS = settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _more_records(officer: Any) -> None:
    """Add what the demo company does not have: an overseas site, a licence, a check."""
    today = timezone.localdate()
    foreign = Counterparty.objects.exclude(country="JP").order_by("pk").first()
    with acting_as(officer):
        site = site_services.site_save(
            name="蘇州試作ライン", kind="production", country="CN", operator=foreign
        )
        site_services.site_audit_record(
            site=site, audited_on=today - datetime.timedelta(days=30), auditor="佐藤", result="良好"
        )
        authorization_record(
            technology=Technology.objects.order_by("pk").first(),
            kind="licence",
            reference="経済産業省 許可第123号",
            decided_by="佐藤",
            decided_on=today - datetime.timedelta(days=10),
            user=officer,
            counterparty=foreign,
        )
        catch_all_record(
            disclosure=Disclosure.objects.order_by("pk").first(),
            end_use="評価用途",
            end_user="研究所",
            conclusion="no_concern",
            checked_by="佐藤",
            checked_on=today,
        )


@pytest.fixture
def officer_token(db, settings, tmp_path) -> str:
    settings.WATCH_DIR = tmp_path / "watch"  # the demo's log store, one per test
    users = build_demo()
    officer = users["sato"]
    _more_records(officer)
    with acting_as(officer):
        return services.token_create(user=officer, name="schemathesis").key


@pytest.fixture
def api_schema(officer_token):
    # The app runs in the test's transaction: keep Django from closing the connection at
    # the end of each request, as its own test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/",
            get_wsgi_application(),
            headers={"Authorization": f"Token {officer_token}"},
        )
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _ids(model: type) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:5])


def _body_references() -> dict[str, list[int]]:
    people, counterparties = _ids(Person), _ids(Counterparty)
    return {
        "person": people,
        "owner": people,
        "asset": _ids(InformationAsset),
        "scope": _ids(InformationAsset),
        "technologies": _ids(Technology),
        "secrecy_class": _ids(SecrecyClass),
        "department": _ids(Department),
        "counterparty": counterparties,
        "other_parties": counterparties,
    }


def _entry_ids(app: Any, path: str, token: str) -> list[int]:
    """Return ids of real entries for ``/api/<register>/{id}/…``, read from its list.

    Through the WSGI app like the cases (Django's test client would reconnect the
    handler that closes the test's database connection after each request)."""
    listing = path.split("{id}")[0]
    response = WsgiClient(app).get(
        listing, query_string={"limit": 5}, headers={"Authorization": f"Token {token}"}
    )
    return [row["id"] for row in response.json["results"]]


def _strategy(operation: Any, path_ids: list[int], references: dict[str, list[int]]) -> Any:
    generated = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    if path_ids:
        real = st.sampled_from(path_ids).flatmap(
            lambda pk: operation.as_strategy(path_parameters={"id": pk})
        )
        generated += [real, real]
    cases = st.one_of(generated)
    if operation.method.upper() not in {"POST", "PATCH"}:
        return cases

    @st.composite
    def with_real_references(draw: Any) -> Any:
        case = draw(cases)
        if isinstance(case.body, dict):
            for name, ids in references.items():
                if name in case.body and ids and draw(st.booleans()):
                    pk = draw(st.sampled_from(ids))
                    case.body[name] = [pk] if isinstance(case.body[name], list) else pk
        return case

    return with_real_references()


# Every other operation per test, so that two workers share the run.
SHARDS = 2


@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_conforms_to_its_schema(api_schema, officer_token, shard):
    headers = {"Authorization": f"Token {officer_token}"}
    references = _body_references()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 60
    failures = {}
    for operation in operations[shard::SHARDS]:
        path_ids = (
            _entry_ids(api_schema.app, operation.path, officer_token)
            if "{id}" in operation.path
            else []
        )

        @HYPOTHESIS
        @given(case=_strategy(operation, path_ids, references))
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Exception as exc:
            failures[operation.label] = exc
    assert not failures, "\n\n".join(f"{label}:\n{exc}" for label, exc in failures.items())
