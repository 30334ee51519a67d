"""Which format a file looks like, to suggest it when the one given does not fit."""

from __future__ import annotations

from pathlib import Path

from mamori.engines.watch._readers import open_text

EVTX_MAGIC = b"ElfFile\x00"


def guess_format(path: Path) -> str | None:
    """Return ``generic``, ``m365``, ``gws`` or ``windows`` when the file's start says so."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) == EVTX_MAGIC:
                return "windows"
        with open_text(path) as text:
            head = text.read(65536)
    except (OSError, UnicodeError, EOFError):
        return None
    body = head.lstrip("\ufeff \t\r\n")
    lower = body.lower()
    if body[:1] in {"{", "["}:
        if '"auditdata"' in lower or ('"operation"' in lower and '"creationtime"' in lower):
            return "m365"
        if "admin#reports#activit" in lower or '"uniquequalifier"' in lower:
            return "gws"
        if '"time"' in lower and '"user"' in lower and '"action"' in lower:
            return "generic"
        return None
    lines = [line for line in body.splitlines() if line and not line.startswith("#TYPE")]
    first = lines[0].lower() if lines else ""
    names = {name.strip().strip('"').strip() for name in first.replace(";", ",").split(",")}
    if "auditdata" in names or {"creationtime", "operation", "userid"} <= names:
        return "m365"
    if {"id.time", "actor.email"} <= names or (
        {"event", "date"} <= names and names & {"actor", "user", "item name", "title"}
    ):
        return "gws"
    if names & {"timecreated", "date and time", "日付と時刻"} and names & {
        "id",
        "eventid",
        "event id",
        "イベント id",
    }:
        return "windows"
    if {"time", "user", "action"} <= names:
        return "generic"
    return None
