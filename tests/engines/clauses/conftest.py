"""Fixtures of the contract checker's tests: the requirements, compiled once."""

from __future__ import annotations

import pytest

from mamori.engines.clauses import Requirements, load_requirements


@pytest.fixture(scope="session")
def requirements() -> Requirements:
    return load_requirements()
