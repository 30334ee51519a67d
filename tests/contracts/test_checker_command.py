"""``mamori contract check``: text and JSON output, exit status."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.data.contracts.corpus import HEAD_JA, apply_edits, sample

NDA = sample("nda_ja_word")


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("contract", *args, stdout=out)
    return out.getvalue()


def test_a_complete_contract_exits_zero_and_prints_the_json_of_the_issue(tmp_path):
    path = tmp_path / "nda.docx"
    path.write_bytes(NDA.data)
    data = json.loads(run("check", str(path), "--format", "json"))
    assert data["type"] == "nda" and 0.8 <= data["type_confidence"] <= 1
    assert {entry["status"] for entry in data["clauses"]} == {"present"}
    first = data["clauses"][2]
    assert first == {
        "id": "confidentiality",
        "title_ja": "秘密保持義務",
        "status": "present",
        "article": "第2条（秘密保持義務）",
        "quote": (
            "乙は、秘密情報を厳に秘密として保持し、善良な管理者の注意をもって管理しなければならない。"
        ),
    }


def test_a_missing_required_clause_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "nda.txt"
    path.write_text(apply_edits(NDA.text, [{"remove": "第7条"}], HEAD_JA), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("check", str(path), "--type", "nda")
    assert error.value.returncode == 1 and "no_reverse_engineering" in str(error.value)


def test_license_is_accepted_as_the_issue_spells_it(tmp_path):
    path = tmp_path / "nda.docx"
    path.write_bytes(NDA.data)
    with pytest.raises(CommandError) as error:
        run("check", str(path), "--type", "license", "--format", "json")
    assert error.value.returncode == 1


def test_text_output_lists_each_required_clause(tmp_path):
    path = tmp_path / "nda.docx"
    path.write_bytes(NDA.data)
    out = run("check", str(path), "--language", "en")
    assert "○ 秘密保持義務" not in out and "Confidentiality duty [present]" in out
    assert out.strip().endswith("11 present, 0 weak, 0 missing of 11 required")


def test_unreadable_files_exit_two_with_a_clear_message(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(CommandError) as error:
        run("check", str(path))
    assert error.value.returncode == 2 and "broken.docx" in str(error.value)
    with pytest.raises(CommandError) as error:
        run("check", str(tmp_path / "nothing.docx"))
    assert error.value.returncode == 2
