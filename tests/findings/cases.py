"""A derived-status test case: register states that satisfy a checked row, and that do not.

Each area lists its cases in ``tests/<app>/derived_cases.py`` (``CASES``);
``tests/findings/test_derived_status.py`` runs the same tests on all of them and fails
when a checked row in ``findings/rules.yaml`` has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    row: str
    satisfied: Callable[[], None]
    not_satisfied: Callable[[], None]
    reason: str  # what the registers say is missing (Japanese)
