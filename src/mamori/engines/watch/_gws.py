"""Google Workspace Drive audit log, in every layout it is exported in.

- Reports API activities (``activities.list`` of application ``drive``) as JSON lines, a
  JSON array, or saved list responses ``{"items": [...]}`` (pages one after another);
  ``events`` as a list or as one object;
- GAM's ``gam report drive`` CSV (``id.time``, ``id.uniqueQualifier``, ``actor.email``,
  ``name``, the parameters as columns);
- the Admin console's Drive log export (``Date``, ``Event``, ``User``/``Actor``,
  ``Item name``/``Title``…; Japanese headers too).

An event is identified by (``id.time``, ``id.uniqueQualifier``, its index in the
activity, its name): Google only promises the qualifier unique among events at the same
time; the name keeps apart exports that reuse ids for different events.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from mamori.engines.watch._catalogue import is_outside, kind_of
from mamori.engines.watch._jsonstream import JsonFault, first_char, json_values
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

# A new visibility this open shares the item outside the company.
OUTSIDE_VISIBILITY = {
    "people_with_link",
    "public_on_the_web",
    "shared_externally",
    "anyone_with_the_link",
    "public",
    "external",
}
CSV_COLUMNS = ("Date", "Event", "Actor")
PARAMETERS = ("doc_title", "doc_id", "visibility", "visibility_change", "target_user")
PARAMETERS += ("target_domain", "copy_type", "target", "new_publish_visibility")


def event_name(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def read_gws(text: io.TextIOBase, ctx: Context) -> Iterator[Row | LineError]:
    if first_char(text) in {"{", "["}:
        yield from _json(text, ctx)
    else:
        yield from _csv(text, ctx)


# --- Reports API JSON -----------------------------------------------------------------------


def _json(text: io.TextIOBase, ctx: Context) -> Iterator[Row | LineError]:
    for line, value in json_values(text):
        if isinstance(value, JsonFault):
            yield LineError(line, "json", value.message)
            continue
        if isinstance(value, dict) and ("items" in value or "nextPageToken" in value):
            activities = value.get("items") or []  # a page without items holds no events
        else:
            activities = [value]
        if not isinstance(activities, list):
            yield LineError(line, "json", "items")
            continue
        for activity in activities:
            yield from _activity(line, activity, ctx)


def _activity(line: int, activity: Any, ctx: Context) -> Iterator[Row | LineError]:
    if not isinstance(activity, dict) or not isinstance(activity.get("id", {}), dict):
        yield LineError(line, "json", "")
        return
    ident = activity.get("id") or {}
    actor = activity.get("actor") if isinstance(activity.get("actor"), dict) else {}
    email = str(actor.get("email") or "").strip()
    raw_time = str(ident.get("time") or "")
    events = activity.get("events")
    if isinstance(events, dict):
        events = [events]
    if not email:
        yield LineError(line, "missing", "actor.email")
        return
    time = ctx.times.parse(raw_time, assume_utc=True)
    if time is None:
        yield LineError(line, "time", raw_time[:40])
        return
    if not isinstance(events, list) or not events:
        yield LineError(line, "missing", "events")
        return
    qualifier = str(ident.get("uniqueQualifier") or "")
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            yield LineError(line, "json", "events")
            continue
        params = parameters(event.get("parameters"))
        name = event_name(str(event.get("name") or ""))
        yield _row(
            source_id=f"{raw_time}|{qualifier}|{index}|{name}" if qualifier else "",
            time=time,
            user=email,
            name=name,
            params=params,
            host=str(activity.get("ipAddress") or ""),
            ctx=ctx,
        )


def parameters(raw: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if not isinstance(raw, list):
        return params
    for item in raw:
        if isinstance(item, dict) and "name" in item:
            for key in ("value", "boolValue", "intValue", "multiValue", "multiIntValue"):
                if key in item:
                    value = item[key]
                    params[str(item["name"])] = value
                    break
    return params


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


# --- the kind --------------------------------------------------------------------------------


def decide(name: str, params: dict[str, Any], domains: tuple[str, ...]) -> Kind:
    """The kind of a Drive event, with sharing and copies typed by the company's domains."""
    kind = kind_of("gws", name)
    if kind is not None:
        return kind
    if name == "copy":
        return Kind.CLOUD if _text(params.get("copy_type")).lower() == "external" else Kind.ACCESS
    if _text(params.get("visibility_change")).lower() == "external":
        return Kind.CLOUD
    for address in _text(params.get("target_user")).split():
        if is_outside(address, domains):
            return Kind.CLOUD
    target_domain = _text(params.get("target_domain")).lower()
    if target_domain == "all" or (target_domain and is_outside(target_domain, domains)):
        return Kind.CLOUD
    if name == "publish_change":
        published = _text(params.get("new_publish_visibility")).lower()
        return Kind.CLOUD if published and published not in {"nobody", "private"} else Kind.ACCESS
    if _text(params.get("visibility")).lower().replace(" ", "_") in OUTSIDE_VISIBILITY:
        return Kind.CLOUD
    return Kind.ACCESS


