"""Microsoft 365 unified audit log, in every layout it is exported in.

- CSV with an ``AuditData`` column: Purview's audit search export (``CreationDate``,
  ``UserId``, ``Operation``, ``AuditData``…) and ``Search-UnifiedAuditLog | Export-Csv``
  (``UserIds``, ``Operations``, ``AuditData``…; also Shift_JIS from a Japanese machine);
- CSV with AuditData's own fields as columns (``CreationTime``, ``UserId``,
  ``Operation``, ``ObjectId``, ``Id``…: Excel's JSON transform, ``Select-Object``);
- JSON lines or a JSON array of AuditData objects (the Management Activity API,
  investigation tools), or of ``Search-UnifiedAuditLog`` objects whose ``AuditData`` is
  a string (``ConvertTo-Json``).

Times are ``CreationTime`` (UTC). The kind comes from the catalogue (``kinds.yaml``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from mamori.engines.watch._catalogue import domain_of, is_outside, kind_of
from mamori.engines.watch._jsonstream import JsonFault, first_char, json_values
from mamori.engines.watch._model import FormatError, Kind, LineError
from mamori.engines.watch._readers import (
    Context,
    Row,
    cell,
    csv_records,
    header_map,
    pick,
    size_value,
    sniff_delimiter,
)

AUDITDATA_COLUMNS = ("CreationDate", "UserId", "Operation", "AuditData")
FIELD_COLUMNS = ("CreationTime", "UserId", "Operation")


def read_m365(text: io.TextIOBase, ctx: Context) -> Iterator[Row | LineError]:
    if first_char(text) in {"{", "["}:
        yield from _json(text, ctx)
    else:
        yield from _csv(text, ctx)


def _json(text: io.TextIOBase, ctx: Context) -> Iterator[Row | LineError]:
    for line, value in json_values(text):
        if isinstance(value, JsonFault):
            yield LineError(line, "json", value.message)
            continue
        records = value.get("value") if isinstance(value, dict) and "value" in value else [value]
        for record in records if isinstance(records, list) else [records]:
            if not isinstance(record, dict):
                yield LineError(line, "json", "")
                continue
            data = record.get("AuditData")
            if isinstance(data, str):
                try:
                    data = json.loads(data)
                except ValueError:
                    yield LineError(line, "json", "AuditData")
                    continue
            if not isinstance(data, dict):
                data = record
            yield row(line, data, ctx, fallback=_fallback(record))


def _fallback(record: dict[str, Any]) -> dict[str, str]:
    """Values of a Search-UnifiedAuditLog object used when AuditData lacks them."""
    return {
        "time": str(record.get("CreationDate") or ""),
        "user": str(record.get("UserIds") or record.get("UserId") or ""),
        "operation": str(record.get("Operations") or record.get("Operation") or ""),
        "id": str(record.get("Identity") or record.get("RecordId") or ""),
    }


def _csv(text: io.TextIOBase, ctx: Context) -> Iterator[Row | LineError]:
    records = csv_records(text, sniff_delimiter(text))
    first = next(records, None)
    if first is None:
        return
    header = header_map(first[1])
    audit = pick(header, "auditdata")
    when_col = pick(header, "creationdate", "creationtime")
    user_col = pick(header, "userid", "userids")
    op_col = pick(header, "operation", "operations")
    id_col = pick(header, "recordid", "id", "identity")
    if audit is None and (when_col is None or user_col is None or op_col is None):
        found = tuple(c.strip() for c in first[1] if c.strip())
        raise FormatError("columns", fmt="m365", expected=AUDITDATA_COLUMNS, found=found)
    names = [c.strip().lstrip("\ufeff") for c in first[1]]
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        fallback = {
            "time": cell(cells, when_col),
            "user": cell(cells, user_col),
            "operation": cell(cells, op_col),
            "id": cell(cells, id_col),
        }
        if audit is None:
            # AuditData's fields as columns: nested values (objects) are JSON text.
            data: Any = {
                name: _cell_value(cells[i]) for i, name in enumerate(names) if i < len(cells)
            }
        else:
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
        yield row(number, data, ctx, fallback=fallback)


def _cell_value(text: str) -> Any:
    stripped = text.strip()
    if stripped[:1] in {"{", "["}:
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    return text


def _first(data: dict[str, Any], *names: str) -> Any:
    """The first of ``names`` present with a value (0 is a value, '' and null are not)."""
    for name in names:
        value = data.get(name)
        if value is not None and value != "":
            return value
    return None


def row(
    number: int, data: dict[str, Any], ctx: Context, *, fallback: dict[str, str] | None = None
) -> Row | LineError:
    fallback = fallback or {}
    operation = str(_first(data, "Operation") or fallback.get("operation") or "").strip()
    user = str(_first(data, "UserId") or fallback.get("user") or "").strip()
    if not operation:
        return LineError(number, "missing", "Operation")
    if not user:
        return LineError(number, "missing", "UserId")
    raw_time = str(_first(data, "CreationTime") or fallback.get("time") or "")
    time = ctx.times.parse(raw_time, assume_utc=True)  # the audit log records UTC
    if time is None:
        return LineError(number, "time", raw_time[:40])
    kind, device = decide(operation, data, ctx.options.company_domains)
    object_ = str(_first(data, "ObjectId", "SourceFileName", "TargetFilePath") or "").strip()
    if operation.lower() in {"send", "sendas", "sendonbehalf"}:
        item = data.get("Item") if isinstance(data.get("Item"), dict) else {}
        object_ = str(item.get("Attachments") or item.get("Subject") or object_)
    size = size_value(_first(data, "FileSize", "FileSizeBytes"))
    return Row(
        source_id=str(_first(data, "Id") or fallback.get("id") or ""),
        time=time,
        user=user,
        action=operation,
        kind=int(kind),
        object=object_[:2000],
        size=size,
        device=device[:300],
        source="m365:" + str(data.get("Workload") or ""),
        host=str(_first(data, "DeviceName", "ClientIP", "ActorIpAddress") or "")[:300],
    )


def decide(operation: str, data: dict[str, Any], domains: tuple[str, ...]) -> tuple[Kind, str]:
    """The kind of a record and the device or destination shown with it."""
    kind = kind_of("m365", operation)
    op = operation.lower()
    if kind is None:
        if op in {"send", "sendas", "sendonbehalf"}:
            item = data.get("Item") if isinstance(data.get("Item"), dict) else {}
            return (Kind.EMAIL if str(item.get("Attachments") or "").strip() else Kind.OTHER), ""
        return _sharing(op, data, domains)
    device = ""
    if kind == Kind.REMOVABLE:
        media = data.get("RemovableMediaDeviceAttributes")
        if isinstance(media, str):
            try:
                media = json.loads(media)
            except ValueError:
                media = {"Model": media}
        if isinstance(media, dict):
            device = " ".join(
                str(media.get(key) or "") for key in ("Manufacturer", "Model", "SerialNumber")
            ).strip()
    elif kind == Kind.CLOUD:
        device = str(_first(data, "TargetDomain", "TargetUrl") or "")
    elif kind == Kind.PRINT:
        device = str(_first(data, "TargetPrinterName") or "")
    return kind, device


def _sharing(op: str, data: dict[str, Any], domains: tuple[str, ...]) -> tuple[Kind, str]:
    target = str(_first(data, "TargetUserOrGroupName") or "")
    target_type = str(_first(data, "TargetUserOrGroupType") or "").lower()
    event_data = str(_first(data, "EventData") or "")
    anonymous = (
        op.startswith("anonymouslink")
        or ".anonymous" in target.lower()
        or "anyone" in event_data.lower()
    )
    if anonymous:
        return Kind.CLOUD, "anonymous link"
    if target_type == "guest" or (domain_of(target) and is_outside(target, domains)):
        return Kind.CLOUD, target
    return Kind.ACCESS, target
