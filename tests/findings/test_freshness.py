"""Freshness without evaluating every rule in a request: a change re-evaluates the rules
that read what changed, for the objects it touched; whole runs go to the task backend
(which runs them at once in the tests)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mamori.assets import services as asset_services
from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.findings.models import Finding, FindingsState, FindingStatus
from mamori.findings.registry import registry, specs
from mamori.findings.selectors import open_findings
from mamori.findings.services import (
    findings_catch_up,
    findings_ensure_fresh,
    findings_reevaluate,
    findings_refresh,
)
from mamori.lifecycle import services as lifecycle_services
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

LEAVER = "assets.leaver_holds_access"
WHOLE = "assets.core_technology_unmanaged"  # reads information assets as a whole
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def two_leavers():
    first, second = f.person("高橋 健"), f.person("佐々木 望")
    for person, asset in ((first, "電解液の配合表"), (second, "焼成炉の温度プロファイル")):
        f.grant(person, f.asset(asset))
        lifecycle_services.person_give_notice(person=person, notice_on=f.today())
    findings_refresh()
    return first, second


@pytest.fixture
def calls(monkeypatch):
    """Record the subjects each rule function is called for (``None``: all)."""
    seen: dict[str, list] = {}
    original = dict(registry._rules)
    for rule_id, function in original.items():

        def spy(ctx, rule_id=rule_id, function=function):
            seen.setdefault(rule_id, []).append(ctx.subjects)
            return function(ctx)

        monkeypatch.setitem(registry._rules, rule_id, spy)
    return seen


def _open(rule: str = LEAVER):
    return Finding.objects.filter(rule=rule, status__in=["open", "in_progress", "accepted"])


def test_a_change_re_evaluates_the_rules_reading_it_for_the_touched_person_only(
    two_leavers, editor, calls
):
    first, second = two_leavers
    assert _open().count() == 2
    evaluated_at = FindingsState.objects.get(pk=1).evaluated_at

    lifecycle_services.departure_revoke_all(person=first, revoked_by=editor)
    result = findings_catch_up()

    assert result is not None and result.targeted[LEAVER] == {str(first.pk)}
    assert calls[LEAVER] == [frozenset({str(first.pk)})]
    # Rules that do not read access grants were not run at all; no full run happened.
    assert "people.training_overdue" not in calls
    assert FindingsState.objects.get(pk=1).evaluated_at == evaluated_at
    assert [row.subject_id for row in _open()] == [str(second.pk)]
    resolved = Finding.objects.get(rule=LEAVER, subject_id=str(first.pk))
    assert resolved.status == FindingStatus.RESOLVED and resolved.resolved_at is not None


def test_a_read_catches_up_and_a_second_read_does_nothing(two_leavers, editor, calls):
    first, _ = two_leavers
    lifecycle_services.departure_revoke_all(person=first, revoked_by=editor)
    assert open_findings(rule=LEAVER).count() == 1
    calls.clear()
    assert open_findings(rule=LEAVER).count() == 1
    assert calls == {}


def test_renaming_an_asset_re_evaluates_the_findings_of_its_holders_only(two_leavers, calls):
    # The leaver's message names the asset: the rule reads information assets by the
    # path to the people holding grants to them, so only the holder is re-evaluated.
    first, _ = two_leavers
    asset = first.grants.get().asset
    asset_services.asset_save(asset=asset, name="電解液の配合表（第2版）")
    result = findings_catch_up()
    assert result.targeted[LEAVER] == {str(first.pk)} and LEAVER not in result.queued
    assert calls[LEAVER] == [frozenset({str(first.pk)})]
    finding = _open().get(subject_id=str(first.pk))
    assert "第2版" in finding.params["assets"]["ja"]


def test_a_change_a_rule_can_only_answer_as_a_whole_is_run_in_the_background(two_leavers, calls):
    # Whether a core technology is managed depends on all its assets: the rule reads
    # information assets as a whole ("*"), so the task runs it (at once, in the tests).
    first, _ = two_leavers
    asset_services.asset_save(asset=first.grants.get().asset, name="電解液の配合表（第2版）")
    result = findings_catch_up()
    assert WHOLE in result.queued and WHOLE not in result.targeted
    assert calls[WHOLE] == [None]
    assert FindingsState.objects.get(pk=1).pending_rules == []


@override_settings(TASKS=DUMMY_TASKS)
def test_whole_runs_wait_for_the_worker_and_the_page_says_so(
    two_leavers, calls, client_as, officer
):
    first, _ = two_leavers
    asset_services.asset_save(asset=first.grants.get().asset, name="別名")
    response = client_as(officer).get("/findings/")
    assert calls.get(WHOLE) is None  # queued, not run in the request
    assert WHOLE in FindingsState.objects.get(pk=1).pending_rules
    assert "再評価" in response.content.decode()


@override_settings(TASKS=DUMMY_TASKS)
def test_a_new_day_queues_a_full_run_instead_of_running_it(two_leavers, calls, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    findings_ensure_fresh()
    findings_ensure_fresh()  # queued once a day, not on every read
    state = FindingsState.objects.get(pk=1)
    assert calls == {} and state.full_requested_on == tomorrow
    assert set(state.pending_rules) == set(specs().rules)


def test_the_targeted_result_equals_a_full_run(two_leavers, editor):
    _, second = two_leavers
    f.grant(second, f.asset("量産ラインの図面"))
    findings_reevaluate({LEAVER: {str(second.pk)}})
    targeted = {row.key: (row.params, row.status) for row in Finding.objects.filter(rule=LEAVER)}
    findings_refresh()
    full = {row.key: (row.params, row.status) for row in Finding.objects.filter(rule=LEAVER)}
    assert targeted == full


def test_a_person_whose_grant_moves_to_another_is_re_evaluated_on_both_sides(two_leavers):
    # The audit entry of an update names the old and the new person.
    first, second = two_leavers
    grant = first.grants.get()
    grant.person = second
    grant.save()
    result = findings_catch_up()
    assert result.targeted[LEAVER] == {str(first.pk), str(second.pk)}
    assert [row.subject_id for row in _open()] == [str(second.pk)]


def test_every_rule_reads_at_least_one_model_and_paths_name_fields():
    for spec in specs().rules.values():
        assert spec.reads, spec.id
        if any(path != "*" for _, path in spec.reads):
            assert spec.subject, spec.id


def test_nightly_runs_every_rule(two_leavers, calls, capsys):
    call_command("findings", "nightly")
    assert set(calls) == set(specs().rules)
    assert "open finding(s)" in capsys.readouterr().out


def test_a_read_with_no_change_waiting_writes_and_locks_nothing(two_leavers, editor):
    """Issue 13 (load): views, exports and sign-ins in the log change no finding, so a page
    that reads after them takes no lock (on SQLite a transaction takes the write lock) and
    writes nothing; a change after them is still taken into account."""
    first, _ = two_leavers
    findings_ensure_fresh()
    audit_record(action=Action.VIEW, object_type="assets.informationasset", object_id=1)
    audit_record(action=Action.LOGIN, object_type="accounts.user", object_id=editor.pk)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            findings_ensure_fresh()
    sql = [query["sql"].upper() for query in queries.captured_queries]
    assert not [q for q in sql if q.startswith(("UPDATE", "INSERT", "SAVEPOINT", "BEGIN"))]
    assert not [q for q in sql if "FOR UPDATE" in q]
    # The first call reads the head, the state and the entries since; the others one row.
    assert len(sql) <= 7
    lifecycle_services.departure_revoke_all(person=first, revoked_by=editor)
    assert open_findings(rule=LEAVER).count() == 1
