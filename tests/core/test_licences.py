"""mamori may be shipped under Apache-2.0: the licence file and metadata say so, and no
runtime dependency's declared licence (read from its installed metadata) forbids it."""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("third_party", ROOT / "scripts" / "third_party.py")
third_party = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(third_party)


def test_the_licence_is_apache_2():
    assert (
        "Apache License\n                           Version 2.0" in (ROOT / "LICENSE").read_text()
    )
    assert metadata.metadata("mamori")["License-Expression"] == "Apache-2.0"


@pytest.fixture(scope="module")
def runtime_licences() -> list[dict[str, str]]:
    return third_party.licences(third_party.runtime_distributions())


def test_the_runtime_dependencies_are_what_mamori_requires(runtime_licences):
    names = {row["Name"].lower() for row in runtime_licences}
    assert {"django", "openpyxl", "reportlab", "janome"} <= names
    # Test tools are not shipped.
    assert not names & {"pytest", "playwright", "ruff", "pip-licenses"}


def test_no_runtime_dependency_forbids_shipping_under_apache(runtime_licences):
    assert third_party.forbidden(runtime_licences) == []


def test_third_party_md_lists_every_runtime_dependency(runtime_licences):
    listed = (ROOT / "THIRD_PARTY.md").read_text(encoding="utf-8")
    missing = [row["Name"] for row in runtime_licences if f"| {row['Name']} |" not in listed]
    assert missing == [], "run `make third-party`"
    assert "IPAexGothic" in listed


@pytest.mark.parametrize(
    ("licence", "refused"),
    [
        ("GNU General Public License v3 or later (GPLv3+)", True),
        ("GPL-2.0-only", True),
        ("AGPL-3.0-or-later", True),
        ("GNU Affero General Public License v3", True),
        ("SSPL-1.0", True),
        ("CC-BY-NC-4.0", True),
        ("LGPL-3.0-only", False),
        ("GNU Lesser General Public License v3 (LGPLv3)", False),
        ("MPL-2.0 AND MIT", False),
        ("Apache-2.0 OR BSD-3-Clause", False),
        ("MIT License", False),
    ],
)
def test_the_check_tells_copyleft_from_permissive(licence, refused):
    assert bool(third_party.forbidden([{"Name": "x", "License": licence}])) is refused
