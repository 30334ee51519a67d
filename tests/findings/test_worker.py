"""The background runner for real: a full findings run queued by a page waits in the
database (django-tasks' database backend, not the immediate one of the other tests) until
``mamori db_worker`` takes it, runs it and stores the findings."""

from __future__ import annotations

import signal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from mamori.findings.models import Finding, FindingsState
from mamori.findings.services import findings_request_full_run
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
UNMARKED = "assets.secret_without_marking"


@pytest.fixture
def signals_kept():
    """The worker sets its own Ctrl-C and SIGTERM handlers: give the test run's back."""
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


@pytest.fixture
def connection_kept(monkeypatch):
    """The worker recycles database connections on each loop; here the connection holds the
    test's transaction, so closing it (PostgreSQL does, SQLite's in-memory test database
    ignores it) would end the test's view of its own data."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_runs_a_queued_full_run_end_to_end(signals_kept, connection_kept):
    asset = f.asset("未表示の配合表", marking="")
    findings_request_full_run()

    (queued,) = DBTaskResult.objects.all()
    assert queued.status == "READY" and queued.task_path.endswith("findings_refresh_task")
    assert not Finding.objects.exists()  # queued, not run
    assert FindingsState.objects.get(pk=1).pending_rules  # the pages say a run is pending

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.traceback
    finding = Finding.objects.get(rule=UNMARKED)
    assert finding.status == "open" and finding.subject_id == str(asset.pk)
    assert queued.return_value == Finding.objects.filter(status="open").count()
    state = FindingsState.objects.get(pk=1)
    assert state.pending_rules == [] and state.evaluated_at is not None
