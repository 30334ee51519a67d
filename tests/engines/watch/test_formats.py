"""Each supported log format imports a file written to its documented shape
(docs/watch-formats.md); a malformed line is reported with its number and skipped, the
rest is imported, and the summary counts what was skipped."""

# Sample log lines stay as the systems write them, however long.
# ruff: noqa: E501

from __future__ import annotations

import datetime
import gzip
import json
from pathlib import Path

import pytest

from mamori.engines.watch import FormatError, ImportOptions, Kind, Store, parse_time

# These files are half bad on purpose: the share of bad lines allowed is raised for them.
LENIENT = ImportOptions(max_bad_share=0.5)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store", timezone="Asia/Tokyo") as opened:
        yield opened


def events(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT ts, account, kind, action, object, size, device, host FROM events ORDER BY ts"
    ).fetchall()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- generic CSV ---------------------------------------------------------------------------

GENERIC = """\
time,user,action,object,size,device,source,host
2026-03-02T09:15:00+09:00,Yamamoto@Example.co.jp,download,//fs01/rd/成膜条件.xlsx,120000,,fileserver,PC-01
2026-03-02 21:40:00,yamamoto@example.co.jp,usb_copy,//fs01/rd/成膜条件.xlsx,120000,USB-SanDisk,endpoint,PC-01
2026-03-02T03:00:00Z,suzuki@example.co.jp,print,//fs01/rd/手順書.docx,,PRN-2F,printserver,PC-02
not a time,suzuki@example.co.jp,read,//fs01/rd/x.xlsx,1,,fs,PC-02
2026-03-03T10:00:00+09:00,suzuki@example.co.jp,read,//fs01/rd/x.xlsx,12 kB,,fs,PC-02
2026-03-03T10:01:00+09:00,suzuki@example.co.jp,read
2026-03-03T10:02:00+09:00,,read,//fs01/rd/y.xlsx,1,,fs,PC-02
2026-03-03T11:00:00+09:00,suzuki@example.co.jp,Cloud Upload,"//fs01/rd/a, b.xlsx",5,drive.example.net,proxy,PC-02
2026-03-03T12:00:00+09:00,suzuki@example.co.jp,open-file,//fs01/rd/z.xlsx,,,,
"""


def test_generic_csv_imports_every_good_line_and_reports_the_bad_ones(store, tmp_path):
    summary = store.import_file(write(tmp_path / "log.csv", GENERIC), "generic", options=LENIENT)

    assert (summary.records, summary.added, summary.skipped, summary.duplicates) == (9, 5, 4, 0)
    assert [(e.line, e.code) for e in summary.errors] == [
        (5, "time"),
        (6, "value"),
        (7, "columns"),
        (8, "missing"),
    ]
    assert summary.errors[0].text("ja") == "日時「not a time」を読めません"
    assert summary.errors[3].text("en") == "user is missing"
    rows = events(store)
    # Times with an offset become Tokyo time; without one they are taken as Tokyo time.
    assert rows[0][:4] == (
        datetime.datetime(2026, 3, 2, 9, 15),
        "Yamamoto@Example.co.jp",  # as written; the analysis ignores case
        Kind.DOWNLOAD,
        "download",
    )
    assert rows[1][0] == datetime.datetime(2026, 3, 2, 12, 0)  # 03:00Z
    assert rows[1][2] == Kind.PRINT and rows[1][5] is None
    assert rows[2][2] == Kind.REMOVABLE and rows[2][6] == "USB-SanDisk"
    assert rows[4][3] == "open-file" and rows[4][6] is None  # empty cells are NULL
    assert rows[3][2] == Kind.CLOUD and rows[3][4] == "//fs01/rd/a, b.xlsx"
    assert rows[4][2] == Kind.ACCESS  # an unknown action on an object is an access
    assert summary.first_time == datetime.datetime(2026, 3, 2, 9, 15)
    assert summary.last_time == datetime.datetime(2026, 3, 3, 12, 0)


def test_the_same_file_is_imported_once(store, tmp_path):
    path = write(tmp_path / "log.csv", GENERIC)
    store.import_file(path, "generic", options=LENIENT)
    again = store.import_file(path, "generic", options=LENIENT)
    assert again.already_imported and again.added == 0
    assert store.stats().events == 5 and store.stats().imports == 1


def test_an_overlapping_export_adds_only_the_new_events(store, tmp_path):
    store.import_file(write(tmp_path / "a.csv", GENERIC), "generic", options=LENIENT)
    lines = GENERIC.splitlines()
    overlap = "\n".join(
        [*lines[:3], "2026-03-04T09:00:00+09:00,kato@example.co.jp,read,//fs01/k.xlsx,1,,fs,PC-9"]
    )
    summary = store.import_file(
        write(tmp_path / "b.csv", overlap + "\n"), "generic", options=LENIENT
    )
    assert (summary.records, summary.added, summary.duplicates) == (3, 1, 2)
    assert store.stats().events == 6


