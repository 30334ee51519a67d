"""Readers that turn each supported log format into the generic schema, line by line.

A reader yields either a ``Row`` (one event in the generic schema) or a ``LineError``
(the record at that line is malformed and skipped). Files are read as a stream: nothing
holds more than one record at a time. The generic CSV schema is read by DuckDB itself
(see ``_store``); the readers here serve the other formats and JSON lines.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from mamori.engines.watch._model import FormatError, Kind, LineError

csv.field_size_limit(16 * 1024 * 1024)  # an AuditData cell can be large


class Row(NamedTuple):
    """One event in the generic schema; ``time`` is ISO 8601 (an offset, or local time)."""

    source_id: str
    time: str
    user: str
    action: str
    kind: int
    object: str
    size: int | None
    device: str
    source: str
    host: str


# --- the generic vocabulary ------------------------------------------------------------------

GENERIC_ACTIONS: dict[str, Kind] = {}
for _kind, _names in (
    (Kind.DOWNLOAD, "download downloaded file_download sync_download"),
    (
        Kind.REMOVABLE,
        "usb_copy copy_to_usb usb_write removable_copy copy_to_removable removable_write",
    ),
    (
        Kind.CLOUD,
        "cloud_upload upload_cloud upload_external external_share share_external share_link",
    ),
    (Kind.PRINT, "print printed"),
    (Kind.EMAIL, "email_attachment mail_attachment email_out send_attachment"),
    (
        Kind.ACCESS,
        "read open view access preview edit modify write create delete rename move copy upload",
    ),
    (Kind.OTHER, "logon login logoff logout sign_in sign_out other"),
):
    for _name in _names.split():
        GENERIC_ACTIONS[_name] = _kind

GENERIC_COLUMNS = ("time", "user", "action", "object", "size", "device", "source", "host", "id")
REQUIRED_COLUMNS = ("time", "user", "action")


def normalise_action(action: str) -> str:
    return re.sub(r"[\s\-]+", "_", action.strip().lower())


def generic_kind(action: str, object_: str) -> Kind:
    """Return the kind of a generic action; an unknown action on an object is an access."""
    kind = GENERIC_ACTIONS.get(normalise_action(action))
    if kind is not None:
        return kind
    return Kind.ACCESS if object_ else Kind.OTHER


# --- text files --------------------------------------------------------------------------------


def open_text(path: Path) -> io.TextIOBase:
    """Open a log file as text: UTF-8 (with or without BOM), UTF-16 with a BOM, or
    Shift_JIS (cp932) when the start of the file is not UTF-8."""
    # The caller closes the wrapper, which closes the file.
    raw: BinaryIO = gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")  # noqa: SIM115
    head = raw.read(65536)
    raw.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            # A cut multi-byte character at the end of the sample is still UTF-8.
            encoding = "utf-8" if exc.start >= len(head) - 4 else "cp932"
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")


def _csv_records(text: io.TextIOBase) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number where the record starts, cells) for each CSV record."""
    reader = csv.reader(text)
    previous = 0
    for cells in reader:
        start = previous + 1
        previous = reader.line_num
        yield start, cells


def _header(cells: list[str]) -> dict[str, int]:
    return {cell.strip().lstrip("\ufeff").lower(): index for index, cell in enumerate(cells)}


def _pick(header: dict[str, int], *names: str) -> int | None:
    for name in names:
        if name in header:
            return header[name]
    return None


# --- time ----------------------------------------------------------------------------------

