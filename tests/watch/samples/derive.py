"""Write the derived sample layouts from the real records beside this script.

    python tests/watch/samples/derive.py

Each derived file is what the named tool writes for the same records (see MANIFEST.yaml);
the real records are never changed. Run once; the outputs are committed.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

HERE = Path(__file__).parent
RECORD_TYPES = {"6": "SharePointFileOperation", "14": "SharePointSharingOperation"}
RECORD_TYPES["15"] = "AzureActiveDirectoryStsLogon"
JST = datetime.timezone(datetime.timedelta(hours=9))


def _utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def _csv(rows: list[list[str]], *, quote_all: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    return out.getvalue()


def m365() -> None:
    lines = (HERE / "m365/management-api.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    # Purview audit search, "Export": UTF-8 with BOM, AuditData as compact JSON.
    rows = [
        [
            "RecordId",
            "CreationDate",
            "RecordType",
            "Operation",
            "UserId",
            "AuditData",
            "AssociatedAdminUnits",
            "AssociatedAdminUnitsNames",
        ]
    ]
    for line, r in zip(lines, records, strict=True):
        rows.append(
            [
                r["Id"],
                r["CreationTime"] + ".0000000Z",
                RECORD_TYPES[r["RecordType"]],
                r["Operation"],
                r["UserId"],
                line,
                "",
                "",
            ]
        )
    (HERE / "m365/purview-export.csv").write_text("\ufeff" + _csv(rows), encoding="utf-8")
    # Search-UnifiedAuditLog | Export-Csv -NoTypeInformation (Windows PowerShell 5.1, en-US).
    head = [
        "RunspaceId",
        "RecordType",
        "CreationDate",
        "UserIds",
        "Operations",
        "AuditData",
        "ResultIndex",
        "ResultCount",
        "Identity",
        "IsValid",
        "ObjectState",
    ]
    rows = [head]
    for index, (line, r) in enumerate(zip(lines, records, strict=True), start=1):
        when = _utc(r["CreationTime"])
        us = f"{when.month}/{when.day}/{when.year} {when.strftime('%I:%M:%S %p').lstrip('0')}"
        rows.append(
            [
                "7a8b1c2d-0000-4000-8000-000000000001",
                RECORD_TYPES[r["RecordType"]],
                us,
                r["UserId"],
                r["Operation"],
                line,
                str(index),
                str(len(records)),
                r["Id"],
                "True",
                "Unchanged",
            ]
        )
    (HERE / "m365/sual-export.csv").write_text(_csv(rows, quote_all=True), encoding="utf-8")
    # The same from a Japanese-locale machine: #TYPE line, Shift_JIS, ja-JP dates.
    rows = [head]
    for index, (line, r) in enumerate(zip(lines, records, strict=True), start=1):
        ja = _utc(r["CreationTime"]).strftime("%Y/%m/%d %H:%M:%S")
        rows.append(
            [
                "7a8b1c2d-0000-4000-8000-000000000001",
                RECORD_TYPES[r["RecordType"]],
                ja,
                r["UserId"],
                r["Operation"],
                line,
                str(index),
                str(len(records)),
                r["Id"],
                "True",
                "Unchanged",
            ]
        )
    text = (
        "#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks"
        ".UnifiedAuditLogResult\r\n"
    )
    (HERE / "m365/sual-export-ja-sjis.csv").write_bytes(
        (text + _csv(rows, quote_all=True)).encode("cp932")
    )
    # AuditData's fields as columns (Excel's JSON transform / Select-Object): the union.
    keys: list[str] = []
    for r in records:
        keys += [k for k in r if k not in keys]
    rows = [keys] + [
        [
            json.dumps(r[k], separators=(",", ":"))
            if isinstance(r.get(k), (list, dict))
            else str(r.get(k, ""))
            for k in keys
        ]
        for r in records
    ]
    (HERE / "m365/auditdata-columns.csv").write_text(_csv(rows), encoding="utf-8")
    # A JSON array of AuditData objects (ConvertTo-Json of the API's records).
    (HERE / "m365/auditdata-array.json").write_text(
        json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    # Search-UnifiedAuditLog | ConvertTo-Json (Windows PowerShell 5.1: /Date(ms)/ times).
    objects = []
    for index, (line, r) in enumerate(zip(lines, records, strict=True), start=1):
        ms = int(_utc(r["CreationTime"]).timestamp() * 1000)
        objects.append(
            {
                "RunspaceId": "7a8b1c2d-0000-4000-8000-000000000001",
                "RecordType": RECORD_TYPES[r["RecordType"]],
                "CreationDate": f"/Date({ms})/",
                "UserIds": r["UserId"],
                "Operations": r["Operation"],
                "AuditData": line,
                "ResultIndex": index,
                "ResultCount": len(records),
                "Identity": r["Id"],
                "IsValid": True,
                "ObjectState": "Unchanged",
            }
        )
    (HERE / "m365/sual-objects.json").write_text(json.dumps(objects, indent=4), encoding="utf-8")


def gws() -> None:
    lines = (HERE / "gws/reports-api.jsonl").read_text(encoding="utf-8").splitlines()
    values = [json.loads(line) for line in lines]
    activities = [v for v in values if v.get("kind") == "admin#reports#activity"]
    (HERE / "gws/reports-api-array.json").write_text(
        json.dumps(activities, indent=2), encoding="utf-8"
    )
    listed = [dict(a, events=[a["events"]]) for a in activities]  # events as a list
    pages = [
        {"kind": "admin#reports#activities", "items": listed[:4], "nextPageToken": "page2"},
        {"kind": "admin#reports#activities", "items": listed[4:]},
    ]
    (HERE / "gws/reports-api-pages.json").write_text(
        "\n".join(json.dumps(page, indent=2) for page in pages) + "\n", encoding="utf-8"
    )
    params = [
        "doc_id",
        "doc_title",
        "doc_type",
        "owner",
        "visibility",
        "visibility_change",
        "target_user",
        "copy_type",
    ]
    rows = [
        [
            "actor.callerType",
            "actor.email",
            "actor.profileId",
            "id.applicationName",
            "id.customerId",
            "id.time",
            "id.uniqueQualifier",
            "ipAddress",
            "kind",
            "name",
            "type",
            *params,
        ]
    ]
    console = [
        [
            "Item name",
            "Event",
            "User",
            "Date",
            "Item ID",
            "Item type",
            "Owner",
            "Visibility",
            "Target",
            "IP address",
        ]
    ]
    for a in activities:
        event = a["events"]
        values_ = {
            p["name"]: str(p.get("value", p.get("boolValue", "")))
            for p in event.get("parameters", [])
        }
        ident, actor = a["id"], a["actor"]
        rows.append(
            [
                actor.get("callerType", ""),
                actor["email"],
                str(actor.get("profileId", "")),
                ident["applicationName"],
                ident["customerId"],
                ident["time"],
                str(ident["uniqueQualifier"]),
                a.get("ipAddress", ""),
                "admin#reports#activity",
                event["name"],
                event.get("type", ""),
                *[values_.get(p, "") for p in params],
            ]
        )
        when = datetime.datetime.fromisoformat(ident["time"].replace("Z", "+00:00"))
        display = event["name"].replace("_", " ").capitalize()
        console.append(
            [
                values_.get("doc_title", ""),
                display,
                actor["email"],
                when.astimezone(JST).isoformat(timespec="seconds"),
                values_.get("doc_id", ""),
                values_.get("doc_type", ""),
                values_.get("owner", ""),
                values_.get("visibility", ""),
                values_.get("target_user", ""),
                a.get("ipAddress", ""),
            ]
        )
    (HERE / "gws/gam-report-drive.csv").write_text(_csv(rows), encoding="utf-8")
    (HERE / "gws/admin-console-drive-log.csv").write_text(_csv(console), encoding="utf-8")


MSG_4663 = (
    "An attempt was made to access an object.\r\n\r\nSubject:\r\n\tSecurity ID:\t\t"
    "S-1-5-21-3457937927-2839227994-823803824-1104\r\n\tAccount Name:\t\tdadmin\r\n"
    "\tAccount Domain:\t\tCONTOSO\r\n\tLogon ID:\t\t0x4367B\r\n\r\nObject:\r\n"
    "\tObject Server:\t\tSecurity\r\n\tObject Type:\t\tFile\r\n"
    "\tObject Name:\t\tC:\\Documents\\HBI Data.txt\r\n\tHandle ID:\t\t0x1bc\r\n"
    '\tResource Attributes:\tS:AI(RA;ID;;;;WD;("Impact_MS",TI,0x10020,3000))\r\n\r\n'
    "Process Information:\r\n\tProcess ID:\t\t0x458\r\n"
    "\tProcess Name:\t\tC:\\Windows\\System32\\notepad.exe\r\n\r\n"
    "Access Request Information:\r\n\tAccesses:\t\tWriteData (or AddFile)\r\n"
    "\t\t\t\tAppendData (or AddSubdirectory or CreatePipeInstance)\r\n\t\t\t\t\r\n"
    "\tAccess Mask:\t\t0x6"
)
MSG_4663_JA = (
    "オブジェクトへのアクセスが試行されました。\r\n\r\nサブジェクト:\r\n\tセキュリティ ID:\t\t"
    "S-1-5-21-3457937927-2839227994-823803824-1104\r\n\tアカウント名:\t\tdadmin\r\n"
    "\tアカウント ドメイン:\t\tCONTOSO\r\n\tログオン ID:\t\t0x4367B\r\n\r\nオブジェクト:\r\n"
    "\tオブジェクト サーバー:\t\tSecurity\r\n\tオブジェクトの種類:\t\tFile\r\n"
    "\tオブジェクト名:\t\tC:\\Documents\\HBI Data.txt\r\n\tハンドル ID:\t\t0x1bc\r\n\r\n"
    "プロセス情報:\r\n\tプロセス ID:\t\t0x458\r\n"
    "\tプロセス名:\t\tC:\\Windows\\System32\\notepad.exe\r\n\r\n"
    "アクセス要求情報:\r\n\tアクセス:\t\tWriteData (または AddFile)\r\n"
    "\t\t\t\tAppendData (または AddSubdirectory または CreatePipeInstance)\r\n\t\t\t\t\r\n"
    "\tアクセス マスク:\t\t0x6"
)
MSG_6416 = (
    "A new external device was recognized by the system.\r\n\r\nSubject:\r\n\tSecurity ID:\t\t"
    "S-1-5-18\r\n\tAccount Name:\t\tDESKTOP-NFC0HVN$\r\n\tAccount Domain:\t\tWORKGROUP\r\n"
    "\tLogon ID:\t\t0x3E7\r\n\r\nDevice ID:\tSCSI\\Disk&Ven_Seagate&Prod_Expansion\\000000\r\n\r\n"
    "Device Name:\tSeagate Expansion SCSI Disk Device\r\n\r\nClass ID:\t"
    "{4D36E967-E325-11CE-BFC1-08002BE10318}\r\n\r\nClass Name:\tDiskDrive"
)
# The two Microsoft documentation records, as (UTC time, id, task, name, computer, record).
DOC_EVENTS = [
    (
        "2015-09-18T22:13:54.7704297",
        "4663",
        "12800",
        "File System",
        "DC01.contoso.local",
        "273866",
        "dadmin",
        "CONTOSO",
        "File",
        "C:\\Documents\\HBI Data.txt",
        "0x6",
        "%%4417 %%4418",
        "C:\\Windows\\System32\\notepad.exe",
        "",
        "",
        MSG_4663,
    ),
    (
        "2015-11-13T18:20:16.8185699",
        "6416",
        "13316",
        "Plug and Play Events",
        "DESKTOP-NFC0HVN",
        "436",
        "DESKTOP-NFC0HVN$",
        "WORKGROUP",
        "",
        "",
        "",
        "",
        "",
        "Seagate Expansion SCSI Disk Device",
        "SCSI\\Disk&Ven_Seagate&Prod_Expansion\\000000",
        MSG_6416,
    ),
]


def _local(text: str) -> datetime.datetime:
    # The exporting machine runs in Japan (UTC+9).
    return datetime.datetime.fromisoformat(text[:26]).replace(tzinfo=datetime.UTC).astimezone(JST)


def windows() -> None:
    recipe = [
        [
            "TimeCreated",
            "Id",
            "Task",
            "TaskDisplayName",
            "MachineName",
            "RecordId",
            "SubjectUserName",
            "SubjectDomainName",
            "ObjectType",
            "ObjectName",
            "AccessMask",
            "AccessList",
            "ProcessName",
            "DeviceDescription",
            "DeviceId",
        ]
    ]
    us = [["Level", "Date and Time", "Source", "Event ID", "Task Category"]]
    gb = [list(us[0])]
    ja = [["レベル", "日付と時刻", "ソース", "イベント ID", "タスクのカテゴリ"]]
    plain = [
        [
            "Message",
            "Id",
            "Version",
            "Level",
            "Task",
            "Opcode",
            "RecordId",
            "ProviderName",
            "LogName",
            "MachineName",
            "TimeCreated",
            "LevelDisplayName",
            "TaskDisplayName",
        ]
    ]
    ecmd = [
        [
            "RecordNumber",
            "EventRecordId",
            "TimeCreated",
            "EventId",
            "Level",
            "Provider",
            "Channel",
            "ProcessId",
            "ThreadId",
            "Computer",
            "ChunkNumber",
            "UserId",
            "MapDescription",
            "UserName",
            "RemoteHost",
            "PayloadData1",
            "PayloadData2",
            "PayloadData3",
            "PayloadData4",
            "PayloadData5",
            "PayloadData6",
            "ExecutableInfo",
            "HiddenRecord",
            "SourceFile",
            "Keywords",
            "ExtraDataOffset",
            "Payload",
        ]
    ]
    for (
        when,
        eid,
        task,
        task_name,
        computer,
        record,
        user,
        domain,
        otype,
        obj,
        mask,
        alist,
        process,
        device,
        device_id,
        message,
    ) in DOC_EVENTS:
        local = _local(when)
        recipe.append(
            [
                local.isoformat(timespec="microseconds").replace(".", ".", 1)[:26]
                + "0"
                + local.strftime("%z")[:3]
                + ":"
                + local.strftime("%z")[3:],
                eid,
                task,
                task_name,
                computer,
                record,
                user,
                domain,
                otype,
                obj,
                mask,
                alist,
                process,
                device,
                device_id,
            ]
        )
        hour12 = local.strftime("%I").lstrip("0")
        us_time = f"{local.month}/{local.day}/{local.year} {hour12}:{local:%M:%S %p}"
        us.append(
            ["Information", us_time, "Microsoft-Windows-Security-Auditing", eid, task_name, message]
        )
        gb.append(
            [
                "Information",
                local.strftime("%d/%m/%Y %H:%M:%S"),
                "Microsoft-Windows-Security-Auditing",
                eid,
                task_name,
                message,
            ]
        )
        ja_task = {
            "File System": "ファイル システム",
            "Plug and Play Events": "プラグ アンド プレイ イベント",
        }
        ja.append(
            [
                "情報",
                local.strftime("%Y/%m/%d %-H:%M:%S"),
                "Microsoft-Windows-Security-Auditing",
                eid,
                ja_task[task_name],
                MSG_4663_JA if eid == "4663" else message,
            ]
        )
        plain.append(
            [
                message,
                eid,
                "1",
                "0",
                task,
                "0",
                record,
                "Microsoft-Windows-Security-Auditing",
                "Security",
                computer,
                us_time,
                "Information",
                task_name,
            ]
        )
        data = [
            {"@Name": "SubjectUserName", "#text": user},
            {"@Name": "SubjectDomainName", "#text": domain},
        ]
        if eid == "4663":
            data += [
                {"@Name": "ObjectType", "#text": otype},
                {"@Name": "ObjectName", "#text": obj},
                {"@Name": "AccessList", "#text": alist},
                {"@Name": "AccessMask", "#text": mask},
                {"@Name": "ProcessName", "#text": process},
            ]
        else:
            data += [
                {"@Name": "DeviceId", "#text": device_id},
                {"@Name": "DeviceDescription", "#text": device},
            ]
        ecmd.append(
            [
                record,
                record,
                when.replace("T", " "),
                eid,
                "LogAlways",
                "Microsoft-Windows-Security-Auditing",
                "Security",
                "4",
                "308",
                computer,
                "0",
                "",
                "",
                f"{domain}\\{user}",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "False",
                "C:\\Windows\\System32\\winevt\\Logs\\Security.evtx",
                "Audit success",
                "0",
                json.dumps({"EventData": {"Data": data}}),
            ]
        )
    (HERE / "windows/get-winevent-recipe.csv").write_text(
        _csv(recipe, quote_all=True), encoding="utf-8"
    )
    (HERE / "windows/eventviewer-en-us.csv").write_text(_csv(us), encoding="utf-8")
    (HERE / "windows/eventviewer-en-gb.csv").write_text(_csv(gb), encoding="utf-8")
    (HERE / "windows/eventviewer-ja.csv").write_bytes(_csv(ja).encode("cp932"))
    (HERE / "windows/get-winevent-export-csv-en-us.csv").write_text(
        "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n" + _csv(plain, quote_all=True),
        encoding="utf-8",
    )
    (HERE / "windows/evtxecmd.csv").write_text(_csv(ecmd), encoding="utf-8")


if __name__ == "__main__":
    m365()
    gws()
    windows()
