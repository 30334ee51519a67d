"""The governance rules fire and stop as the records change."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.company.models import Company
from mamori.findings.registry import RuleContext, registry, specs
from mamori.governance import services
from mamori.governance.models import PostureArea, PostureMeasure
from tests.governance import factories as make

pytestmark = pytest.mark.django_db
RULES = [rule_id for rule_id in specs().rules if rule_id.startswith("governance.")]


def run(rule_id: str):
    return registry.run(specs(), RuleContext(today=make.today()), only=[rule_id])


def test_every_governance_rule_has_tests_here():
    tested = {name.removeprefix("test_").split("__")[0] for name in globals()}
    for rule_id in RULES:
        assert rule_id.split(".", 1)[1] in tested, f"{rule_id} has no test"


@pytest.fixture
def company():
    return Company.objects.create(name="株式会社テスト技研")


def test_officer_not_appointed__waits_for_the_company_profile():
    assert run("governance.officer_not_appointed") == []  # a fresh install


def test_officer_not_appointed__fires_without_one_and_stops_with_one(company):
    [finding] = run("governance.officer_not_appointed")
    assert "責任者の任命" in finding.message("ja")
    make.appointment()
    assert run("governance.officer_not_appointed") == []


def test_officer_not_appointed__fires_again_once_the_appointment_ended(company):
    make.appointment(ended_on=make.days_ago(1))
    assert len(run("governance.officer_not_appointed")) == 1


def test_posture_review_overdue__fires_a_year_after_the_last_review():
    measure = make.measure(PostureArea.CYBER)
    assert run("governance.posture_review_overdue") == []
    PostureMeasure.objects.filter(pk=measure.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    [finding] = run("governance.posture_review_overdue")
    assert finding.objects[0].id == measure.pk and "サイバー" in finding.message("ja")
    services.posture_review_record(
        measure=measure, reviewed_on=make.today(), reviewed_by="鈴木", result="パッチ適用を確認"
    )
    assert run("governance.posture_review_overdue") == []
