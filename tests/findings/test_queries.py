"""The cost of evaluating the rules does not grow with the registers: a full run and a
targeted re-evaluation issue the same number of queries for a few findings as for many
(no query per finding or per object; timings are measured by benchmarks/scale.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.findings.models import Finding
from mamori.findings.services import findings_reevaluate, findings_refresh
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

UNMARKED = "assets.secret_without_marking"


def _unmarked(count: int, start: int = 0) -> list:
    return [
        f.asset(f"未表示の資料 {index:02d}", marking="") for index in range(start, start + count)
    ]


def _queries(function, *args) -> int:
    with CaptureQueriesContext(connection) as queries:
        function(*args)
    return len(queries)


def test_a_full_run_costs_the_same_queries_for_few_and_many_findings():
    _unmarked(2)
    findings_refresh()
    few = _queries(findings_refresh)  # nothing changed: every stored finding is compared
    _unmarked(8, start=2)
    findings_refresh()
    many = _queries(findings_refresh)
    assert Finding.objects.filter(rule=UNMARKED, status="open").count() == 10
    assert many == few


def test_a_targeted_re_evaluation_costs_the_same_queries_for_few_and_many_subjects():
    assets = _unmarked(10)
    findings_refresh()
    few = _queries(findings_reevaluate, {UNMARKED: {str(assets[0].pk)}})
    many = _queries(findings_reevaluate, {UNMARKED: {str(asset.pk) for asset in assets}})
    assert many == few