def test_source_ids_identify_events_across_and_within_files(store, tmp_path):
    header = "id,time,user,action,object\n"
    first = (
        header + "e1,2026-03-02T09:00:00,a@x.jp,read,/a\ne1,2026-03-02T09:00:00,a@x.jp,read,/a\n"
    )
    second = (
        header + "e1,2026-03-02T09:00:00,a@x.jp,read,/a\ne2,2026-03-02T09:05:00,a@x.jp,read,/a\n"
    )
    one = store.import_file(write(tmp_path / "1.csv", first), "generic", options=LENIENT)
    two = store.import_file(write(tmp_path / "2.csv", second), "generic", options=LENIENT)
    assert (one.added, one.duplicates) == (1, 1)
    assert (two.added, two.duplicates) == (1, 1)


def test_generic_json_lines(store, tmp_path):
    lines = [
        json.dumps(
            {
                "time": "2026-03-02T09:00:00+09:00",
                "user": "a@x.jp",
                "action": "print",
                "object": "/a.docx",
                "device": "PRN",
            }
        ),
        "{not json",
        json.dumps({"time": "2026-03-02T10:00:00+09:00", "user": "a@x.jp"}),
        json.dumps(
            {
                "time": "2026-03-02T11:00:00+09:00",
                "user": "a@x.jp",
                "action": "usb_copy",
                "size": 10,
            }
        ),
    ]
    summary = store.import_file(
        write(tmp_path / "log.jsonl", "\n".join(lines) + "\n"), "generic", options=LENIENT
    )
    assert (summary.records, summary.added, summary.skipped) == (4, 2, 2)
    assert [(e.line, e.code) for e in summary.errors] == [(2, "json"), (3, "missing")]
    assert [row[2] for row in events(store)] == [Kind.PRINT, Kind.REMOVABLE]


def test_generic_csv_in_shift_jis_and_gzip(store, tmp_path):
    text = "time,user,action,object\n2026-03-02 09:00:00,a@x.jp,read,//fs01/営業/見積.xlsx\n"
    sjis = store.import_file(
        write(tmp_path / "sjis.csv", text, "cp932"), "generic", options=LENIENT
    )
    assert sjis.added == 1
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress(text.replace("09:00", "10:00").encode()))
    assert store.import_file(path, "generic", options=LENIENT).added == 1
    assert [row[4] for row in events(store)] == ["//fs01/営業/見積.xlsx"] * 2


def test_mixed_line_endings_still_import_line_by_line(store, tmp_path):
    text = (
        "time,user,action,object\r\n2026-03-02 09:00:00,a@x.jp,read,/a\n"
        "2026-03-02 09:01:00,a@x.jp,print,/b\r\nbroken,a@x.jp,read,/c\n"
    )
    summary = store.import_file(write(tmp_path / "mixed.csv", text), "generic", options=LENIENT)
    assert (summary.added, summary.skipped) == (2, 1)
    assert summary.errors[0].line == 4


def test_a_file_without_the_required_columns_is_refused_whole(store, tmp_path):
    with pytest.raises(FormatError, match="Expected columns: time, user, action"):
        store.import_file(
            write(tmp_path / "x.csv", "time,user\n2026-01-01,a\n"), "generic", options=LENIENT
        )
    assert store.stats().events == 0 and store.stats().imports == 0


def test_an_unknown_format_is_refused(store, tmp_path):
    with pytest.raises(FormatError, match="Unknown format"):
        store.import_file(write(tmp_path / "x.csv", GENERIC), "splunk")


# --- Microsoft 365 -----------------------------------------------------------------------------


def _m365_row(record_id: str, data: dict | str) -> str:
    audit = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    quoted = '"' + audit.replace('"', '""') + '"'
    return f"{record_id},2026-03-02T00:00:00.0000000Z,63,Op,user,{quoted}"


