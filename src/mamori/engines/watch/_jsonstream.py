"""Streaming JSON values out of a file: JSON lines, a JSON array (its elements one by one),
or several JSON documents one after another (saved API pages). Memory holds one value."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

CHUNK = 1 << 20
MAX_VALUE = 64 << 20  # a single value (an API page) larger than this is refused
_DECODER = json.JSONDecoder()


class JsonFault:
    """A value that is not valid JSON, at ``line``."""

    __slots__ = ("line", "message")

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message


def json_values(text: io.TextIOBase) -> Iterator[tuple[int, Any | JsonFault]]:
    """Yield ``(line, value)`` for each top-level value, and for each element of a top-level
    array; an unreadable value yields a ``JsonFault`` and reading goes on at the next line."""
    buf = ""
    pos = 0
    line = 1
    eof = False
    depth = 0  # 1 inside a top-level array

    def more() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        chunk = text.read(CHUNK)
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    while True:
        # Skip blanks (and the commas between array elements).
        while True:
            while pos < len(buf) and (buf[pos] in " \t\r\n\ufeff" or (depth and buf[pos] == ",")):
                if buf[pos] == "\n":
                    line += 1
                pos += 1
            if pos < len(buf) or not more():
                break
        if pos >= len(buf):
            return
        char = buf[pos]
        if char == "[" and depth == 0:
            depth, pos = 1, pos + 1
            continue
        if char == "]" and depth == 1:
            depth, pos = 0, pos + 1
            continue
        try:
            value, end = _DECODER.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            incomplete = exc.pos >= len(buf) - 1 or exc.msg.startswith("Unterminated")
            if incomplete and len(buf) - pos < MAX_VALUE and more():
                continue
            yield line, JsonFault(line, exc.msg)
            newline = buf.find("\n", pos)
            while newline < 0 and more():
                newline = buf.find("\n", pos)
            pos = len(buf) if newline < 0 else newline
            continue
        yield line, value
        line += buf.count("\n", pos, end)
        pos = end
        if pos > CHUNK:
            buf, pos = buf[pos:], 0


def first_char(text: io.TextIOBase) -> str:
    """The first character that is not a blank (``''`` for an empty file); rewinds."""
    head = text.read(4096)
    text.seek(0)
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped[:1]
