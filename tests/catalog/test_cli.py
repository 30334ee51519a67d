"""``mamori catalog check|export`` and the refusal to start on an invalid catalog."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mamori.catalog.loader import DEFAULT_DIR


def _mamori(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MAMORI_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args],
        env={**clean, "MAMORI_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    result = _mamori(["catalog", "export", "--format", "json"], tmp_path_factory.mktemp("export"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def broken_catalog(tmp_path: Path) -> Path:
    directory = tmp_path / "catalog"
    shutil.copytree(DEFAULT_DIR, directory)
    return directory


def test_export_holds_every_stage_with_the_printed_row_counts(exported):
    assert [s["id"] for s in exported["stages"]] == ["seed_early", "middle", "later"]
    assert exported["stages"][0]["name_ja"] == "シード～アーリー期"
    counts = {stage: len(rows) for stage, rows in exported["checklists"].items()}
    assert counts == {"seed_early": 11, "middle": 10, "later": 10}


def test_export_rows_have_the_agreed_shape(exported):
    channels = {"common", "people", "joint_research", "overseas_production", "alignment"}
    for rows in exported["checklists"].values():
        for row in rows:
            assert {"id", "channel", "title_ja", "title_en", "guidance_pages"} <= set(row)
            assert row["channel"] in channels
            assert all(isinstance(page, int) for page in row["guidance_pages"])


def test_export_expands_page_ranges(exported):
    rows = {row["title_ja"]: row for row in exported["checklists"]["seed_early"]}
    dd = rows["公開情報や日々のコミュニケーションを基に、共同研究先のDDを実施する"]
    assert dd["guidance_pages"] == list(range(120, 129))
    assert rows["情報管理に関するルールを整備し、運用する"]["guidance_pages"] == [65, 88, 89]


def test_export_holds_cases_and_contacts(exported):
    assert len(exported["cases"]) == 7
    assert {case["stage"] for case in exported["cases"]} == {"seed_early", "middle", "later"}
    assert len(exported["contacts"]) == 10
    by_phone = {contact["phone"]: contact for contact in exported["contacts"]}
    assert by_phone["011-709-1752"]["email"] == "bzl-hokkaido-kokusai@meti.go.jp"
    assert by_phone["03-3581-1101"]["email"] == "ip-sr01@inpit.go.jp"


def test_check_passes_on_the_shipped_catalog(tmp_path):
    result = _mamori(["catalog", "check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "seed_early 11 rows" in result.stdout


def test_check_names_file_and_field_of_a_missing_field(tmp_path, broken_catalog):
    path = broken_catalog / "checklist.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    del document["rows"][3]["title"]["en"]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = _mamori(["catalog", "check", "--path", str(broken_catalog)], tmp_path)
    assert result.returncode != 0
    assert "checklist.yaml: rows[3].title.en" in result.stderr


def test_check_names_a_duplicate_id(tmp_path, broken_catalog):
    path = broken_catalog / "cases.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["cases"][1]["id"] = document["cases"][0]["id"]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = _mamori(["catalog", "check", "--path", str(broken_catalog)], tmp_path)
    assert result.returncode != 0
    assert "cases.yaml: cases[1].id: duplicate id" in result.stderr


def test_the_app_refuses_to_start_on_an_invalid_catalog(tmp_path, broken_catalog):
    path = broken_catalog / "stages.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    del document["stages"][1]["definition"]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = _mamori(["check"], tmp_path, MAMORI_CATALOG_DIR=str(broken_catalog))
    assert result.returncode == 2
    assert "stages.yaml: stages[1].definition" in result.stderr
    assert "Traceback" not in result.stderr