_US_TIME = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?$"
)
_GOOGLE_TIME = re.compile(
    r"^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)"
    r"(?:\s*(?:GMT|UTC)([+-]\d{1,2})(?::?(\d{2}))?)?$"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def parse_time(value: str, *, assume_utc: bool = False) -> str | None:
    """Return ``value`` as ISO 8601 text DuckDB reads, or ``None`` when it is no time.

    Accepted: ISO 8601 (``T`` or space, fractions, ``Z`` or an offset), ``YYYY/MM/DD
    hh:mm[:ss]``, ``M/D/YYYY h:mm[:ss] [AM|PM]`` and Google's ``Mar 2, 2026, 9:15:03 PM
    GMT+9``. A time without an offset is local time, or UTC with ``assume_utc``.
    """
    text = value.strip()
    if not text:
        return None
    parsed: datetime.datetime | None = None
    offset: datetime.timedelta | None = None
    iso = text.replace("/", "-", 2) if re.match(r"^\d{4}/\d{1,2}/\d{1,2}", text) else text
    if iso.endswith(("Z", "z")):
        iso = iso[:-1] + "+00:00"
    # Fractions longer than microseconds (.NET writes seven digits) are cut.
    iso = re.sub(r"(\.\d{6})\d+", r"\1", iso)
    try:
        parsed = datetime.datetime.fromisoformat(iso)
    except ValueError:
        match = _US_TIME.match(text)
        google = _GOOGLE_TIME.match(text) if match is None else None
        try:
            if match:
                month, day, year, hour, minute, second, meridiem = match.groups()
                parsed = datetime.datetime(
                    int(year), int(month), int(day), _hour(int(hour), meridiem), int(minute)
                ) + datetime.timedelta(seconds=int(second or 0))
            elif google:
                mon, day, year, hour, minute, second, meridiem, off_h, off_m = google.groups()
                parsed = datetime.datetime(
                    int(year), _MONTHS[mon], int(day), _hour(int(hour), meridiem), int(minute)
                ) + datetime.timedelta(seconds=int(second or 0))
                if off_h is not None:
                    sign = -1 if off_h.startswith("-") else 1
                    offset = sign * datetime.timedelta(
                        hours=abs(int(off_h)), minutes=int(off_m or 0)
                    )
        except (KeyError, ValueError):
            return None
    if parsed is None:
        return None
    if offset is not None:
        parsed = parsed.replace(tzinfo=datetime.timezone(offset))
    if parsed.tzinfo is None and assume_utc:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    if not 1990 <= parsed.year <= 2200:
        return None
    return parsed.isoformat(sep=" ")


def _hour(hour: int, meridiem: str | None) -> int:
    if not meridiem:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError("hour")
    pm = meridiem.lower() == "pm"
    return (hour % 12) + (12 if pm else 0)


def _size(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        size = int(float(str(value).strip()))
    except ValueError:
        return None
    return size if size >= 0 else None


# --- generic JSON lines ----------------------------------------------------------------------


def read_generic_jsonl(text: io.TextIOBase) -> Iterator[Row | LineError]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            yield LineError(number, "json", "")
            continue
        if not isinstance(record, dict):
            yield LineError(number, "json", "")
            continue
        yield _generic_row(number, {str(k).lower(): v for k, v in record.items()})


def _generic_row(number: int, record: dict[str, Any]) -> Row | LineError:
    def text(name: str) -> str:
        value = record.get(name)
        return "" if value is None else str(value).strip()

    for name in REQUIRED_COLUMNS[1:]:
        if not text(name):
            return LineError(number, "missing", name)
    time = parse_time(text("time"))
    if time is None:
        return LineError(number, "time", text("time")[:40])
    size_text = text("size")
    size = _size(size_text)
    if size_text and size is None:
        return LineError(number, "value", "size")
    object_ = text("object")
    return Row(
        source_id=text("id"),
        time=time,
        user=text("user"),
        action=text("action"),
        kind=int(generic_kind(text("action"), object_)),
        object=object_,
        size=size,
        device=text("device"),
        source=text("source") or "generic",
        host=text("host"),
    )


def read_generic_csv(text: io.TextIOBase) -> Iterator[Row | LineError]:
    """The generic CSV read in Python: for files DuckDB should not read directly
    (Shift_JIS or UTF-16 encoded)."""
    records = _csv_records(text)
    header = generic_header(next(records, (1, []))[1])
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield LineError(number, "columns", f"{len(cells)}/{len(header)}")
            continue
        record = {name: cells[index] for index, name in enumerate(header) if name}
        yield _generic_row(number, record)


def generic_header(cells: list[str]) -> list[str]:
    """Return the generic columns in the file's order ('' for a column mamori ignores).

    Raise ``FormatError`` when a required column is missing.
    """
    names = [cell.strip().lstrip("\ufeff").lower() for cell in cells]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise FormatError(
            f"the first line must name the columns; missing: {', '.join(missing)}"
            " (expected time, user, action, object, size, device, source, host, id)"
        )
    seen: set[str] = set()
    result = []
    for name in names:
        keep = name in GENERIC_COLUMNS and name not in seen
        seen.add(name)
        result.append(name if keep else "")
    return result


# --- Microsoft 365 unified audit log -----------------------------------------------------------

M365_KINDS: dict[str, Kind] = {
    "filedownloaded": Kind.DOWNLOAD,
    "filesyncdownloadedfull": Kind.DOWNLOAD,
    "filesyncdownloadedpartial": Kind.DOWNLOAD,
    "filecopiedtoremovablemedia": Kind.REMOVABLE,
    "fileuploadedtocloud": Kind.CLOUD,
    "anonymouslinkcreated": Kind.CLOUD,
    "fileprinted": Kind.PRINT,
}
M365_SEND = {"send", "sendas", "sendonbehalf"}


def read_m365(text: io.TextIOBase) -> Iterator[Row | LineError]:
    """Microsoft 365 unified audit log exported as CSV (Purview audit search).

    The ``AuditData`` column holds the record as JSON; the other columns are only used
    when a value is missing from it.
    """
    records = _csv_records(text)
    header = _header(next(records, (1, []))[1])
    audit = _pick(header, "auditdata")
    if audit is None:
        raise FormatError("no AuditData column: is this a Microsoft 365 audit log export?")
    when_col = _pick(header, "creationdate", "creationtime")
    user_col = _pick(header, "userid", "userids")
    op_col = _pick(header, "operation", "operations")
    id_col = _pick(header, "recordid", "id")
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if audit >= len(cells):
            yield LineError(number, "columns", f"{len(cells)}/{len(header)}")
            continue
        try:
            data = json.loads(cells[audit])
        except ValueError:
            yield LineError(number, "json", "AuditData")
            continue
        if not isinstance(data, dict):
            yield LineError(number, "json", "AuditData")
            continue
        yield _m365_row(number, data, cells, when_col, user_col, op_col, id_col)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _m365_row(
    number: int,
    data: dict[str, Any],
    cells: list[str],
    when_col: int | None,
    user_col: int | None,
    op_col: int | None,
    id_col: int | None,
) -> Row | LineError:
    operation = str(data.get("Operation") or _cell(cells, op_col)).strip()
    user = str(data.get("UserId") or _cell(cells, user_col)).strip()
    if not operation:
        return LineError(number, "missing", "Operation")
    if not user:
        return LineError(number, "missing", "UserId")
    raw_time = str(data.get("CreationTime") or _cell(cells, when_col))
    time = parse_time(raw_time, assume_utc=True)  # the audit log records UTC
    if time is None:
        return LineError(number, "time", raw_time[:40])
    op = operation.lower()
    kind = M365_KINDS.get(op)
    object_ = str(data.get("ObjectId") or data.get("SourceFileName") or "").strip()
    device = ""
    if op in M365_SEND:
        item = data.get("Item") if isinstance(data.get("Item"), dict) else {}
        attachments = str(item.get("Attachments") or "").strip()
        kind = Kind.EMAIL if attachments else Kind.OTHER
        object_ = attachments or str(item.get("Subject") or "")
    elif kind is None:
        kind = Kind.ACCESS if op.startswith("file") or object_ else Kind.OTHER
    if kind == Kind.REMOVABLE:
        media = data.get("RemovableMediaDeviceAttributes")
        if isinstance(media, dict):
            device = " ".join(
                str(media.get(key) or "") for key in ("Manufacturer", "Model", "SerialNumber")
            ).strip()
    elif kind == Kind.CLOUD:
        device = str(data.get("TargetDomain") or data.get("TargetUrl") or "")
    elif kind == Kind.PRINT:
        device = str(data.get("TargetPrinterName") or "")
    size = _size(data.get("FileSize") or data.get("FileSizeBytes"))
    return Row(
        source_id=str(data.get("Id") or _cell(cells, id_col)),
        time=time,
        user=user,
        action=operation,
        kind=int(kind),
        object=object_[:2000],
        size=size,
        device=device[:300],
        source="m365:" + str(data.get("Workload") or ""),
        host=str(data.get("DeviceName") or data.get("ClientIP") or "")[:300],
    )


# --- Google Workspace Drive audit -----------------------------------------------------------

GWS_KINDS: dict[str, Kind] = {
    "download": Kind.DOWNLOAD,
    "print": Kind.PRINT,
    "view": Kind.ACCESS,
    "edit": Kind.ACCESS,
    "preview": Kind.ACCESS,
    "copy": Kind.ACCESS,
    "create": Kind.ACCESS,
    "upload": Kind.ACCESS,
    "delete": Kind.ACCESS,
    "trash": Kind.ACCESS,
    "untrash": Kind.ACCESS,
    "rename": Kind.ACCESS,
    "move": Kind.ACCESS,
    "add_to_folder": Kind.ACCESS,
    "remove_from_folder": Kind.ACCESS,
    "change_document_visibility": Kind.ACCESS,
    "change_visibility": Kind.ACCESS,
    "visibility_change": Kind.ACCESS,
    "change_user_access": Kind.ACCESS,
    "change_acl_editors": Kind.ACCESS,
    "sharing_change": Kind.ACCESS,
}
# A visibility this open counts as sharing outside the company (an exfiltration channel).
GWS_OUTSIDE = {
    "people_with_link",
    "public_on_the_web",
    "public_in_the_domain_with_link_false",
    "shared_externally",
    "anyone_with_the_link",
    "public",
    "external",
}


def _gws_name(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def _gws_kind(event: str, visibility: str) -> Kind:
    kind = GWS_KINDS.get(event, Kind.ACCESS if event else Kind.OTHER)
    sharing = any(word in event for word in ("visib", "access", "shar", "acl"))
    if kind == Kind.ACCESS and sharing and _gws_name(visibility) in GWS_OUTSIDE:
        return Kind.CLOUD
    return kind


def read_gws(text: io.TextIOBase) -> Iterator[Row | LineError]:
    """Google Workspace Drive audit: the admin console's CSV export, or the Reports API
    activities as JSON lines (one activity per line)."""
    first = text.read(1)
    text.seek(0)
    if first == "{":
        yield from _gws_json(text)
    else:
        yield from _gws_csv(text)


def _gws_csv(text: io.TextIOBase) -> Iterator[Row | LineError]:
    records = _csv_records(text)
    header = _header(next(records, (1, []))[1])
    columns = {
        "time": _pick(header, "date", "time", "timestamp", "日付"),
        "event": _pick(header, "event", "event name", "イベント", "event_name"),
        "actor": _pick(header, "actor", "user", "email", "actor email", "アクター", "ユーザー"),
        "title": _pick(header, "title", "document name", "item name", "doc_title", "タイトル"),
        "doc": _pick(header, "document id", "item id", "doc_id", "ドキュメント id"),
        "visibility": _pick(header, "visibility", "公開設定"),
        "ip": _pick(header, "ip address", "ip", "ipaddress", "ip アドレス"),
        "target": _pick(header, "target", "target user", "target_user"),
        "id": _pick(header, "id", "unique id", "uniquequalifier"),
    }
    missing = [name for name in ("time", "event", "actor") if columns[name] is None]
    if missing:
        raise FormatError(
            "the Drive export needs the columns Date, Event and Actor; missing: "
            + ", ".join(missing)
        )
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            yield LineError(number, "columns", f"{len(cells)}/{len(header)}")
            continue
        event = _gws_name(_cell(cells, columns["event"]))
        actor = _cell(cells, columns["actor"])
        raw_time = _cell(cells, columns["time"])
        if not event:
            yield LineError(number, "missing", "Event")
            continue
        if not actor:
            yield LineError(number, "missing", "Actor")
            continue
        time = parse_time(raw_time, assume_utc=True)
        if time is None:
            yield LineError(number, "time", raw_time[:40])
            continue
        title, doc = _cell(cells, columns["title"]), _cell(cells, columns["doc"])
        visibility = _cell(cells, columns["visibility"])
        yield Row(
            source_id=_cell(cells, columns["id"]),
            time=time,
            user=actor,
            action=event,
            kind=int(_gws_kind(event, visibility)),
            object=title or doc,
            size=None,
            device=_cell(cells, columns["target"]) or visibility,
            source="gws:drive",
            host=_cell(cells, columns["ip"]),
        )


def _gws_json(text: io.TextIOBase) -> Iterator[Row | LineError]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            activity = json.loads(line)
            ident = activity.get("id") or {}
            raw_time = str(ident.get("time") or "")
            actor = str((activity.get("actor") or {}).get("email") or "")
            events = activity.get("events") or []
        except (ValueError, AttributeError):
            yield LineError(number, "json", "")
            continue
        if not actor:
            yield LineError(number, "missing", "actor.email")
            continue
        time = parse_time(raw_time, assume_utc=True)
        if time is None:
            yield LineError(number, "time", raw_time[:40])
            continue
        if not isinstance(events, list) or not events:
            yield LineError(number, "missing", "events")
            continue
        for index, event in enumerate(events):
            if not isinstance(event, dict):
                continue
            params = _gws_params(event.get("parameters"))
            name = _gws_name(str(event.get("name") or ""))
            visibility = str(params.get("visibility") or "")
            qualifier = str(ident.get("uniqueQualifier") or "")
            yield Row(
                source_id=f"{qualifier}:{index}" if qualifier else "",
                time=time,
                user=actor,
                action=name,
                kind=int(_gws_kind(name, visibility)),
                object=str(params.get("doc_title") or params.get("doc_id") or ""),
                size=None,
                device=str(params.get("target_user") or visibility),
                source="gws:drive",
                host=str(activity.get("ipAddress") or ""),
            )


def _gws_params(raw: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if not isinstance(raw, list):
        return params
    for item in raw:
        if isinstance(item, dict) and "name" in item:
            for key in ("value", "boolValue", "intValue", "multiValue"):
                if key in item:
                    params[str(item["name"])] = item[key]
                    break
    return params


# --- Windows removable-storage events ---------------------------------------------------------

WRITE_ACCESS = re.compile(
    r"writedata|appenddata|write ?data|append ?data|データの書き込み|データの追加|%%4417|%%4418",
    re.IGNORECASE,
)
MESSAGE_FIELDS = {
    "user": ("account name", "アカウント名"),
    "domain": ("account domain", "アカウント ドメイン", "アカウント・ドメイン"),
    "object": ("object name", "オブジェクト名"),
    "accesses": ("accesses", "アクセス"),
    "mask": ("access mask", "アクセス マスク", "アクセス・マスク"),
    "device": ("device name", "デバイス名", "device id", "デバイス id"),
}


def _message_fields(message: str) -> dict[str, str]:
    """Read ``Label: value`` lines of an event's message (English or Japanese Windows)."""
    found: dict[str, str] = {}
    for line in message.splitlines():
        label, sep, value = line.partition(":")
        if not sep:
            label, sep, value = line.partition("：")
        if not sep:
            continue
        label = label.strip().lower()
        for key, names in MESSAGE_FIELDS.items():
            if label in names and key not in found and value.strip():
                found[key] = value.strip()
    return found


def read_winusb(text: io.TextIOBase) -> Iterator[Row | LineError]:
    """Windows security events for removable storage (4663 object access, 6416 new
    device), exported as CSV with either the event's properties as columns or its
    message text."""
    records = _csv_records(text)
    header = _header(next(records, (1, []))[1])
    columns = {
        "time": _pick(header, "timecreated", "date and time", "日付と時刻", "time"),
        "id": _pick(header, "id", "eventid", "event id", "イベント id"),
        "host": _pick(header, "machinename", "computer", "コンピューター"),
        "user": _pick(header, "subjectusername", "accountname", "user"),
        "domain": _pick(header, "subjectdomainname", "accountdomain"),
        "object": _pick(header, "objectname"),
        "mask": _pick(header, "accessmask", "accesses", "accesslist"),
        "process": _pick(header, "processname"),
        "device": _pick(header, "devicedescription", "devicename", "deviceid"),
        "message": _pick(header, "message", "description", "説明"),
        "record": _pick(header, "recordid", "eventrecordid"),
    }
    if columns["time"] is None or columns["id"] is None:
        raise FormatError(
            "the Windows export needs the columns TimeCreated and Id "
            "(see docs/watch-formats.md for the PowerShell command)"
        )
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            yield LineError(number, "columns", f"{len(cells)}/{len(header)}")
            continue
        yield _winusb_row(number, cells, columns)


def _winusb_row(number: int, cells: list[str], columns: dict[str, int | None]) -> Row | LineError:
    fields = _message_fields(_cell(cells, columns["message"]))

    def value(name: str) -> str:
        return _cell(cells, columns.get(name)) or fields.get(name, "")

    event_id = _cell(cells, columns["id"])
    if not event_id.isdigit():
        return LineError(number, "value", "Id")
    raw_time = _cell(cells, columns["time"])
    time = parse_time(raw_time)
    if time is None:
        return LineError(number, "time", raw_time[:40])
    user, domain = value("user"), value("domain")
    if not user:
        return LineError(number, "missing", "SubjectUserName")
    account = f"{domain}\\{user}" if domain and "\\" not in user and "@" not in user else user
    object_ = value("object")
    accesses = " ".join(filter(None, (value("mask"), fields.get("accesses", ""))))
    if event_id == "4663":
        mask = _mask(value("mask"))
        writes = bool(WRITE_ACCESS.search(accesses)) or (mask is not None and mask & 0x6)
        kind = Kind.REMOVABLE if writes else Kind.ACCESS
        action = "removable_write" if writes else "removable_read"
    else:
        kind, action = Kind.OTHER, f"event_{event_id}"
    record = _cell(cells, columns["record"])
    host = _cell(cells, columns["host"])
    return Row(
        source_id=f"{host}:{record}" if record else "",
        time=time,
        user=account,
        action=action,
        kind=int(kind),
        object=object_[:2000],
        size=None,
        device=value("device")[:300] or (object_[:3] if kind == Kind.REMOVABLE else ""),
        source="windows",
        host=host,
    )


def _mask(value: str) -> int | None:
    text = value.strip().lower()
    try:
        return int(text, 16) if text.startswith("0x") else None
    except ValueError:
        return None


READERS: dict[str, Callable[[io.TextIOBase], Iterator[Row | LineError]]] = {
    "m365": read_m365,
    "gws": read_gws,
    "winusb": read_winusb,
}
