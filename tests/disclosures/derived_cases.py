"""Derived-status cases for the disclosures rows (see tests/findings/cases.py)."""

from __future__ import annotations

from tests.findings.cases import Case

CASES: list[Case] = []
