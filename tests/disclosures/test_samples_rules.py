"""The sample rules fire on the problem they name, and stop once it is dealt with."""

from __future__ import annotations

import datetime

import pytest

from mamori.disclosures.services import samples as services
from mamori.findings.registry import RuleContext, registry, specs
from tests.sites import factories as make

pytestmark = pytest.mark.django_db


def run(rule_id: str, today: datetime.date | None = None):
    return registry.run(specs(), RuleContext(today=today or make.today()), only=[rule_id])


def labels(findings) -> list[list[str]]:
    return [[ref.label for ref in finding.objects] for finding in findings]


def test_sample_overdue__fires_the_day_after_the_due_date():
    party = make.counterparty("海外顧客A社")
    sample = make.sample(party, description="試作セル", due_back_on=make.days_ahead(3))
    assert run("disclosures.sample_overdue") == []
    assert run("disclosures.sample_overdue", make.days_ahead(3)) == []  # due today: not late
    findings = run("disclosures.sample_overdue", make.days_ahead(4))
    assert labels(findings) == [["試作セル", "海外顧客A社"]]
    assert [ref.type for ref in findings[0].objects] == [
        "disclosures.sample",
        "partners.counterparty",
    ]
    assert findings[0].objects[0].id == sample.pk
    assert findings[0].params["due"]["en"]


def test_sample_overdue__stops_once_returned():
    sample = make.overdue_sample(description="試作セル")
    assert len(run("disclosures.sample_overdue")) == 1
    services.sample_record_return(sample=sample, returned_on=make.today())
    assert run("disclosures.sample_overdue") == []


def test_sample_overdue__stops_when_the_due_date_is_moved():
    sample = make.overdue_sample()
    services.sample_update(
        sample=sample,
        counterparty=sample.counterparty,
        description=sample.description,
        lent_on=sample.lent_on,
        due_back_on=make.days_ahead(10),
    )
    assert run("disclosures.sample_overdue") == []


def test_sample_not_inspected__fires_on_return_and_stops_on_inspection():
    sample = make.sample(make.counterparty("B社"), description="評価基板", lent_on=make.days_ago(9))
    assert run("disclosures.sample_not_inspected") == []  # still out
    services.sample_record_return(sample=sample, returned_on=make.days_ago(1))
    assert labels(run("disclosures.sample_not_inspected")) == [["評価基板", "B社"]]
    services.sample_record_inspection(
        sample=sample, inspected_on=make.today(), reverse_engineering_signs=False
    )
    assert run("disclosures.sample_not_inspected") == []


def test_sample_not_inspected__an_inspection_with_signs_also_closes_it():
    sample = make.sample(lent_on=make.days_ago(9))
    services.sample_record_return(sample=sample, returned_on=make.days_ago(1))
    services.sample_record_inspection(
        sample=sample, inspected_on=make.today(), reverse_engineering_signs=True, note="開封痕"
    )
    assert run("disclosures.sample_not_inspected") == []
