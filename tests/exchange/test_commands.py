"""``mamori export`` and ``mamori import``: files, summaries, errors and exit codes."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from mamori.audit.models import AuditEntry
from mamori.people.models import Person

from .conftest import csv_bytes, xlsx

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_workbook_csv_directory_and_single_csv(tmp_path, company_at_stage, company):
    company_at_stage()
    out, err = _run("export", "-o", str(tmp_path / "all.xlsx"), "--verbosity", "0")
    assert "27" not in err  # no bar at verbosity 0
    book = load_workbook(tmp_path / "all.xlsx")
    assert "人員" in book.sheetnames and "all.xlsx" in out
    entry = AuditEntry.objects.filter(action="export").latest("seq")
    assert entry.actor_label == "officer"  # the command line acts as the officer
    _run("export", "-o", str(tmp_path / "csv"), "--language", "en", "-v", "0")
    assert (tmp_path / "csv" / "people.csv").read_bytes().startswith(b"\xef\xbb\xbfEmployee")
    _run("export", "-o", str(tmp_path / "p.csv"), "--register", "人員", "--encoding", "cp932")
    assert (tmp_path / "p.csv").read_bytes().decode("cp932").startswith("社員番号")
    with pytest.raises(CommandError):
        _run("export", "-o", str(tmp_path / "x.csv"), "-v", "0")  # many registers, one file
    with pytest.raises(CommandError):
        _run("export", "-o", str(tmp_path / "x.xlsx"), "--register", "nothing")


def test_import_writes_every_row_and_prints_a_summary(tmp_path, officer):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([["社員番号", "氏名"], ["E-1", "青木"], ["E-2", "石井"]], "cp932"))
    out, _err = _run("import", str(path), "--dry-run")
    assert "2" in out and not Person.objects.exists()
    out, _err = _run("import", str(path), "-v", "0")
    assert Person.objects.count() == 2 and "人員" in out


def test_import_errors_go_to_stderr_with_sheet_row_and_column_and_exit_1(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx({"人員": [["氏名", "入社日"], ["青木", "昨日"]]}))
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), stderr=err, stdout=io.StringIO())
    assert caught.value.returncode == 1
    assert "人員" in err.getvalue() and "2" in err.getvalue() and "入社日" in err.getvalue()
    assert not Person.objects.exists()


def test_templates(tmp_path):
    _run("import", "--template", "all", "-o", str(tmp_path / "t.xlsx"))
    assert "アクセス権限" in load_workbook(tmp_path / "t.xlsx").sheetnames
    _run("import", "--template", "trainings", "-o", str(tmp_path / "t.csv"), "--language", "en")
    assert (tmp_path / "t.csv").read_bytes().decode("utf-8-sig").startswith("Person,Course")
    with pytest.raises(CommandError):
        _run("import", "--template", "findings", "-o", str(tmp_path / "f.csv"))
