"""Readers that turn each supported log format into the generic schema, line by line.

A reader yields either a ``Row`` (one event in the generic schema) or a ``LineError``
(the record at that line is malformed and skipped). Files are read as a stream: nothing
holds more than one record at a time. The generic CSV schema is read by DuckDB itself
(see ``_store``); the readers here serve the other formats and JSON lines.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from mamori.engines.watch import _times
from mamori.engines.watch._model import FormatError, ImportOptions, Kind, LineError

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


def csv_records(text: io.TextIOBase, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Yield (line number where the record starts, cells) for each CSV record; a first
    ``#TYPE …`` line (Windows PowerShell's Export-Csv) is skipped."""
    reader = csv.reader(text, delimiter=delimiter)
    previous = 0
    for cells in reader:
        start = previous + 1
        previous = reader.line_num
        if start == 1 and cells and cells[0].lstrip("\ufeff").startswith("#TYPE"):
            continue
        yield start, cells


def sniff_delimiter(text: io.TextIOBase) -> str:
    """``;`` for a file whose header is split by semicolons (Export-Csv -UseCulture in a
    locale whose list separator is ``;``), else ``,``; rewinds."""
    head = text.read(8192)
    text.seek(0)
    lines = [line for line in head.splitlines() if line and not line.startswith("#TYPE")]
    first = lines[0] if lines else ""
    return ";" if first.count(";") > first.count(",") else ","


def header_map(cells: list[str]) -> dict[str, int]:
    """Lower-case column name -> index (the first of equal names)."""
    result: dict[str, int] = {}
    for index, cell in enumerate(cells):
        result.setdefault(cell.strip().lstrip("\ufeff").strip('"').lower(), index)
    return result


def pick(header: dict[str, int], *names: str) -> int | None:
    for name in names:
        if name in header:
            return header[name]
    return None


def cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


@dataclass
class Context:
    """What a reader needs besides the file: the options and the file's time parser."""

    options: ImportOptions = field(default_factory=ImportOptions)
    times: _times.Times = field(default_factory=_times.Times)


# --- time ----------------------------------------------------------------------------------


def parse_time(value: str, *, assume_utc: bool = False) -> str | None:
    """Parse a time as the generic schema writes it (ISO 8601, ``M/D/YYYY``)."""
    return _times.parse_time(value, assume_utc=assume_utc)


def size_value(value: Any) -> int | None:
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
    size = size_value(size_text)
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
    records = csv_records(text)
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
            "columns",
            fmt="generic",
            expected=REQUIRED_COLUMNS,
            found=tuple(name for name in names if name),
        )
    seen: set[str] = set()
    result = []
    for name in names:
        keep = name in GENERIC_COLUMNS and name not in seen
        seen.add(name)
        result.append(name if keep else "")
    return result
