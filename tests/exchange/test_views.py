"""The Excel and CSV page: export for readers; templates, upload → check → confirm for
editors; errors shown by sheet, row and column; nothing written before confirming."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from mamori.assets.models import Technology
from mamori.people.models import Person

from .conftest import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

INDEX = reverse("exchange:index")
EXPORT = reverse("exchange:export")
IMPORT = reverse("exchange:import")
CONFIRM = reverse("exchange:import_confirm")


def _upload(content: bytes, name: str = "registers.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


GOOD = xlsx(
    {
        "人員": [
            ["社員番号", "氏名", "区分"],
            ["E-10", "新人 一", "従業員"],
            ["E-11", "新人 二", ""],
        ],
        "技術": [["技術名", "分類"], ["新しい技術", "コア技術"]],
    }
)


def test_readers_export_and_only_editors_import(client_as, auditor, editor, employee):
    page = client_as(auditor).get(INDEX)
    assert page.status_code == 200
    assert not page.context["may_import"] and IMPORT not in page.content.decode()
    page = client_as(editor).get(INDEX)
    assert page.context["may_import"] and IMPORT in page.content.decode()
    assert client_as(employee).get(INDEX).status_code == 403
    assert client_as(auditor).post(IMPORT, {"file": _upload(GOOD)}).status_code == 403
    assert client_as(employee).get(EXPORT).status_code == 403


def test_download_every_register_as_a_workbook(client_as, auditor, company):
    response = client_as(auditor).get(EXPORT, {"format": "xlsx", "language": "ja"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mamori-registers-')
    book = load_workbook(io.BytesIO(response.content))
    assert "人員" in book.sheetnames and "指摘事項" in book.sheetnames


def test_download_one_register_as_shift_jis_csv_and_all_as_zip(client_as, auditor, company):
    client = client_as(auditor)
    response = client.get(EXPORT, {"register": "people", "format": "csv", "encoding": "cp932"})
    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    assert response.content.decode("cp932").startswith("社員番号,氏名")
    response = client.get(EXPORT, {"format": "csv", "encoding": "utf-8", "language": "en"})
    assert response["Content-Type"] == "application/zip"
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400


def test_templates_download(client_as, editor):
    client = client_as(editor)
    workbook = client.get(reverse("exchange:template", args=["all", "xlsx"]))
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[0] == "説明" and "アクセス権限" in book.sheetnames
    assert book["人員"]["A2"].value.startswith("#")
    template = client.get(reverse("exchange:template", args=["grants", "csv"]))
    assert template.content.decode("utf-8-sig").startswith("対象者,情報資産,必要な理由")
    assert client.get(reverse("exchange:template", args=["findings", "csv"])).status_code == 404


def test_upload_check_confirm_import(client_as, editor):
    client = client_as(editor)
    check = client.post(IMPORT, {"file": _upload(GOOD)})
    assert check.status_code == 200
    assert not Person.objects.exists()  # nothing before confirming
    sheets = {s.register.name: (s.to_create, s.to_update) for s in check.context["plan"].sheets}
    assert sheets == {"people": (2, 0), "technologies": (1, 0)}
    token = check.context["confirm_form"].initial["token"]
    done = client.post(CONFIRM, {"token": token}, follow=True)
    assert done.redirect_chain[-1][0] == INDEX
    assert Person.objects.count() == 2 and Technology.objects.get().category == "core"
    message = str(next(iter(done.context["messages"])))
    assert "2" in message and "人員" in message
    # The token is used up.
    client.post(CONFIRM, {"token": token})
    assert Person.objects.count() == 2


def test_a_file_with_errors_shows_them_by_sheet_row_and_column(client_as, editor):
    bad = xlsx({"人員": [["社員番号", "氏名", "入社日"], ["E-1", "青木", "2024/13/01"]]})
    response = client_as(editor).post(IMPORT, {"file": _upload(bad)})
    assert response.status_code == 400
    [error] = response.context["errors"]
    assert (error.sheet, error.row, error.column) == ("人員", 2, "入社日")
    page = response.content.decode()
    assert "data-import-error" in page and "2024/13/01" in page
    assert response.context["confirm_form"] is None
    assert not Person.objects.exists()


def test_a_shift_jis_csv_upload_with_the_register_chosen(client_as, editor):
    content = csv_bytes([["氏名", "区分"], ["髙橋 花子", "契約社員"]], encoding="cp932")
    client = client_as(editor)
    check = client.post(IMPORT, {"file": _upload(content, "list.csv"), "register": "people"})
    assert check.status_code == 200
    client.post(CONFIRM, {"token": check.context["confirm_form"].initial["token"]})
    assert Person.objects.get().name == "髙橋 花子"


def test_another_user_cannot_confirm_an_upload(client_as, editor, make_user):
    check = client_as(editor).post(IMPORT, {"file": _upload(GOOD)})
    token = check.context["confirm_form"].initial["token"]
    other = make_user("executive")
    response = client_as(other).post(CONFIRM, {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == INDEX and not Person.objects.exists()


def test_unreadable_and_oversized_files_get_a_message(client_as, editor, settings):
    client = client_as(editor)
    response = client.post(IMPORT, {"file": _upload(b"%PDF-1.7\n\x00\x01binary", "x.pdf")})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    settings.MAMORI_MAX_UPLOAD_BYTES = 100
    response = client.post(IMPORT, {"file": _upload(GOOD)})
    assert response.status_code == 400 and response.context["form"].errors["file"]
