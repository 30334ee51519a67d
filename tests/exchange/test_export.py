"""Exporting registers: Japanese (or English) headers, real dates, frozen headers, widths,
CSV for Japanese Excel, and need-to-know on secret details."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from mamori.accounts.roles import Role
from mamori.assets import services as asset_services
from mamori.audit.models import AuditEntry
from mamori.core.actor import acting_as
from mamori.core.errors import ApplicationError
from mamori.exchange.export import export_csv, export_csv_zip, export_workbook
from mamori.exchange.spec import get_registry
from mamori.people import services as people_services

pytestmark = pytest.mark.django_db


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_one_sheet_per_register_with_japanese_headers_dates_and_layout(officer, company):
    with acting_as(officer):
        result = export_workbook(user=officer)
    book = _book(result.content)
    assert book.sheetnames == [register.sheet_ja for register in get_registry()]
    people = book["人員"]
    header, *rows = _rows(people)
    assert header[:6] == ("社員番号", "氏名", "ふりがな", "メール", "区分", "部署")
    aoki = next(row for row in rows if row[0] == "E-001")
    assert aoki[4] == "従業員" and aoki[5] == "研究開発部" and aoki[7] == "いいえ"
    joined = people.cell(row=rows.index(aoki) + 2, column=9)
    assert joined.is_date and joined.value.date() == datetime.date(2020, 4, 1)
    assert joined.number_format == "yyyy/mm/dd"
    assert people.freeze_panes == "A2" and people.auto_filter.ref == "A1:M3"
    assert people.column_dimensions["A"].width >= 10
    grants = _rows(book["アクセス権限"])
    assert grants[1][:3] == ("E-001", "青木 一郎", "配合表")
    contracts = _rows(book["契約"])
    assert contracts[1][2] == "つくば先端大学" and contracts[1][9] == "製品カタログ草案"
    assert result.rows["people"] == 2 and result.rows["checklist"] > 10


def test_english_headers_and_labels(officer, company):
    with acting_as(officer):
        book = _book(export_workbook(user=officer, language="en").content)
    header, first, *_rest = _rows(book["People"])
    assert header[:5] == ("Employee number", "Name", "Name (kana)", "E-mail", "Kind")
    assert "Employee" in {first[4]} and first[7] == "no"


def test_secret_details_only_for_those_who_need_to_know_and_the_export_is_audited(
    make_user, officer, company
):
    editor = make_user(Role.EDITOR)
    with acting_as(officer):
        people_services.person_update(person=company.ishii, user=editor)
    detail = "開発サーバ /secure/formula"

    def storage_of(user) -> str | None:
        with acting_as(user):
            result = export_workbook(registers=[get_registry()["assets"]], user=user)
        header, *rows = _rows(_book(result.content)["情報資産"])
        return dict(zip(header, next(r for r in rows if r[0] == "配合表"), strict=True))["保管場所"]

    assert storage_of(officer) == detail
    assert storage_of(editor) is None  # the editor holds no grant to the asset
    entry = AuditEntry.objects.filter(action="export").order_by("-seq").first()
    assert entry.actor_id == editor.pk and "asset_details" not in entry.changes
    with acting_as(officer):
        asset_services.grant_create(
            person=company.ishii, asset=company.asset, reason="評価", granted_by=officer
        )
    assert storage_of(editor) == detail
    entry = AuditEntry.objects.filter(action="export").order_by("-seq").first()
    assert entry.changes["asset_details"] == [company.asset.pk]
    assert entry.object_type == "assets.informationasset"


def test_registers_and_columns_follow_the_users_capabilities(make_user, officer, company):
    editor = make_user(Role.EDITOR)  # may not read others' declarations
    with acting_as(editor):
        book = _book(export_workbook(user=editor).content)
    assert "副業・兼業届" not in book.sheetnames and "特定類型の申告" not in book.sheetnames
    assert "全工程を知ってよい人数の上限" not in _rows(book["技術"])[0]
    with acting_as(officer):
        book = _book(export_workbook(user=officer).content)
    assert "特定類型の申告" in book.sheetnames
    assert "全工程を知ってよい人数の上限" in _rows(book["技術"])[0]


def test_csv_is_utf8_with_a_bom_or_shift_jis(officer, company):
    people = get_registry()["people"]
    with acting_as(officer):
        utf8 = export_csv(register=people, user=officer).content
        sjis = export_csv(register=people, user=officer, encoding="cp932").content
    assert utf8.startswith(b"\xef\xbb\xbf")
    assert sjis.decode("cp932") == utf8.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(utf8.decode("utf-8-sig"))))
    assert rows[0][:2] == ["社員番号", "氏名"]
    assert "2020/04/01" in next(row for row in rows if row[0] == "E-001")


def test_a_character_shift_jis_lacks_is_named_with_its_row(officer, company):
    with acting_as(officer):
        people_services.person_update(person=company.ishii, name="石井 😀")
        with pytest.raises(ApplicationError) as caught:
            export_csv(register=get_registry()["people"], user=officer, encoding="cp932")
    # People are listed by name: 石井 (row 2) before 青木 (row 3).
    assert "😀" in caught.value.message and "2" in caught.value.message


def test_csv_of_every_register_in_one_zip(officer, company):
    with acting_as(officer):
        result = export_csv_zip(user=officer)
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        names = set(archive.namelist())
        assert {"people.csv", "grants.csv", "findings.csv"} <= names
        assert archive.read("departments.csv").decode("utf-8-sig").startswith("部署名,部署コード")


def test_a_persons_manager_is_exported_by_the_managers_employee_number(officer, company):
    with acting_as(officer):
        people_services.person_update(person=company.ishii, manager=company.aoki)
        header, *rows = _rows(_book(export_workbook(user=officer).content)["人員"])
    manager = header.index("上司")
    by_number = {row[0]: row[manager] for row in rows}
    assert by_number[company.ishii.employee_number] == company.aoki.employee_number == "E-001"
    assert by_number["E-001"] is None
