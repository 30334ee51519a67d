"""``mamori contract check``: text and JSON output, exit status."""

from __future__ import annotations

import io
import json
from pathlib import Path

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
    assert "○ 秘密保持義務" not in out and "○ Confidentiality duty [Present]" in out
    assert out.strip().endswith("Missing 0, Weak 0, Present 11 of 11 required")


def test_text_output_uses_the_status_labels_of_the_web_and_lists_what_needs_work_first(tmp_path):
    from io import StringIO

    from mamori.contracts.statuses import status_label

    path = tmp_path / "nda.txt"
    path.write_text(apply_edits(NDA.text, [{"remove": "第7条"}], HEAD_JA), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("contract", "check", str(path), "--type", "nda", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("× ") and f"[{status_label('missing', 'ja')}]" in lines[1]
    marks = [line[0] for line in lines[1:] if line[:1] in "×△○"]
    assert marks == sorted(marks, key="×△○".index) and marks.count("○") == 10
    assert all(f"[{status_label('present', 'ja')}]" in line for line in lines if line[:1] == "○")
    assert lines[-1].startswith("必須 11 条項中 欠落 1")


def test_unreadable_files_exit_two_with_a_clear_message(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(CommandError) as error:
        run("check", str(path))
    assert error.value.returncode == 2 and "broken.docx" in str(error.value)
    with pytest.raises(CommandError) as error:
        run("check", str(tmp_path / "nothing.docx"))
    assert error.value.returncode == 2


REAL = Path(__file__).parents[1] / "data" / "real_contracts" / "files"


def test_redline_writes_the_negotiation_draft(tmp_path):
    from docx import Document

    output = tmp_path / "draft.docx"
    out = run(
        "redline",
        str(REAL / "ja-nda-meti-material.docx"),
        "-o",
        str(output),
        "--type",
        "manufacturing",
    )
    assert "第10条の2" in out and "word/document.xml" in out
    assert Document(str(output)).paragraphs
    assert [p.name for p in tmp_path.iterdir()] == ["draft.docx"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.docx", b"PK\x03\x04garbage", "damaged"),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 504
            + "EncryptionInfo".encode("utf-16-le")
            + b"\x00" * 1000,
            "password",
        ),
        ("scan.pdf", None, "scanned"),
    ],
)
def test_redline_of_an_unreadable_file_exits_two_and_writes_nothing(tmp_path, name, data, message):
    if data is None:
        from reportlab.pdfgen import canvas

        buffer = io.BytesIO()
        page = canvas.Canvas(buffer)
        page.rect(50, 50, 400, 600, fill=1)  # an image of a page, no text
        page.save()
        data = buffer.getvalue()
    source = tmp_path / name
    source.write_bytes(data)
    output = tmp_path / "out" / "draft.docx"
    output.parent.mkdir()
    with pytest.raises(CommandError) as error:
        run("redline", str(source), "-o", str(output), "--language", "en")
    assert error.value.returncode == 2 and name in str(error.value)
    assert message in str(error.value)
    assert list(output.parent.iterdir()) == []
