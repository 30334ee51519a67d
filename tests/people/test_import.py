"""Importing people through the page and the CLI: all rows or none, audited writes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from mamori.assets.models import AccessReview
from mamori.audit.models import AuditEntry
from mamori.people import services
from mamori.people.importer import parse_people_file
from mamori.people.models import Person

pytestmark = pytest.mark.django_db

IMPORT = reverse("people:person_import")
HEADER = "社員番号,氏名,ふりがな,メール,区分,部署,役職,ノウハウを持つ技術者,入社日"
GOOD_ROWS = [
    "E-001,青木 一郎,あおき,aoki@example.jp,役員,研究開発部,CTO,はい,2020-04-01",
    "E-002,石井 二郎,いしい,,従業員,研究開発部,,いいえ,2021/10/01",
    "E-003,上田 三郎,うえだ,,インターン,研究開発部,,0,2024/04/01",
]
BAD_ROWS = [
    GOOD_ROWS[0],
    "E-002,石井 二郎,いしい,,従業員,開発本部,,いいえ,2021/10/01",
    "E-003,上田 三郎,うえだ,,インターン,研究開発部,,0,2024/13/01",
]


def _csv(rows: list[str], encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join([HEADER, *rows]).encode(encoding)


def _upload(content: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_file_with_bad_rows_writes_nothing_and_names_row_and_column(
    client_as, editor, department
):
    client = client_as(editor)
    audit_before = AuditEntry.objects.count()
    response = client.post(IMPORT, {"file": _upload(_csv(BAD_ROWS))})
    assert response.status_code == 400
    assert not Person.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert errors == {(3, "部署"), (4, "入社日")}
    page = response.content.decode()
    assert "開発本部" in page and "2024/13/01" in page and "data-import-error" in page


def test_the_corrected_file_imports_every_row(client_as, editor, department):
    response = client_as(editor).post(IMPORT, {"file": _upload(_csv(GOOD_ROWS))})
    assert response.status_code == 302 and response["Location"] == reverse("people:person_list")
    people = {p.employee_number: p for p in Person.objects.select_related("department")}
    assert set(people) == {"E-001", "E-002", "E-003"}
    assert people["E-001"].kind == "executive" and people["E-001"].is_key_engineer
    assert people["E-003"].kind == "intern" and people["E-003"].department == department
    # Each person is written through the services: audited, with the joining recorded.
    assert AuditEntry.objects.filter(object_type="people.person", action="create").count() == 3
    assert people["E-002"].events.get().kind == "joined"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and "3" in messages[0]


def test_dry_run_checks_and_writes_nothing(client_as, editor, department):
    response = client_as(editor).post(IMPORT, {"file": _upload(_csv(GOOD_ROWS)), "dry_run": "on"})
    assert response.status_code == 200
    assert response.context["checked"].to_create == 3
    assert not Person.objects.exists()


def test_shift_jis_csv_is_imported(client_as, editor, department):
    content = _csv(["E-9,髙橋 花子,たかはし,,従業員,研究開発部,主任,0,2022/04/01"], "cp932")
    response = client_as(editor).post(IMPORT, {"file": _upload(content)})
    assert response.status_code == 302
    assert Person.objects.get().name == "髙橋 花子"


def test_xlsx_is_imported(client_as, editor, department):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["社員番号", "氏名", "部署", "入社日"])
    sheet.append(["X-1", "エクセル 太郎", "研究開発部", "2023/04/01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client_as(editor).post(IMPORT, {"file": _upload(buffer.getvalue(), "people.xlsx")})
    assert response.status_code == 302
    assert Person.objects.get().name == "エクセル 太郎"


def test_too_large_file_gets_a_clear_message(client_as, editor, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 1024
    response = client_as(editor).post(IMPORT, {"file": _upload(_csv(GOOD_ROWS * 20))})
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert errors and "people.csv" in errors[0]
    assert not Person.objects.exists()


def test_not_a_spreadsheet_gets_a_clear_message(client_as, editor):
    response = client_as(editor).post(IMPORT, {"file": _upload(b"\x89PNG\r\n\x1a\n\0\0", "a.png")})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_known_employee_numbers_update_and_a_new_department_is_a_transfer(
    client_as, editor, make_person, department, sales
):
    existing = make_person("青木 一郎", employee_number="E-001", department=sales, title="主任")
    content = _csv(["E-001,青木 一郎,,,,研究開発部,,,", "E-010,新人 花子,,,,,,,"])
    response = client_as(editor).post(IMPORT, {"file": _upload(content)})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.department == department
    assert existing.title == "主任"  # a blank cell keeps the current value
    assert existing.events.filter(kind="transferred").count() == 1
    assert AccessReview.objects.filter(person=existing).exists()
    assert Person.objects.filter(employee_number="E-010").exists()


def test_importing_the_same_file_twice_changes_nothing(department):
    first = services.people_import(parsed=parse_people_file(_csv(GOOD_ROWS), "people.csv"))
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    audit_after_first = AuditEntry.objects.count()
    second = services.people_import(parsed=parse_people_file(_csv(GOOD_ROWS), "people.csv"))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.count() == audit_after_first


def test_a_row_refused_while_writing_rolls_back_every_row(department, make_person, make_user):
    # Linking is not done by the import, but a clash found only when writing (here, an
    # employee number taken between checking and writing) must undo the earlier rows.
    parsed = parse_people_file(_csv(GOOD_ROWS), "people.csv")
    make_person("割り込み", employee_number="E-003")
    with pytest.raises(services.PeopleImportError) as caught:
        services.people_import(parsed=parsed)
    assert [(e.row, e.column) for e in caught.value.errors] == [(4, "社員番号")]
    assert list(Person.objects.values_list("name", flat=True)) == ["割り込み"]


def test_template_download(client_as, editor):
    response = client_as(editor).get(reverse("people:person_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.decode("utf-8-sig").strip() == HEADER


# --- the CLI -------------------------------------------------------------------------------


def test_cli_imports_a_file(tmp_path, department, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(_csv(GOOD_ROWS))
    call_command("people", "import", str(path), "--language", "en")
    assert "3 added" in capsys.readouterr().out
    assert Person.objects.count() == 3
    entry = AuditEntry.objects.filter(object_type="people.person").last()
    assert entry.actor_label == "cli:people-import"


def test_cli_shows_progress_on_stderr_and_the_summary_on_stdout(tmp_path, department):
    path = tmp_path / "people.csv"
    path.write_bytes(_csv(GOOD_ROWS))
    out, err = io.StringIO(), io.StringIO()
    call_command("people", "import", str(path), "--language", "en", stdout=out, stderr=err)
    assert "Checking rows" in err.getvalue() and "Writing rows" in err.getvalue()
    assert "3/3" in err.getvalue()
    assert out.getvalue() == (
        f"Imported {path}: 3 added, 0 updated, 0 unchanged, 0 transfers recorded.\n"
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("people", "-v", "0", "import", str(path), stdout=out, stderr=err)
    assert err.getvalue() == "" and "変更なし 3 件" in out.getvalue()


def test_cli_errors_come_after_the_bar_not_inside_it(tmp_path, department):
    path = tmp_path / "people.csv"
    path.write_bytes(_csv(BAD_ROWS))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("people", "import", str(path), "--language", "en", stderr=err)
    last_lines = err.getvalue().splitlines()[-2:]
    assert all(line.startswith(str(path)) for line in last_lines)


def test_cli_dry_run_writes_nothing(tmp_path, department, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(_csv(GOOD_ROWS))
    call_command("people", "import", str(path), "--dry-run", "--language", "en")
    assert "3 to add" in capsys.readouterr().out
    assert not Person.objects.exists()


def test_cli_lists_every_error_and_writes_nothing(tmp_path, department, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(_csv(BAD_ROWS))
    with pytest.raises(CommandError) as caught:
        call_command("people", "import", str(path), "--language", "en")
    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert "row 3, column “部署”" in err and "row 4, column “入社日”" in err
    assert not Person.objects.exists()


def test_cli_refuses_a_missing_or_unreadable_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("people", "import", str(tmp_path / "missing.csv"))
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    with pytest.raises(CommandError, match=r"photo\.png"):
        call_command("people", "import", str(path))
