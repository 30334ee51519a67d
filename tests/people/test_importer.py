"""Reading people files: encodings, Excel, every error by row and column, defensive limits."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from mamori.people import importer
from mamori.people.importer import PeopleFileError, parse_people_file, template_csv

pytestmark = pytest.mark.django_db

HEADER = "社員番号,氏名,ふりがな,メール,区分,部署,役職,ノウハウを持つ技術者,入社日"


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reads_every_column_in_utf8_with_bom(department):
    content = _csv(
        HEADER,
        "E-001,青木 一郎,あおき いちろう,aoki@example.jp,役員,研究開発部,CTO,はい,2020/4/1",
        "E-002,石井 二郎,,,契約社員,,,いいえ,2021-10-01",
        encoding="utf-8-sig",
    )
    parsed = parse_people_file(content, "people.csv")
    assert parsed.errors == []
    first, second = (row.values for row in parsed.rows)
    assert first == {
        "employee_number": "E-001",
        "name": "青木 一郎",
        "name_kana": "あおき いちろう",
        "email": "aoki@example.jp",
        "kind": "executive",
        "department": department,
        "title": "CTO",
        "is_key_engineer": True,
        "joined_on": datetime.date(2020, 4, 1),
    }
    # Blank cells are left out, so that an update keeps the current value.
    assert second == {
        "employee_number": "E-002",
        "name": "石井 二郎",
        "kind": "contractor",
        "is_key_engineer": False,
        "joined_on": datetime.date(2021, 10, 1),
    }
    assert [row.row for row in parsed.rows] == [2, 3]


def test_reads_shift_jis_as_japanese_excel_saves_it(department):
    content = _csv(
        HEADER, "E-1,髙橋 花子,たかはし,,従業員,研究開発部,主任,0,2022/04/01", encoding="cp932"
    )
    parsed = parse_people_file(content, "社員.csv")
    assert parsed.errors == []
    assert parsed.rows[0].values["name"] == "髙橋 花子"
    assert parsed.rows[0].values["department"] == department


def test_english_headers_and_kind_codes_are_accepted():
    content = _csv("employee_number,name,kind,key_engineer", "7,Alice,intern,true")
    parsed = parse_people_file(content, "people.csv")
    assert parsed.errors == []
    assert parsed.rows[0].values == {
        "employee_number": "7",
        "name": "Alice",
        "kind": "intern",
        "is_key_engineer": True,
    }


def test_every_error_is_named_by_row_and_column(department):
    content = _csv(
        HEADER,
        "E-1,青木 一郎,,,従業員,研究開発部,,,2020-04-01",
        "E-2,石井 二郎,,,従業員,存在しない部,,,2020-04-01",
        "E-3,上田 三郎,,not-an-email,社長,研究開発部,,たぶん,2020-02-30",
        ",,,,,,,,",
        "E-1,,,,,,,,",
    )
    parsed = parse_people_file(content, "people.csv")
    found = {(error.row, error.column) for error in parsed.errors}
    assert found == {
        (3, "部署"),
        (4, "メール"),
        (4, "区分"),
        (4, "ノウハウを持つ技術者"),
        (4, "入社日"),
        (6, "氏名"),
        (6, "社員番号"),
    }
    messages = {(e.row, e.column): e.message for e in parsed.errors}
    assert "存在しない部" in messages[(3, "部署")]
    assert "2020-02-30" in messages[(4, "入社日")]
    assert "E-1" in messages[(6, "社員番号")] and "2" in messages[(6, "社員番号")]


def test_unknown_duplicate_and_missing_columns_are_errors_of_the_header_row():
    parsed = parse_people_file(_csv("社員番号,入者日,社員番号", "1,2,3"), "people.csv")
    assert {(e.row, e.column) for e in parsed.errors} == {
        (1, "入者日"),
        (1, "社員番号"),
        (1, "氏名"),
    }


def test_header_only_and_empty_files_are_refused():
    with pytest.raises(PeopleFileError):
        parse_people_file(_csv(HEADER), "people.csv")
    with pytest.raises(PeopleFileError):
        parse_people_file(b"", "people.csv")


def test_xlsx_with_dates_numbers_and_booleans(department):
    content = _xlsx(
        [
            ["社員番号", "氏名", "部署", "重要技術者", "入社日"],
            [1001, "青木 一郎", "研究開発部", True, datetime.datetime(2020, 4, 1)],
            [],
            [1002.0, "石井 二郎", None, 0, "2021/10/01"],
        ]
    )
    parsed = parse_people_file(content, "people.xlsx")
    assert parsed.errors == []
    assert [row.row for row in parsed.rows] == [2, 4]
    assert parsed.rows[0].values == {
        "employee_number": "1001",
        "name": "青木 一郎",
        "department": department,
        "is_key_engineer": True,
        "joined_on": datetime.date(2020, 4, 1),
    }
    assert parsed.rows[1].values["employee_number"] == "1002"
    assert parsed.rows[1].values["is_key_engineer"] is False


def test_xlsx_formulas_are_not_evaluated():
    content = _xlsx([["氏名", "役職"], ["青木", "=1+1"]])
    parsed = parse_people_file(content, "people.xlsx")
    # The workbook holds no saved result for the formula, and mamori never computes one.
    assert "title" not in parsed.rows[0].values


def test_xlsx_that_would_inflate_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAX_XLSX_UNCOMPRESSED", 100_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 1_000_000)
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(PeopleFileError, match="MB"):
        parse_people_file(buffer.getvalue(), "bomb.xlsx")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "photo.png"),
        (b"%PDF-1.7\n\xff\xfe\0\0binary", "people.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "people.xls"),
        ("氏名\r\n青木\r\n".encode("utf-16"), "unicode.txt"),
        (b"PK\x03\x04not really a zip", "people.xlsx"),
        (b"just,text", "people.xlsx"),
    ],
)
def test_not_a_spreadsheet_gets_a_clear_message(content, name):
    with pytest.raises(PeopleFileError) as caught:
        parse_people_file(content, name)
    assert caught.value.field == "file" and caught.value.message


def test_a_word_document_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(PeopleFileError):
        parse_people_file(buffer.getvalue(), "people.xlsx")


def test_undecodable_text_is_refused():
    with pytest.raises(PeopleFileError):
        parse_people_file("氏名\n".encode() + b"\x81\xff\x82", "people.csv")


def test_more_rows_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    content = _csv("氏名", "a", "b", "c")
    assert len(parse_people_file(content, "people.csv").rows) == 3
    with pytest.raises(PeopleFileError, match="3"):
        parse_people_file(_csv("氏名", "a", "b", "c", "d"), "people.csv")


def test_existing_people_are_matched_by_employee_number(make_person):
    existing = make_person("青木 一郎", employee_number="E-1")
    parsed = parse_people_file(_csv("社員番号,氏名", "E-1,青木 一郎", "E-2,新人"), "people.csv")
    assert [row.person for row in parsed.rows] == [existing, None]
    assert (parsed.to_create, parsed.to_update) == (1, 1)


def test_template_has_the_japanese_headers_and_a_bom():
    content = template_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").strip() == HEADER
    with pytest.raises(PeopleFileError):  # a header and no rows
        parse_people_file(content, "template.csv")
