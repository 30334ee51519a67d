"""Windows security events, from ``.evtx`` files or the CSV files tools write of them.

Layouts: the ``.evtx`` file itself (read with the ``evtx`` package); the documented
PowerShell recipe (``Get-WinEvent`` → the event's properties as columns, an ISO time with
offset, the task); ``Get-WinEvent | Export-Csv`` as is (``Message``, ``TimeCreated`` in the
machine's locale, ``TaskDisplayName``); Event Viewer's *Save All Events As… CSV* (``Level,
Date and Time, Source, Event ID, Task Category`` and an unnamed message column); EvtxECmd
(``UserName`` as ``DOMAIN\\user``, ``Payload`` JSON, times in UTC).

A 4663 is a copy to removable media only when it belongs to the Removable Storage task
(12812) and writes; a 4663 on a local or network disk (File System, 12800) is an access,
one on a process or registry key is other. 6416 and DriverFrameworks arrivals are devices.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mamori.engines.watch._catalogue import kind_of
from mamori.engines.watch._model import FormatError, Kind, LineError
from mamori.engines.watch._readers import (
    Context,
    Row,
    cell,
    csv_records,
    header_map,
    pick,
    sniff_delimiter,
)

EVTX_MAGIC = b"ElfFile\x00"
REMOVABLE_TASKS = {"12812", "removable storage", "リムーバブル記憶域", "リムーバブル ストレージ"}
FILE_TYPES = {"", "file", "ファイル", "-"}
WRITE_ACCESS = re.compile(
    r"writedata|appenddata|write ?data|append ?data|データの書き込み|データの追加|%%4417|%%4418",
    re.IGNORECASE,
)
MESSAGE_FIELDS = {
    "user": ("account name", "アカウント名"),
    "domain": ("account domain", "アカウント ドメイン", "アカウント・ドメイン"),
    "object": ("object name", "オブジェクト名"),
    "object_type": ("object type", "オブジェクトの種類", "オブジェクト タイプ"),
    "accesses": ("accesses", "アクセス"),
    "mask": ("access mask", "アクセス マスク", "アクセス・マスク"),
    "device": ("device description", "デバイスの説明", "device name", "デバイス名"),
    "device_id": ("device id", "デバイス id"),
}
CSV_COLUMNS = ("TimeCreated", "Id")


def is_evtx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(8) == EVTX_MAGIC


# --- the kind --------------------------------------------------------------------------------


def decide(event: dict[str, str]) -> tuple[Kind, str]:
    """The kind and action of one event (its fields as ``_row`` names them)."""
    event_id = event["id"]
    kind = kind_of("windows", event_id)
    if kind is not None:
        names = {Kind.DEVICE: "device_connected", Kind.ACCESS: "object_access"}
        return kind, names.get(kind, f"event_{event_id}")
    if event.get("object_type", "").strip().lower() not in FILE_TYPES:
        return Kind.OTHER, "object_access"  # a process, a registry key...
    mask = _mask(event.get("mask", ""))
    writes = bool(WRITE_ACCESS.search(event.get("accesses", ""))) or bool(
        mask is not None and mask & 0x6
    )
    removable = event_id == "4663" and event.get("task", "").strip().lower() in REMOVABLE_TASKS
    if removable:
        return (Kind.REMOVABLE if writes else Kind.ACCESS), (
            "removable_write" if writes else "removable_read"
        )
    return Kind.ACCESS, "file_write" if writes else "file_read"


def _mask(value: str) -> int | None:
    text = value.strip().lower()
    try:
        return int(text, 16) if text.startswith("0x") else None
    except ValueError:
        return None


def _row(number: int, event: dict[str, str], ctx: Context, *, assume_utc: bool) -> Row | LineError:
    event_id = event.get("id", "").strip()
    if not event_id.isdigit():
        return LineError(number, "value", "Id")
    event["id"] = event_id
    raw_time = event.get("time", "")
    time = ctx.times.parse(raw_time, assume_utc=assume_utc)
    if time is None:
        return LineError(number, "time", raw_time[:40])
    user, domain = event.get("user", "").strip(), event.get("domain", "").strip()
    if not user or user == "-":
        return LineError(number, "missing", "SubjectUserName")
    account = f"{domain}\\{user}" if domain and "\\" not in user and "@" not in user else user
    kind, action = decide(event)
    object_ = event.get("object", "").strip()
    device = event.get("device", "") or event.get("device_id", "")
    if kind == Kind.REMOVABLE and not device:
        device = object_[:3]
    host, record = event.get("host", ""), event.get("record", "")
    return Row(
        source_id=f"{host}:{record}" if record else "",
        time=time,
        user=account,
        action=action,
        kind=int(kind),
        object=object_[:2000],
        size=None,
        device=device[:300],
        source="windows",
        host=host[:300],
    )


# --- .evtx -----------------------------------------------------------------------------------


def read_evtx(path: Path, ctx: Context) -> Iterator[Row | LineError]:
    """Read an .evtx file directly; a record's number stands for its line."""
    import evtx  # the parser is only needed for .evtx files

    try:
        parser = evtx.PyEvtxParser(str(path))
        records = parser.records_json()
    except (OSError, RuntimeError) as exc:
        raise FormatError("evtx", str(exc)[:200], fmt="windows") from exc
    number = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (OSError, RuntimeError) as exc:  # a damaged chunk: counted, reading goes on
            number += 1
            yield LineError(number, "record", str(exc)[:80])
            continue
        number = int(record.get("event_record_id") or number + 1)
        try:
            data = json.loads(record["data"])["Event"]
        except (ValueError, KeyError, TypeError):
            yield LineError(number, "json", "")
            continue
        yield _row(number, _evtx_fields(data), ctx, assume_utc=True)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("#text", ""))
    return "" if value is None else str(value)


