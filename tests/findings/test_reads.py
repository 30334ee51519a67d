"""Every rule declares every model it reads: otherwise a change of that model would not
re-evaluate it. Each rule runs on the demo company and the tables of its SQL are checked
against its ``reads``."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mamori.findings.registry import RuleContext, registry, specs

TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _labels_by_table() -> dict[str, str]:
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        # A many-to-many table's changes are audited on the model that holds the field.
        owner = model._meta.auto_created or model
        tables[model._meta.db_table] = owner._meta.label_lower
    return tables


@pytest.mark.django_db
def test_every_table_a_rule_queries_is_in_its_reads(demo):
    tables = _labels_by_table()
    context = RuleContext(today=timezone.localdate())
    missing = {}
    for rule_id, spec in specs().rules.items():
        with CaptureQueriesContext(connection) as queries:
            list(registry._rules[rule_id](context))
        read = {
            tables[name]
            for query in queries.captured_queries
            for name in TABLE.findall(query["sql"])
            if name in tables
        }
        declared = {label for label, _ in spec.reads}
        if read - declared:
            missing[rule_id] = sorted(read - declared)
    assert missing == {}
