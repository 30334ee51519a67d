"""Derived-status cases for the partners rows (see tests/findings/cases.py)."""

from __future__ import annotations

from tests.findings.cases import Case

CASES: list[Case] = []
