"""``mamori run``: the development server with the task worker beside it; Ctrl-C stops both."""

from __future__ import annotations

import subprocess

import pytest
from django.core.management import call_command

from mamori.core.management.commands import run as run_command


class FakeWorker:
    pid = 4242

    def __init__(self, args):
        self.args = args
        self.terminated = False

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0

    def kill(self):  # pragma: no cover - only when terminate is ignored
        raise AssertionError("terminate was enough")


@pytest.fixture
def started(monkeypatch):
    workers: list[FakeWorker] = []

    def popen(args):
        workers.append(FakeWorker(args))
        return workers[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    return workers


def test_run_starts_the_worker_and_stops_it_on_ctrl_c(started, monkeypatch):
    served = []

    def runserver(name, addrport, use_reloader):
        served.append((name, addrport, use_reloader))
        raise KeyboardInterrupt

    monkeypatch.setattr(run_command, "call_command", runserver)
    monkeypatch.delenv("RUN_MAIN", raising=False)
    call_command("run", "127.0.0.1:8161")
    assert served == [("runserver", "127.0.0.1:8161", True)]
    (worker,) = started
    assert worker.args[-1] == "db_worker" and worker.terminated


def test_the_reloaded_server_process_starts_no_second_worker(started, monkeypatch):
    monkeypatch.setattr(run_command, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setenv("RUN_MAIN", "true")
    call_command("run", "--noreload")
    assert started == []
