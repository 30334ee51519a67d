"""The exhibition rule and requirement: an upcoming exhibition needs an approved scope."""

from __future__ import annotations

import datetime

import pytest

from mamori.disclosures import rules
from mamori.disclosures.services import exhibitions as services
from mamori.findings.registry import RuleContext, registry, specs
from tests.sites import factories as make

pytestmark = pytest.mark.django_db

RULE = "disclosures.exhibition_without_scope"


def run(today: datetime.date | None = None):
    return registry.run(specs(), RuleContext(today=today or make.today()), only=[RULE])


def test_exhibition_without_scope__fires_within_thirty_days_of_the_start(officer):
    exhibition = make.exhibition("光学技術展", starts_on=make.days_ahead(40))
    assert run() == []  # too far ahead to worry yet
    findings = run(make.days_ahead(10))  # 30 days before the start
    assert [[ref.label for ref in f.objects] for f in findings] == [["光学技術展"]]
    assert findings[0].objects[0].type == "disclosures.exhibition"
    assert findings[0].objects[0].id == exhibition.pk


def test_exhibition_without_scope__fires_during_the_event_and_not_after():
    make.exhibition(starts_on=make.days_ago(1), ends_on=make.days_ahead(1))
    assert len(run()) == 1
    assert run(make.days_ahead(2)) == []  # over: nothing left to approve


def test_exhibition_without_scope__stops_once_approved(officer):
    exhibition = make.exhibition(starts_on=make.days_ahead(5))
    assert len(run()) == 1
    services.exhibition_approve_scope(exhibition=exhibition, approved_by=officer)
    assert run() == []


def test_exhibition_without_scope__fires_again_when_the_scope_changes(officer):
    exhibition = make.approved_exhibition(officer, starts_on=make.days_ahead(5))
    assert run() == []
    services.exhibition_save(
        exhibition=exhibition,
        name=exhibition.name,
        starts_on=exhibition.starts_on,
        ends_on=exhibition.ends_on,
        may_disclose="試作品の実演も可",
        must_not_disclose=exhibition.must_not_disclose,
    )
    assert len(run()) == 1


def _context() -> RuleContext:
    return RuleContext(today=make.today())


def test_requirement_exhibitions_recorded(officer):
    assert not rules.exhibitions_recorded(_context())
    exhibition = make.exhibition()
    assert not rules.exhibitions_recorded(_context())  # recorded, not approved
    services.exhibition_approve_scope(exhibition=exhibition, approved_by=officer)
    assert rules.exhibitions_recorded(_context())