def test_microsoft_365_audit_export(store, tmp_path):
    base = {"CreationTime": "2026-03-02T12:40:00", "UserId": "yamamoto@example.co.jp"}
    rows = [
        "RecordId,CreationDate,RecordType,Operation,UserId,AuditData",
        _m365_row(
            "r1",
            {
                **base,
                "Id": "g1",
                "Operation": "FileCopiedToRemovableMedia",
                "Workload": "Endpoint",
                "ObjectId": "C:\\Users\\y\\成膜条件.xlsx",
                "DeviceName": "PC-01",
                "FileSize": 2048,
                "RemovableMediaDeviceAttributes": {"Manufacturer": "SanDisk", "Model": "Ultra"},
            },
        ),
        _m365_row(
            "r2",
            {
                **base,
                "Id": "g2",
                "Operation": "FileUploadedToCloud",
                "ObjectId": "C:\\a.xlsx",
                "TargetDomain": "drive.example.net",
            },
        ),
        _m365_row("r3", "{broken json"),
        _m365_row(
            "r4",
            {
                **base,
                "Id": "g4",
                "Operation": "FileDownloaded",
                "Workload": "SharePoint",
                "ObjectId": "https://x.sharepoint.com/sites/rd/Shared Documents/a.xlsx",
            },
        ),
        _m365_row(
            "r5",
            {
                **base,
                "Id": "g5",
                "Operation": "Send",
                "Workload": "Exchange",
                "Item": {"Subject": "資料", "Attachments": "a.xlsx (2048b)"},
            },
        ),
        _m365_row("r6", {**base, "Id": "g6", "Operation": "Send", "Item": {"Subject": "ランチ"}}),
        _m365_row(
            "r7",
            {
                **base,
                "Id": "g7",
                "Operation": "FilePrinted",
                "ObjectId": "C:\\p.pdf",
                "TargetPrinterName": "PRN-2F",
            },
        ),
        _m365_row("r8", {**base, "Id": "g8", "Operation": "UserLoggedIn"}),
        _m365_row("r1", {**base, "Id": "g1", "Operation": "FileCopiedToRemovableMedia"}),
        _m365_row(
            "r9",
            {
                "Id": "g9",
                "Operation": "FileAccessed",
                "UserId": "a@x.jp",
                "CreationTime": "yesterday",
            },
        ),
    ]
    summary = store.import_file(
        write(tmp_path / "audit.csv", "\n".join(rows) + "\n"), "m365", options=LENIENT
    )
    assert (summary.records, summary.added, summary.duplicates, summary.skipped) == (10, 7, 1, 2)
    assert [(e.line, e.code) for e in summary.errors] == [(4, "json"), (11, "time")]
    rows = events(store)
    assert rows[0][0] == datetime.datetime(2026, 3, 2, 21, 40)  # UTC in the log, Tokyo here
    kinds = sorted(row[2] for row in rows)
    assert kinds == sorted(
        [Kind.REMOVABLE, Kind.CLOUD, Kind.DOWNLOAD, Kind.EMAIL, Kind.OTHER, Kind.PRINT, Kind.OTHER]
    )
    removable = next(row for row in rows if row[2] == Kind.REMOVABLE)
    assert removable[6] == "SanDisk Ultra" and removable[7] == "PC-01" and removable[5] == 2048


def test_microsoft_365_without_audit_data_is_refused(store, tmp_path):
    with pytest.raises(FormatError, match="AuditData"):
        store.import_file(write(tmp_path / "x.csv", GENERIC), "m365", options=LENIENT)


# --- Google Workspace ---------------------------------------------------------------------------

GWS_CSV = """\
Date,Event,Actor,Title,Document ID,Document type,Visibility,IP address,Owner
2026-03-02T12:00:00Z,Download,yamamoto@example.co.jp,成膜条件,d1,Spreadsheet,Private,10.0.0.1,y
"Mar 2, 2026, 9:30:00 PM GMT+9",Change visibility,yamamoto@example.co.jp,配合表,d2,Document,Anyone with the link,10.0.0.1,y
2026-03-02T13:00:00Z,Print,yamamoto@example.co.jp,手順書,d3,Document,Private,10.0.0.1,y
2026-03-02T13:05:00Z,View,,手順書,d3,Document,Private,10.0.0.1,y
2026-03-02T13:10:00Z,Edit,suzuki@example.co.jp,手順書
"""


def test_google_workspace_drive_export(store, tmp_path):
    summary = store.import_file(write(tmp_path / "drive.csv", GWS_CSV), "gws", options=LENIENT)
    assert (summary.records, summary.added, summary.skipped) == (5, 3, 2)
    assert [(e.line, e.code) for e in summary.errors] == [(5, "missing"), (6, "columns")]
    rows = events(store)
    assert [row[2] for row in rows] == [Kind.DOWNLOAD, Kind.CLOUD, Kind.PRINT]
    assert rows[1][0] == datetime.datetime(2026, 3, 2, 21, 30)
    assert rows[0][4] == "成膜条件"


