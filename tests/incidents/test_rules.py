"""The incident rules fire and stop as the register changes, under the company's policy."""

from __future__ import annotations

import pytest

from mamori.company.models import Company
from mamori.findings.registry import RuleContext, registry, specs
from mamori.incidents import services
from tests.incidents import factories as make

pytestmark = pytest.mark.django_db
RULES = [rule_id for rule_id in specs().rules if rule_id.startswith("incidents.")]


def run(rule_id: str):
    return registry.run(specs(), RuleContext(today=make.today()), only=[rule_id])


def test_every_incident_rule_has_tests_here():
    tested = {name.removeprefix("test_").split("__")[0] for name in globals()}
    for rule_id in RULES:
        assert rule_id.split(".", 1)[1] in tested, f"{rule_id} has no test"


def test_not_contained__fires_after_the_default_three_days():
    late = make.incident(found_on=make.days_ago(4))
    make.incident("まだ期限内", found_on=make.days_ago(3))
    [finding] = run("incidents.not_contained")
    assert finding.objects[0].id == late.pk and finding.objects[0].label == f"#{late.pk}"
    assert "3日" in finding.message("ja") and late.title not in finding.message("ja")


def test_not_contained__stops_with_a_containment_step_or_closing():
    incident = make.incident(found_on=make.days_ago(10))
    make.contain(incident, done_on=make.days_ago(9))
    assert run("incidents.not_contained") == []


def test_not_contained__follows_the_company_policy():
    make.incident(found_on=make.days_ago(4))
    Company.objects.create(name="株式会社テスト", incident_containment_days=7)
    assert run("incidents.not_contained") == []
    Company.objects.update(incident_containment_days=1)
    assert len(run("incidents.not_contained")) == 1


def test_concern_not_reviewed__fires_after_a_week_and_stops_once_reviewed(employee):
    old = make.concern(employee, occurred_on=make.days_ago(8))
    make.concern(employee, occurred_on=make.days_ago(2))
    [finding] = run("incidents.concern_not_reviewed")
    assert finding.objects[0].id == old.pk
    services.concern_review(
        concern=old, reviewed_on=make.today(), review_note="名刺のみ交換、対応不要"
    )
    assert run("incidents.concern_not_reviewed") == []
