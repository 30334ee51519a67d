"""The one import contract, and each event-kind decision firing and not firing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mamori.engines.watch import MAX_ERRORS, FormatError, ImportOptions, Kind, Store
from mamori.engines.watch._gws import decide as gws_kind
from mamori.engines.watch._m365 import decide as m365_kind
from mamori.engines.watch._windows import decide as windows_kind

SAMPLES = Path(__file__).parents[2] / "watch" / "samples"
DOMAINS = ("example.co.jp",)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store", timezone="Asia/Tokyo") as opened:
        yield opened


def _nothing_stored(store: Store) -> bool:
    imports = store.con.execute("SELECT count(*) FROM imports").fetchone()[0]
    return store.stats().events == 0 and imports == 0


# --- the contract ------------------------------------------------------------------------------


def test_the_wrong_format_is_refused_with_nothing_stored_and_the_right_one_then_imports(store):
    path = SAMPLES / "m365" / "purview-export.csv"
    with pytest.raises(FormatError) as refused:
        store.import_file(path, "gws")
    assert refused.value.code == "columns"
    assert refused.value.expected == ("Date", "Event", "Actor")
    assert "AuditData" in refused.value.found
    assert refused.value.suggestion == "m365"
    assert "looks like Microsoft 365 audit log" in refused.value.text("en")
    assert "Microsoft 365 監査ログ" in refused.value.text("ja")
    assert _nothing_stored(store)
    summary = store.import_file(path, "m365")
    assert summary.added == 7 and not summary.already_imported


def test_a_file_of_which_no_row_imports_is_refused_and_not_fingerprinted(store, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"Operation": "FileAccessed"}\n{"UserId": "a@example.co.jp"}\n')
    with pytest.raises(FormatError) as refused:
        store.import_file(path, "m365")
    assert (refused.value.code, refused.value.records, refused.value.bad) == ("no_rows", 2, 2)
    assert [e.code for e in refused.value.errors] == ["missing", "missing"]
    assert _nothing_stored(store)


def test_the_drive_format_with_events_as_an_object_stores_every_event(store):
    summary = store.import_file(SAMPLES / "gws" / "reports-api.jsonl", "gws")
    assert (summary.added, summary.skipped) == (7, 0)


def test_a_half_bad_file_is_refused_with_counts(store, tmp_path):
    good = [f"2026-03-0{d}T09:00:00+09:00,a@example.co.jp,read,//fs/x{d}" for d in range(1, 6)]
    bad = [f"not a time,a@example.co.jp,read,//fs/y{d}" for d in range(5)]
    path = tmp_path / "half.csv"
    path.write_text("time,user,action,object\n" + "\n".join(good + bad) + "\n")
    with pytest.raises(FormatError) as refused:
        store.import_file(path, "generic")
    assert (refused.value.code, refused.value.records, refused.value.bad) == ("bad_share", 10, 5)
    assert "5 of 10 records could not be read" in refused.value.text("en")
    assert "10件中5件" in refused.value.text("ja")
    assert _nothing_stored(store)
    # A file with one bad line in twenty imports, and says which.
    path.write_text("time,user,action,object\n" + "\n".join(good * 4 + bad[:1]) + "\n")
    summary = store.import_file(path, "generic")
    assert (summary.added, summary.skipped) == (20, 1)
    assert summary.errors[0].line == 22


def test_only_the_first_errors_are_kept_however_many_lines_are_bad(store, tmp_path):
    path = tmp_path / "bad.csv"
    rows = [f"bad{n},a@example.co.jp,read,//fs/x" for n in range(500)]
    path.write_text("time,user,action,object\n" + "\n".join(rows) + "\n")
    with pytest.raises(FormatError) as refused:
        store.import_file(path, "generic")
    assert (refused.value.records, refused.value.bad) == (500, 500)
    assert len(refused.value.errors) == MAX_ERRORS
    assert _nothing_stored(store)


def test_the_fingerprint_includes_the_format(store):
    path = SAMPLES / "gws" / "reports-api.jsonl"
    first = store.import_file(path, "gws")
    again = store.import_file(path, "gws")
    assert again.already_imported and again.fingerprint == first.fingerprint
    with pytest.raises(FormatError):  # the same file as another format is another import
        store.import_file(path, "m365")


def test_drive_events_with_one_qualifier_at_different_times_are_both_kept(store, tmp_path):
    def activity(time: str) -> str:
        return json.dumps(
            {
                "id": {"time": time, "uniqueQualifier": "-42"},
                "actor": {"email": "a@example.co.jp"},
                "events": [{"name": "download", "parameters": []}],
            }
        )

    path = tmp_path / "drive.jsonl"
    path.write_text(activity("2026-03-02T00:00:00Z") + "\n" + activity("2026-03-03T00:00:00Z"))
    assert store.import_file(path, "gws").added == 2
    again = tmp_path / "again.jsonl"
    again.write_text(activity("2026-03-03T00:00:00Z") + "\n")
    summary = store.import_file(again, "gws")
    assert (summary.added, summary.duplicates) == (0, 1)


def test_file_size_zero_is_zero(store, tmp_path):
    record = {
        "CreationTime": "2026-03-02T00:00:00",
        "Id": "x1",
        "Operation": "FileCopiedToRemovableMedia",
        "UserId": "a@example.co.jp",
        "ObjectId": "C:\\\\x.txt",
        "FileSize": 0,
    }
    path = tmp_path / "dlp.jsonl"
    path.write_text(json.dumps(record) + "\n")
    store.import_file(path, "m365")
    assert store.con.execute("SELECT size, kind FROM events").fetchall() == [
        (0, int(Kind.REMOVABLE))
    ]


# --- dates ------------------------------------------------------------------------------------

EVENT_VIEWER = "Level,Date and Time,Source,Event ID,Task Category\n"
ROW = (
    "Information,{},Microsoft-Windows-Security-Auditing,4663,File System,"
    '"Account Name:\tsato\n\tAccount Domain:\tCORP\n\tObject Name:\tC:\\\\a.txt"\n'
)


def test_day_first_dates_are_detected_from_the_file(store, tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text(
        EVENT_VIEWER + ROW.format("03/02/2026 09:00:00") + ROW.format("25/02/2026 09:00:00")
    )
    store.import_file(path, "windows")
    days = [row[0].day for row in store.con.execute("SELECT ts FROM events ORDER BY ts").fetchall()]
    assert days == [3, 25]  # 03/02 is the 3rd of February: 25/02 proves day first


def test_an_ambiguous_file_is_refused_and_reads_in_the_order_given(store, tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text(EVENT_VIEWER + ROW.format("03/02/2026 09:00:00"))
    with pytest.raises(FormatError) as refused:
        store.import_file(path, "windows")
    assert refused.value.code == "dates_ambiguous" and "03/02/2026" in refused.value.text("en")
    assert _nothing_stored(store)
    store.import_file(path, "windows", options=ImportOptions(date_order="dmy"))
    assert store.con.execute("SELECT month(ts), day(ts) FROM events").fetchall() == [(2, 3)]


def test_dates_written_in_both_orders_are_refused(store, tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text(
        EVENT_VIEWER + ROW.format("25/02/2026 09:00:00") + ROW.format("02/25/2026 09:00:00")
    )
    with pytest.raises(FormatError) as refused:
        store.import_file(path, "windows")
    assert refused.value.code == "dates_conflict"


def test_times_with_an_offset_are_exact(store, tmp_path):
    path = tmp_path / "recipe.csv"
    path.write_text(
        "TimeCreated,Id,SubjectUserName,SubjectDomainName,ObjectName\n"
        "2026-03-02T21:40:05.1234567+01:00,4663,sato,CORP,C:\\\\a.txt\n"
    )
    store.import_file(path, "windows")
    ts = store.con.execute("SELECT ts FROM events").fetchone()[0]
    assert (ts.day, ts.hour, ts.minute, ts.microsecond) == (3, 5, 40, 123456)


# --- each kind decision, firing and not firing ---------------------------------------------------


@pytest.mark.parametrize(
    ("event", "kind"),
    [
        ({"id": "4663", "task": "12812", "mask": "0x2", "object_type": "File"}, Kind.REMOVABLE),
        ({"id": "4663", "task": "Removable Storage", "accesses": "WriteData"}, Kind.REMOVABLE),
        ({"id": "4663", "task": "12812", "mask": "0x1"}, Kind.ACCESS),
        ({"id": "4663", "task": "12800", "mask": "0x6", "object_type": "File"}, Kind.ACCESS),
        ({"id": "4663", "task": "", "mask": "0x2"}, Kind.ACCESS),
        ({"id": "4663", "task": "12802", "mask": "0x10", "object_type": "Process"}, Kind.OTHER),
        ({"id": "4656", "task": "12812", "mask": "0x2"}, Kind.ACCESS),
        ({"id": "6416"}, Kind.DEVICE),
        ({"id": "2003"}, Kind.DEVICE),
        ({"id": "4624"}, Kind.OTHER),
    ],
)
def test_windows_kinds(event, kind):
    assert windows_kind(event)[0] == kind


@pytest.mark.parametrize(
    ("operation", "data", "kind"),
    [
        ("UserLoggedIn", {"ObjectId": "00000002-0000-0000-c000-000000000000"}, Kind.OTHER),
        ("New-InboxRule", {"ObjectId": "Forward all"}, Kind.OTHER),
        ("Reset user password.", {"ObjectId": "sato@example.co.jp"}, Kind.OTHER),
        ("SomethingNew", {"ObjectId": "https://x/y.docx"}, Kind.OTHER),
        ("FileAccessed", {"ObjectId": "https://x/y.docx"}, Kind.ACCESS),
        ("FileDownloaded", {}, Kind.DOWNLOAD),
        ("FileSyncDownloadedFull", {}, Kind.DOWNLOAD),
        ("FileCopiedToRemovableMedia", {}, Kind.REMOVABLE),
        ("FileUploadedToCloud", {"TargetDomain": "drive.example.net"}, Kind.CLOUD),
        ("FilePrinted", {}, Kind.PRINT),
        ("Send", {"Item": {"Attachments": "a.xlsx (120 b)"}}, Kind.EMAIL),
        ("Send", {"Item": {"Subject": "lunch"}}, Kind.OTHER),
        ("AnonymousLinkCreated", {}, Kind.CLOUD),
        ("SharingInvitationCreated", {"TargetUserOrGroupName": "x@partner.example"}, Kind.CLOUD),
        ("SharingInvitationCreated", {"TargetUserOrGroupName": "y@example.co.jp"}, Kind.ACCESS),
        ("SharingSet", {"TargetUserOrGroupType": "Guest"}, Kind.CLOUD),
    ],
)
def test_microsoft_365_kinds(operation, data, kind):
    assert m365_kind(operation, data, DOMAINS)[0] == kind


@pytest.mark.parametrize(
    ("name", "params", "kind"),
    [
        ("change_user_access", {"target_user": "x@partner.example"}, Kind.CLOUD),
        ("change_user_access", {"target_user": "y@example.co.jp"}, Kind.ACCESS),
        ("change_user_access", {"target_user": "y@sub.example.co.jp"}, Kind.ACCESS),
        ("change_document_access_scope", {"target_domain": "partner.example"}, Kind.CLOUD),
        ("change_document_access_scope", {"target_domain": "example.co.jp"}, Kind.ACCESS),
        ("change_document_visibility", {"visibility_change": "external"}, Kind.CLOUD),
        ("change_document_visibility", {"visibility_change": "internal"}, Kind.ACCESS),
        ("change_document_visibility", {"visibility": "people_with_link"}, Kind.CLOUD),
        ("copy", {"copy_type": "external"}, Kind.CLOUD),
        ("copy", {"copy_type": "internal"}, Kind.ACCESS),
        ("email_as_attachment", {}, Kind.EMAIL),
        ("download", {}, Kind.DOWNLOAD),
        ("view", {"visibility": "people_with_link"}, Kind.ACCESS),
        ("search", {}, Kind.OTHER),
    ],
)
def test_drive_kinds(name, params, kind):
    assert gws_kind(name, params, DOMAINS) == kind


def test_without_company_domains_no_address_is_outside():
    assert m365_kind("SharingInvitationCreated", {"TargetUserOrGroupName": "x@y.z"}, ())[0] == (
        Kind.ACCESS
    )


def test_every_catalogued_name_is_documented_with_its_source():
    from mamori.engines.watch import catalogue_entries

    doc = (Path(__file__).parents[3] / "docs" / "watch-formats.md").read_text(encoding="utf-8")
    for entry in catalogue_entries():
        assert f"`{entry.name}`" in doc, entry.name
        assert entry.origin in doc, entry.origin
