"""Findings and the checklist's status per row through the API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.assessment import services as checklist_services
from mamori.catalog.selectors import get_catalog
from mamori.core.actor import acting_as
from tests.assets import factories as make

pytestmark = pytest.mark.django_db

ORGANISATION = "urn:mamori:row:common:organisation"


def test_findings_are_paged_in_the_cli_format(api, auditor):
    make.asset("管理者不在の資料", owner=None)
    data = api(auditor).get("/api/findings/").json()
    assert set(data) == {"count", "next", "previous", "results"}
    finding = next(r for r in data["results"] if r["rule"] == "assets.secret_without_owner")
    assert finding["severity"] == "medium" and finding["title"] and finding["fix"]
    assert "管理者不在の資料" in finding["message"]
    (ref,) = finding["objects"]
    assert ref["type"] == "assets.informationasset" and ref["label"] == "管理者不在の資料"


def test_findings_filter_by_severity_and_rule(api, auditor):
    make.asset("管理者不在の資料", owner=None)
    client = api(auditor)
    medium = client.get("/api/findings/?severity=medium").json()["results"]
    assert medium and {row["severity"] for row in medium} == {"medium"}
    assert (
        client.get("/api/findings/?severity=critical&rule=assets.secret_without_owner").json()[
            "count"
        ]
        == 0
    )
    assert client.get("/api/findings/?severity=urgent").status_code == 400


def test_checklist_status_per_row(api, officer, company_at_stage):
    company_at_stage("seed_early")
    due = timezone.localdate() + datetime.timedelta(days=10)
    with acting_as(officer):
        checklist_services.answer_update(
            row_id=ORGANISATION, status="in_progress", owner=officer, due_date=due
        )
        checklist_services.evidence_add_link(
            row_id=ORGANISATION,
            added_by=officer,
            url="https://intranet.example/appointment",
            title="任命書",
            effective_date=timezone.localdate(),
        )
    data = api(officer).get("/api/checklist/").json()
    catalog = get_catalog()
    assert data["stage"] == data["company_stage"] == "seed_early"
    stage_rows = [row for row in data["rows"] if row["stage"] == "seed_early"]
    assert [row["id"] for row in stage_rows] == [r.id for r in catalog.rows_for_stage("seed_early")]
    row = next(row for row in data["rows"] if row["id"] == ORGANISATION)
    assert row["status"] == "in_progress" and row["evidence_count"] == 1
    assert row["owner"] == {"id": officer.pk, "name": "佐藤 美咲"}
    assert row["due_date"] == due.isoformat()
    untouched = next(r for r in stage_rows if r["id"] != ORGANISATION)
    assert untouched["status"] == "not_started" and untouched["owner"] is None


def test_checklist_of_another_stage_lists_rows_left_undone(api, officer, company_at_stage):
    company_at_stage("seed_early")
    client = api(officer)
    data = client.get("/api/checklist/?stage=middle").json()
    assert data["stage"] == "middle" and data["company_stage"] == "seed_early"
    assert {row["stage"] for row in data["rows"]} == {"middle", "seed_early"}
    assert client.get("/api/checklist/?stage=growth").status_code == 400
