"""Reading the times log exports write, without guessing day and month.

A time with an offset (``+09:00``, ``Z``) is exact. A time without one is local time (or
UTC where the source says so). A date written with slashes or dots in a locale's order —
``03/02/2026`` — is read in the order given (``dmy`` or ``mdy``); without one, the order is
detected from the whole file (a day above 12 decides it) and a file in which every date
could be read both ways is refused, never guessed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

DATE_ORDERS = ("dmy", "mdy")

_NUMERIC = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(?:\s*([AaPp][Mm]|午前|午後))?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_MERIDIEM_FIRST = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s+(午前|午後)\s*(\d{1,2}):(\d{2})(?::(\d{2}))?$"
)
_GOOGLE = re.compile(
    r"^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)"
    r"(?:\s*(?:GMT|UTC)([+-]\d{1,2})(?::?(\d{2}))?)?$"
)
_NET_DATE = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


class NeedDateOrder(Exception):
    """A day/month date was met and no order is known yet: detect it from the file."""


@dataclass
class DateEvidence:
    """What the dates of a file say about their order."""

    day_first: int = 0  # dates only readable as day/month (first number above 12)
    month_first: int = 0  # dates only readable as month/day
    either: int = 0  # dates readable both ways
    example_day_first: str = ""
    example_month_first: str = ""
    example_either: str = ""

    def decide(self) -> str | None:
        """Return the order the file's dates prove, or ``None``."""
        if self.day_first and not self.month_first:
            return "dmy"
        if self.month_first and not self.day_first:
            return "mdy"
        return None


class Times:
    """Parses the times of one file. ``order`` is ``dmy``, ``mdy`` or ``None`` (not known:
    the first day/month date raises ``NeedDateOrder``). In ``detect`` mode day/month dates
    are only counted into ``evidence``."""

    def __init__(self, order: str | None = None, *, detect: bool = False) -> None:
        self.order = order
        self.detect = detect
        self.evidence = DateEvidence()

    def parse(self, value: str, *, assume_utc: bool = False) -> str | None:
        """Return ``value`` as ISO 8601 text DuckDB reads, or ``None`` when it is no time."""
        text = value.strip().replace("\u200e", "").replace("\u200f", "")
        if not text:
            return None
        parsed = _iso(text)
        if parsed is None:
            parsed = self._numeric(text)
        if parsed is None:
            parsed = _google(text) or _net_date(text)
        if parsed is None:
            return None
        if parsed.tzinfo is None and assume_utc:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        if not 1990 <= parsed.year <= 2200:
            return None
        return parsed.isoformat(sep=" ")

    def _numeric(self, text: str) -> datetime.datetime | None:
        match = _NUMERIC.match(text)
        if match:
            first, second, year, hour, minute, second_s, fraction, meridiem, zone = match.groups()
        else:
            match = _MERIDIEM_FIRST.match(text)
            if not match:
                return None
            first, second, year, meridiem, hour, minute, second_s = match.groups()
            fraction = zone = None
        a, b = int(first), int(second)
        if self.detect:
            self._note(a, b, text)
            return datetime.datetime(2000, 1, 1)
        if a > 12 and b > 12:
            return None
        if self.order is None:
            raise NeedDateOrder(text)
        day, month = (a, b) if self.order == "dmy" else (b, a)
        try:
            parsed = datetime.datetime(
                int(year), month, day, _hour(int(hour), meridiem), int(minute), int(second_s or 0)
            )
        except ValueError:
            return None
        if fraction:
            parsed += datetime.timedelta(microseconds=int(fraction[:6].ljust(6, "0")))
        if zone:
            parsed = parsed.replace(tzinfo=_zone(zone))
        return parsed

    def _note(self, a: int, b: int, text: str) -> None:
        evidence = self.evidence
        if a > 12 >= b:
            evidence.day_first += 1
            evidence.example_day_first = evidence.example_day_first or text
        elif b > 12 >= a:
            evidence.month_first += 1
            evidence.example_month_first = evidence.example_month_first or text
        elif a <= 12 and b <= 12:
            evidence.either += 1
            evidence.example_either = evidence.example_either or text


_YMD = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:([ T])(\d{1,2}):)?")


def _iso(text: str) -> datetime.datetime | None:
    # Year first (ISO, or Japan's 2026/03/02 9:15:03): pad the parts ISO wants two digits.
    iso = _YMD.sub(
        lambda m: (
            f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" + (f"{m[4]}{int(m[5]):02d}:" if m[4] else "")
        ),
        text,
        count=1,
    )
    if iso.endswith(("Z", "z")):
        iso = iso[:-1] + "+00:00"
    iso = re.sub(r"(\.\d{6})\d+", r"\1", iso)  # .NET writes seven fraction digits
    iso = re.sub(r" ([+-]\d{2}:?\d{2})$", r"\1", iso)
    try:
        return datetime.datetime.fromisoformat(iso)
    except ValueError:
        return None


def _google(text: str) -> datetime.datetime | None:
    match = _GOOGLE.match(text)
    if not match:
        return None
    mon, day, year, hour, minute, second, meridiem, off_h, off_m = match.groups()
    try:
        parsed = datetime.datetime(
            int(year), _MONTHS[mon], int(day), _hour(int(hour), meridiem), int(minute)
        ) + datetime.timedelta(seconds=int(second or 0))
    except (KeyError, ValueError):
        return None
    if off_h is not None:
        sign = -1 if off_h.startswith("-") else 1
        offset = sign * datetime.timedelta(hours=abs(int(off_h)), minutes=int(off_m or 0))
        parsed = parsed.replace(tzinfo=datetime.timezone(offset))
    return parsed


def _net_date(text: str) -> datetime.datetime | None:
    """``/Date(1581090247000)/``: how Windows PowerShell's ConvertTo-Json writes a time."""
    match = _NET_DATE.match(text)
    if not match:
        return None
    return datetime.datetime.fromtimestamp(int(match.group(1)) / 1000, tz=datetime.UTC)


def _zone(text: str) -> datetime.tzinfo:
    if text in {"Z", "z"}:
        return datetime.UTC
    sign = -1 if text.startswith("-") else 1
    digits = text[1:].replace(":", "")
    return datetime.timezone(
        sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    )


def _hour(hour: int, meridiem: str | None) -> int:
    if not meridiem:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError("hour")
    pm = meridiem.lower() == "pm" or meridiem == "午後"
    return (hour % 12) + (12 if pm else 0)


def parse_time(value: str, *, assume_utc: bool = False, order: str | None = "mdy") -> str | None:
    """Parse one time (day/month dates in ``order``); see ``Times.parse``."""
    return Times(order).parse(value, assume_utc=assume_utc)
