"""The ``mamori`` command: Django's management commands with mamori's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``mamori catalog check``, ``mamori runserver``...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings.base")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["mamori", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as exc:
        # Raised at start-up for an invalid catalog or missing production settings:
        # say what is wrong without a traceback.
        sys.stderr.write(f"mamori: {exc}\n")
        sys.exit(2)
