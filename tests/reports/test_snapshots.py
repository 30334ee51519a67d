"""Daily progress snapshots: one a day, taken by every report; a made-up history in the demo."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.assessment import services as checklist_services
from mamori.audit.models import Action, AuditEntry
from mamori.core.actor import Actor, acting_as
from mamori.demo.builder import build_demo
from mamori.reports.models import ProgressSnapshot
from mamori.reports.services import report_pdf_create, snapshot_record

pytestmark = pytest.mark.django_db

ROW = "urn:mamori:row:common:organisation"


def test_a_snapshot_counts_the_stage_rows_and_a_later_one_replaces_it(
    officer, company_at_stage, officer_appointed
):
    company_at_stage("seed_early")
    first = snapshot_record()
    assert (first.stage, first.rows_done, first.is_demo) == ("seed_early", 0, False)
    assert first.rows_total >= 10

    with acting_as(officer):
        checklist_services.answer_update(row_id=ROW, status="done", owner=officer)
    second = snapshot_record()
    assert ProgressSnapshot.objects.count() == 1
    assert second.pk == first.pk and second.rows_done == 1
    assert second.percent_done == round(100 * 1 / second.applicable)


def test_before_a_stage_is_decided_a_snapshot_has_no_rows(db):
    snapshot = snapshot_record(day=datetime.date(2026, 1, 5))
    assert (snapshot.stage, snapshot.rows_total, snapshot.percent_done) == ("", 0, 100)


def test_a_report_takes_todays_snapshot_and_is_recorded_as_an_export(officer, company_at_stage):
    company_at_stage("seed_early")
    with acting_as(officer):
        report = report_pdf_create(user=officer)
    assert report.data.startswith(b"%PDF-") and report.pages >= 5
    assert ProgressSnapshot.objects.filter(day=timezone.localdate()).exists()
    entry = AuditEntry.objects.filter(action=Action.EXPORT, object_type="reports.pdf").get()
    assert entry.actor_id == officer.pk
    assert entry.changes == {"edition": "internal", "language": "ja", "pages": report.pages}


def test_the_demo_has_eight_weeks_of_made_up_rising_progress(db):
    today = timezone.localdate()
    with acting_as(Actor(user_id=None, label="test:demo")):
        build_demo(today)
    points = list(ProgressSnapshot.objects.order_by("day"))
    assert len(points) == 9
    assert points[0].day == today - datetime.timedelta(weeks=8)
    assert [p.is_demo for p in points] == [True] * 8 + [False]
    done = [p.rows_done for p in points]
    assert done == sorted(done) and done[0] < done[-1]
    assert points[0].findings_open > points[-1].findings_open
    for point in points:
        assert point.rows_done + point.rows_in_progress + point.rows_not_applicable <= (
            point.rows_total
        )
