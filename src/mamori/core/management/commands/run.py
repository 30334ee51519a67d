"""``mamori run [addr:port]``: the development server and the task worker together.

The worker (``mamori db_worker``) runs the background tasks the pages queue, such as the
full findings run. Both stop on Ctrl-C and on SIGTERM (a service manager's stop). In
production run them as two services (see the README's "Background worker" section).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve mamori for development and run the background task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="do not restart the server on code changes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # SIGTERM stops like Ctrl-C: the worker is stopped too, not left running alone.
        # (The autoreloader installs its own handler, which exits as cleanly.)
        previous = signal.signal(signal.SIGTERM, _interrupt)
        worker = None
        try:
            # runserver's autoreloader runs this command again in a child process
            # (RUN_MAIN): only the outer process starts the worker.
            if os.environ.get("RUN_MAIN") != "true":
                worker = subprocess.Popen([sys.executable, "-m", "mamori", "db_worker"])
                self.stdout.write(f"task worker started (pid {worker.pid})")
            call_command("runserver", options["addrport"], use_reloader=not options["noreload"])
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
                self.stdout.write("task worker stopped")
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
