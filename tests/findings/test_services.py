"""Storing findings: opened, kept with their first-seen time, resolved; and staleness."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.audit.models import Action
from mamori.audit.services import audit_record_object
from mamori.findings.models import Finding, FindingObject, FindingsState
from mamori.findings.services import findings_are_stale, findings_ensure_fresh, findings_refresh
from mamori.lifecycle import services as lifecycle_services
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

RULE = "assets.leaver_holds_access"


@pytest.fixture
def leaver():
    person = f.person("高橋 健")
    f.grant(person, f.asset("電解液の配合表"))
    lifecycle_services.person_give_notice(person=person, notice_on=f.today())
    return person


def _open(rule: str = RULE):
    return Finding.objects.filter(rule=rule, resolved_at__isnull=True)


def test_refresh_opens_keeps_and_resolves_a_finding(leaver, editor):
    first = findings_refresh()
    finding = _open().get()
    assert first.opened >= 1 and finding.params["count"] == 1
    assert FindingObject.objects.filter(
        finding=finding, object_type="people.person", object_id=str(leaver.pk)
    ).exists()

    # The same problem on the next run keeps its identity and its first-seen time.
    again = findings_refresh()
    kept = _open().get()
    assert (kept.pk, kept.key, kept.first_seen) == (finding.pk, finding.key, finding.first_seen)
    assert again.opened == 0 and again.resolved == 0

    # The problem grows (another asset): still the same finding, with new parameters.
    f.grant(leaver, f.asset("焼成炉の温度プロファイル"))
    findings_refresh()
    grown = _open().get()
    assert (grown.key, grown.first_seen) == (finding.key, finding.first_seen)
    assert grown.params["count"] == 2 and len(grown.refs_data) == 3

    # The problem goes away: resolved, not deleted.
    lifecycle_services.departure_revoke_all(person=leaver, revoked_by=editor)
    gone = findings_refresh()
    assert gone.resolved >= 1 and not _open().exists()
    assert Finding.objects.get(pk=finding.pk).resolved_at is not None


def test_a_problem_that_comes_back_is_reopened_with_a_new_first_seen(leaver, editor, monkeypatch):
    findings_refresh()
    first_seen = _open().get().first_seen
    lifecycle_services.departure_revoke_all(person=leaver, revoked_by=editor)
    findings_refresh()
    f.grant(leaver, f.asset("量産ラインの図面"))
    later = first_seen + datetime.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    result = findings_refresh()
    reopened = _open().get()
    assert result.opened >= 1 and reopened.first_seen == later
    assert Finding.objects.filter(rule=RULE).count() == 1


def test_findings_are_stale_until_evaluated():
    assert findings_are_stale()
    findings_refresh()
    assert not findings_are_stale()


def test_findings_are_stale_after_a_change(leaver):
    findings_refresh()
    f.person("新しい 人")
    assert findings_are_stale()
    findings_ensure_fresh()
    assert not findings_are_stale()


def test_reads_do_not_make_findings_stale(leaver):
    findings_refresh()
    audit_record_object(leaver, action=Action.VIEW)
    assert not findings_are_stale()


def test_findings_are_stale_when_the_day_turns(leaver, monkeypatch):
    findings_refresh()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert findings_are_stale()


def test_ensure_fresh_does_nothing_when_nothing_changed(leaver):
    findings_refresh()
    evaluated_at = FindingsState.objects.get(pk=1).evaluated_at
    findings_ensure_fresh()
    assert FindingsState.objects.get(pk=1).evaluated_at == evaluated_at