def test_google_workspace_reports_api_json_lines(store, tmp_path):
    activity = {
        "id": {
            "time": "2026-03-02T12:00:00.000Z",
            "uniqueQualifier": "q1",
            "applicationName": "drive",
        },
        "actor": {"email": "yamamoto@example.co.jp"},
        "ipAddress": "10.0.0.1",
        "events": [
            {
                "type": "access",
                "name": "download",
                "parameters": [{"name": "doc_title", "value": "成膜条件"}],
            },
            {
                "type": "acl_change",
                "name": "change_document_visibility",
                "parameters": [
                    {"name": "doc_title", "value": "配合表"},
                    {"name": "visibility", "value": "people_with_link"},
                ],
            },
        ],
    }
    lines = [json.dumps(activity), json.dumps({"id": {"time": "x"}, "actor": {}, "events": []})]
    summary = store.import_file(
        write(tmp_path / "drive.jsonl", "\n".join(lines)), "gws", options=LENIENT
    )
    assert (summary.added, summary.skipped) == (2, 1)
    assert [row[2] for row in events(store)] == [Kind.DOWNLOAD, Kind.CLOUD]


# --- Windows removable storage ------------------------------------------------------------------

WINUSB = """\
TimeCreated,Id,MachineName,SubjectUserName,SubjectDomainName,ObjectName,AccessMask,ProcessName,RecordId
2026/03/02 21:40:05,4663,PC-01,yamamoto,CORP,E:\\成膜条件.xlsx,0x2,C:\\Windows\\explorer.exe,101
2026/03/02 21:41:00,4663,PC-01,yamamoto,CORP,E:\\readme.txt,0x1,C:\\Windows\\explorer.exe,102
3/2/2026 9:42:10 PM,6416,PC-01,yamamoto,CORP,,,,103
2026/03/02 21:43:00,four,PC-01,yamamoto,CORP,E:\\x,0x2,,104
2026/13/45 21:44:00,4663,PC-01,yamamoto,CORP,E:\\y,0x2,,105
"""

WINUSB_MESSAGE = """\
TimeCreated,Id,TaskDisplayName,MachineName,Message
2026-03-02T21:40:05,4663,リムーバブル記憶域,PC-02,"オブジェクトへのアクセスが試行されました。

サブジェクト:
	アカウント名:		nakamura
	アカウント ドメイン:		CORP

オブジェクト:
	オブジェクト名:		E:\\測定\\data.csv

アクセス要求情報:
	アクセス:		データの書き込み (またはファイルの追加)
	アクセス マスク:		0x2"
"""


def test_windows_dates_that_read_both_ways_are_refused_then_read_in_the_order_given(
    store, tmp_path
):
    path = write(tmp_path / "usb.csv", WINUSB)
    with pytest.raises(FormatError) as refused:
        store.import_file(path, "winusb", options=LENIENT)
    assert refused.value.code == "dates_ambiguous" and store.stats().events == 0
    order = ImportOptions(max_bad_share=0.5, date_order="mdy")
    summary = store.import_file(path, "winusb", options=order)
    assert (summary.records, summary.added, summary.skipped) == (5, 3, 2)
    assert [(e.line, e.code) for e in summary.errors] == [(5, "value"), (6, "time")]
    rows = events(store)
    # Without the Removable Storage task an E:\ write is not typed a copy to USB.
    assert [(row[1], row[2]) for row in rows] == [
        ("CORP\\yamamoto", Kind.ACCESS),
        ("CORP\\yamamoto", Kind.ACCESS),
        ("CORP\\yamamoto", Kind.DEVICE),
    ]
    assert rows[0][0] == datetime.datetime(2026, 3, 2, 21, 40, 5)
    assert rows[2][0] == datetime.datetime(2026, 3, 2, 21, 42, 10)


def test_windows_events_with_the_message_text_in_japanese(store, tmp_path):
    summary = store.import_file(
        write(tmp_path / "usb.csv", WINUSB_MESSAGE), "winusb", options=LENIENT
    )
    assert summary.added == 1
    assert events(store)[0][1:5] == (
        "CORP\\nakamura",
        Kind.REMOVABLE,
        "removable_write",
        "E:\\測定\\data.csv",
    )


def test_windows_export_without_time_and_id_is_refused(store, tmp_path):
    with pytest.raises(FormatError, match="TimeCreated, Id"):
        store.import_file(write(tmp_path / "usb.csv", "a,b\n1,2\n"), "winusb", options=LENIENT)


# --- times -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02T09:15:00+09:00", "2026-03-02 09:15:00+09:00"),
        ("2026-03-02T00:15:00Z", "2026-03-02 00:15:00+00:00"),
        ("2026-03-02T00:15:00.1234567Z", "2026-03-02 00:15:00.123456+00:00"),
        ("2026/03/02 09:15", "2026-03-02 09:15:00"),
        ("3/2/2026 9:15:03 PM", "2026-03-02 21:15:03"),
        ("3/2/2026 12:05 AM", "2026-03-02 00:05:00"),
        ("Mar 2, 2026, 9:15:03 PM GMT+9", "2026-03-02 21:15:03+09:00"),
        ("", None),
        ("yesterday", None),
        ("13/45/2026 9:00", None),
        ("0001-01-01T00:00:00", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected
