"""Fixtures of the contract checker's tests: the requirements, compiled once."""

from __future__ import annotations

import pytest

from mamori.catalog.loader import load_clause_requirements
from mamori.engines.clauses import Requirements


@pytest.fixture(scope="session")
def requirements() -> Requirements:
    return load_clause_requirements()