def _row(
    *,
    source_id: str,
    time: str,
    user: str,
    name: str,
    params: dict[str, Any],
    host: str,
    ctx: Context,
) -> Row:
    kind = decide(name, params, ctx.options.company_domains)
    device = (
        _text(params.get("target_user"))
        or _text(params.get("target_domain"))
        or _text(params.get("target"))
        or (_text(params.get("copy_type")) if name == "copy" else "")
        or _text(params.get("visibility"))
    )
    return Row(
        source_id=source_id,
        time=time,
        user=user,
        action=name,
        kind=int(kind),
        object=(_text(params.get("doc_title")) or _text(params.get("doc_id")))[:2000],
        size=None,
        device=device[:300],
        source="gws:drive",
        host=host[:300],
    )


# --- CSV: GAM and the Admin console ------------------------------------------------------------


def _csv(text: io.TextIOBase, ctx: Context) -> Iterator[Row | LineError]:
    records = csv_records(text, sniff_delimiter(text))
    first = next(records, None)
    if first is None:
        return
    header = header_map(first[1])
    columns = {
        "time": pick(header, "id.time", "date", "time", "timestamp", "日付", "日時"),
        "event": pick(
            header,
            "name",
            "events.name",
            "event",
            "event name",
            "event_name",
            "イベント",
            "イベント名",
        ),
        "actor": pick(
            header,
            "actor.email",
            "actor",
            "user",
            "email",
            "actor email",
            "アクター",
            "ユーザー",
        ),
        "title": pick(
            header,
            "doc_title",
            "item name",
            "title",
            "document name",
            "アイテム名",
            "タイトル",
            "ドキュメント名",
        ),
        "doc": pick(header, "doc_id", "item id", "document id", "アイテム id", "ドキュメント id"),
        "visibility": pick(header, "visibility", "公開設定", "表示設定"),
        "visibility_change": pick(header, "visibility_change", "visibility change"),
        "target_user": pick(header, "target_user", "target user", "target", "対象", "ターゲット"),
        "target_domain": pick(header, "target_domain", "target domain"),
        "copy_type": pick(header, "copy_type", "copy type"),
        "ip": pick(header, "ipaddress", "ip address", "ip", "ip アドレス"),
        "qualifier": pick(header, "id.uniquequalifier", "uniquequalifier"),
    }
    if any(columns[name] is None for name in ("time", "event", "actor")):
        found = tuple(c.strip() for c in first[1] if c.strip())
        raise FormatError("columns", fmt="gws", expected=CSV_COLUMNS, found=found)
    last_activity: tuple[str, str] = ("", "")
    index = 0
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            yield LineError(number, "columns", f"{len(cells)}/{len(header)}")
            continue
        name = event_name(cell(cells, columns["event"]))
        actor = cell(cells, columns["actor"])
        raw_time = cell(cells, columns["time"])
        if not name:
            yield LineError(number, "missing", "Event")
            continue
        if not actor:
            yield LineError(number, "missing", "Actor")
            continue
        time = ctx.times.parse(raw_time, assume_utc=True)
        if time is None:
            yield LineError(number, "time", raw_time[:40])
            continue
        qualifier = cell(cells, columns["qualifier"])
        # GAM writes one row per event; the rows of one activity follow each other.
        index = index + 1 if (raw_time, qualifier) == last_activity else 0
        last_activity = (raw_time, qualifier)
        params = {
            key: cell(cells, columns[column])
            for key, column in (
                ("doc_title", "title"),
                ("doc_id", "doc"),
                ("visibility", "visibility"),
                ("visibility_change", "visibility_change"),
                ("target_user", "target_user"),
                ("target_domain", "target_domain"),
                ("copy_type", "copy_type"),
            )
        }
        yield _row(
            source_id=f"{raw_time}|{qualifier}|{index}|{name}" if qualifier else "",
            time=time,
            user=actor,
            name=name,
            params=params,
            host=cell(cells, columns["ip"]),
            ctx=ctx,
        )