def _evtx_fields(event: dict[str, Any]) -> dict[str, str]:
    system = event.get("System") or {}
    data = event.get("EventData") or event.get("UserData") or {}
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), dict):
        data = next(iter(data.values()))  # UserData wraps its fields in one element
    data = data if isinstance(data, dict) else {}
    created = (system.get("TimeCreated") or {}).get("#attributes", {})
    return {
        "id": _text(system.get("EventID")),
        "task": _text(system.get("Task")),
        "time": str(created.get("SystemTime") or ""),
        "host": _text(system.get("Computer")),
        "record": _text(system.get("EventRecordID")),
        "user": _text(data.get("SubjectUserName") or data.get("UserName") or ""),
        "domain": _text(data.get("SubjectDomainName") or ""),
        "object": _text(data.get("ObjectName") or ""),
        "object_type": _text(data.get("ObjectType") or ""),
        "accesses": " ".join(_text(data.get("AccessList") or "").split()),
        "mask": _text(data.get("AccessMask") or ""),
        "device": _text(data.get("DeviceDescription") or ""),
        "device_id": _text(data.get("DeviceId") or ""),
    }


# --- CSV layouts -----------------------------------------------------------------------------


def _message_fields(message: str) -> dict[str, str]:
    """Read ``Label: value`` lines of an event's message (English or Japanese Windows)."""
    found: dict[str, str] = {}
    last = ""
    for line in message.splitlines():
        label, sep, value = line.partition(":")
        if not sep:
            label, sep, value = line.partition("：")
        if not sep:
            if last == "accesses" and line.strip():  # the accesses continue on their lines
                found["accesses"] += " " + line.strip()
            continue
        label = label.strip().lower()
        last = ""
        for key, names in MESSAGE_FIELDS.items():
            if label in names and key not in found and value.strip():
                found[key] = value.strip()
                last = key
    return found


def read_windows(text: io.TextIOBase, ctx: Context) -> Iterator[Row | LineError]:
    records = csv_records(text, sniff_delimiter(text))
    first = next(records, None)
    if first is None:
        return
    header = header_map(first[1])
    columns = {
        "time": pick(header, "timecreated", "date and time", "日付と時刻", "time"),
        "id": pick(header, "id", "eventid", "event id", "イベント id"),
        "task": pick(header, "task", "taskdisplayname", "task category", "タスクのカテゴリ"),
        "host": pick(header, "machinename", "computer", "コンピューター"),
        "user": pick(header, "subjectusername", "accountname", "username", "user"),
        "domain": pick(header, "subjectdomainname", "accountdomain"),
        "object": pick(header, "objectname"),
        "object_type": pick(header, "objecttype"),
        "mask": pick(header, "accessmask"),
        "accesses": pick(header, "accesslist", "accesses"),
        "device": pick(header, "devicedescription", "devicename"),
        "device_id": pick(header, "deviceid"),
        "message": pick(header, "message", "description", "説明", "メッセージ"),
        "record": pick(header, "recordid", "eventrecordid"),
        "payload": pick(header, "payload"),
    }
    if columns["time"] is None or columns["id"] is None:
        found = tuple(c.strip() for c in first[1] if c.strip())
        raise FormatError("columns", fmt="windows", expected=CSV_COLUMNS, found=found)
    # Event Viewer names five columns and writes the message in a sixth, unnamed one.
    if columns["message"] is None and ("event id" in header or "イベント id" in header):
        columns["message"] = len(first[1])
    evtxecmd = columns["payload"] is not None and "chunknumber" in header
    # Event Viewer's "Task Category" names the task; Get-WinEvent's "Task" is its number
    # and "TaskDisplayName" its name: either will do.
    task_name = pick(header, "taskdisplayname")
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len([c for c in first[1] if c.strip()]):
            yield LineError(number, "columns", f"{len(cells)}/{len(header)}")
            continue
        fields = _message_fields(cell(cells, columns["message"]))
        event = {name: cell(cells, index) for name, index in columns.items()}
        if evtxecmd:
            event.update(_payload_fields(event.get("payload", "")))
        if task_name is not None and cell(cells, task_name):
            event["task"] = cell(cells, task_name)
        for key, value in fields.items():
            if not event.get(key):
                event[key] = value
        user = event.get("user", "")
        if "\\" in user and not event.get("domain"):
            event["domain"], event["user"] = user.split("\\", 1)
        yield _row(number, event, ctx, assume_utc=evtxecmd)


def _payload_fields(payload: str) -> dict[str, str]:
    """EvtxECmd's ``Payload``: ``{"EventData": {"Data": [{"@Name": …, "#text": …}]}}``."""
    try:
        data = json.loads(payload)
    except ValueError:
        return {}
    items = ((data or {}).get("EventData") or {}).get("Data") or []
    values = {
        str(item.get("@Name")): str(item.get("#text") or "")
        for item in (items if isinstance(items, list) else [items])
        if isinstance(item, dict)
    }
    return {
        key: values[name]
        for key, name in (
            ("object", "ObjectName"),
            ("object_type", "ObjectType"),
            ("mask", "AccessMask"),
            ("accesses", "AccessList"),
            ("device", "DeviceDescription"),
            ("device_id", "DeviceId"),
            ("user", "SubjectUserName"),
            ("domain", "SubjectDomainName"),
        )
        if values.get(name)
    }
