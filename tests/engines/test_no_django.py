"""The engines are plain Python: importing one in a fresh interpreter loads no Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import mamori.engines

ENGINES = sorted(
    path.name
    for path in Path(mamori.engines.__file__).parent.iterdir()
    if (path / "__init__.py").is_file()
)

PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
loaded = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(",".join(loaded))
"""


def test_every_engine_is_probed():
    assert {"clauses", "codenames", "rules", "screening", "watch"} <= set(ENGINES)


@pytest.mark.parametrize("engine", ENGINES)
def test_importing_an_engine_loads_no_django(engine):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, f"mamori.engines.{engine}"],
        capture_output=True,
        text=True,
        check=True,
        # No settings module: an engine that reached for Django's settings would fail too.
        env={"PATH": "", "PYTHONPATH": ":".join(sys.path)},
    )
    assert result.stdout.strip() == "", f"mamori.engines.{engine} imported {result.stdout}"


def test_the_probe_sees_django():
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "django.utils.text"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "PYTHONPATH": ":".join(sys.path)},
    )
    assert "django.utils.text" in result.stdout
