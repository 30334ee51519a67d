"""``mamori run``: the development server with the task worker beside it; Ctrl-C and SIGTERM
stop both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

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


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """The environment of a real ``mamori`` process on its own migrated SQLite database."""
    env = {
        **os.environ,
        "MAMORI_DATA_DIR": str(tmp_path_factory.mktemp("run-data")),
        "DJANGO_SETTINGS_MODULE": "mamori.settings.base",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("MAMORI_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "mamori", "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=600,
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("reload", [False, True], ids=["noreload", "autoreloader"])
def test_sigterm_stops_the_server_and_the_worker_and_exits(migrated, reload):
    port = _free_port()
    args = [sys.executable, "-m", "mamori", "run", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        args + ([] if reload else ["--noreload"]),
        env=migrated,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        worker, lines = None, []
        for line in server.stdout:  # wait for the ready line, however long start-up takes
            lines.append(line)
            if line.startswith("task worker started"):
                worker = int(line.split("pid ")[1].rstrip(")\n"))
            if "Quit the server with" in line:
                break
        assert worker is not None, "".join(lines)
        server.send_signal(signal.SIGTERM)
        rest, _ = server.communicate(timeout=120)
    finally:
        if server.poll() is None:  # pragma: no cover - only when the test fails
            server.kill()
    assert server.returncode == 0, "".join(lines) + rest
    assert "task worker stopped" in rest
    assert _gone(worker)
    with socket.socket() as again:  # the server (the reloader's child too) is gone
        again.bind(("127.0.0.1", port))
