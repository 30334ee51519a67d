"""Plain text, Markdown and CSV: encoding detection, replacement that keeps every other
byte (line endings included), and places given as line (and CSV column) numbers."""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mamori.engines.codenames._errors import CodenameError, DocumentError
from mamori.engines.codenames._matcher import Matcher, Matches
from mamori.engines.codenames._results import CONTEXT, Location, Replacement

MAX_PASSES = 4
_SAMPLE = 256 * 1024
_LABELS = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16 (LE)",
    "utf-16-be": "UTF-16 (BE)",
    "cp932": "Shift_JIS (CP932)",
    "euc_jp": "EUC-JP",
    "iso2022_jp": "ISO-2022-JP",
}
# charset_normalizer's names -> Python codecs mamori writes back.
_ALIASES = {"shift_jis": "cp932", "cp932": "cp932", "euc_jp": "euc_jp", "euc-jp": "euc_jp"}


@dataclass(frozen=True)
class Encoding:
    """How a text file is written: the codec and the byte-order mark it starts with."""

    codec: str
    bom: bytes = b""

    @property
    def label(self) -> str:
        name = _LABELS.get(self.codec, self.codec)
        return f"{name} (BOM)" if self.bom else name


def decode(data: bytes) -> tuple[str, Encoding]:
    """Return the text of ``data`` and its encoding: UTF-8 (with or without a BOM),
    UTF-16 with a BOM, ISO-2022-JP, Shift_JIS (CP932) or EUC-JP, detected.

    Raise ``DocumentError`` for a binary file or one whose encoding cannot be told.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _strict(data[len(bom) :], Encoding(codec, bom))
    head = data[:_SAMPLE]
    if b"\x1b$B" in head or b"\x1b$@" in head:
        try:
            return data.decode("iso2022_jp"), Encoding("iso2022_jp")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), Encoding("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in head:
        raise DocumentError(
            "binary", "The file is not text (it contains binary data); nothing was written."
        )
    for codec in _guesses(data):
        try:
            return data.decode(codec), Encoding(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    raise DocumentError(
        "encoding",
        "The file's character encoding cannot be recognised; save it as UTF-8, "
        "Shift_JIS or EUC-JP.",
    )


def _strict(body: bytes, encoding: Encoding) -> tuple[str, Encoding]:
    try:
        return body.decode(encoding.codec), encoding
    except UnicodeDecodeError as exc:
        raise DocumentError(
            "encoding",
            f"The file starts with a {encoding.label} byte-order mark but is not valid "
            f"{encoding.label} at byte {exc.start + len(encoding.bom)}.",
        ) from exc


def _guesses(data: bytes) -> list[str]:
    """Return the encodings to try, most likely first: the Japanese ones that decode the
    whole file, ordered by charset-normalizer's verdict on a sample."""
    import charset_normalizer

    decodable = []
    for codec in ("cp932", "euc_jp"):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        decodable.append(codec)
    best = charset_normalizer.from_bytes(data[:_SAMPLE]).best()
    if best is not None:
        name = _ALIASES.get(best.encoding.lower().replace("-", "_"), best.encoding)
        if name in decodable:
            decodable.remove(name)
            decodable.insert(0, name)
        elif not decodable:
            decodable.append(name)
    return decodable


def encode(text: str, encoding: Encoding) -> bytes:
    """Return ``text`` written in ``encoding``, BOM included."""
    try:
        return encoding.bom + text.encode(encoding.codec)
    except UnicodeEncodeError as exc:
        raise DocumentError(
            "unencodable",
            f"“{exc.object[exc.start : exc.end]}” cannot be written in {encoding.label}; "
            "choose a codename made of characters that encoding has.",
        ) from exc


def rebuild(
    data: bytes, text: str, replaced: str, encoding: Encoding, matches: Matches, matcher: Matcher
) -> bytes:
    """Return the replaced file (``replaced`` is ``text`` with ``matches`` replaced).

    For UTF-8 and UTF-16 writing ``replaced`` gives the original bytes around the matches;
    for Shift_JIS and EUC-JP, where two byte sequences can stand for one character, the
    original bytes between matches are copied so that nothing outside a match changes."""
    if encoding.codec in ("utf-8", "utf-16-le", "utf-16-be", "iso2022_jp"):
        return encode(replaced, encoding)
    body = data[len(encoding.bom) :]
    if text.encode(encoding.codec) == body:
        return encode(replaced, encoding)
    ends = [0, *matches.ends.tolist()]
    starts = [*matches.starts.tolist(), len(text)]
    out = [encoding.bom]
    position = 0
    targets = matcher.targets(matches).tolist()
    for index, (low, high) in enumerate(zip(ends, starts, strict=True)):
        kept = len(text[low:high].encode(encoding.codec))
        out.append(body[position : position + kept])
        position += kept
        if index < len(targets):
            out.append(encode(matcher.replacements[targets[index]], Encoding(encoding.codec)))
            position += len(text[high : matches.ends[index]].encode(encoding.codec))
    if position != len(body):
        return encode(replaced, encoding)
    return b"".join(out)


def replace_until_stable(text: str, matcher: Matcher) -> tuple[str, list[tuple[str, Matches]]]:
    """Replace the matches of ``text``; while a replacement forms a new match with the
    characters next to it (a codename "素材A" after "炭" gives "炭素材A", where 炭素 is a
    term), replace again. Return the final text and each pass's (input text, matches).

    Raise ``CodenameError`` when the text does not settle after ``MAX_PASSES``.
    """
    passes: list[tuple[str, Matches]] = []
    current = text
    for _ in range(MAX_PASSES):
        matches = matcher.find(current)
        if not len(matches):
            return current, passes
        replaced = matcher.apply(current, matches)
        passes.append((current, matches))
        if not matcher.forms_new_match(replaced, current, matches):
            return replaced, passes
        current = replaced
    raise CodenameError(
        "The codenames keep forming dictionary terms with the text around them; "
        "change the codenames that end or start like a term."
    )


class Lines:
    """Turn string offsets into line numbers (and CSV columns) of a text."""

    def __init__(self, text: str, *, csv: bool = False):
        self.text = text
        self.csv = csv
        self.delimiter = "\t" if csv and text[:4096].count("\t") > text[:4096].count(",") else ","
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        self.breaks = np.flatnonzero(codes == 10)

    def line(self, offset: int) -> int:
        return int(np.searchsorted(self.breaks, offset, side="left")) + 1

    def location(self, offset: int, part: str = "") -> Location:
        number = self.line(offset)
        if not self.csv:
            return Location(part, "line", str(number))
        start = int(self.breaks[number - 2]) + 1 if number > 1 else 0
        column, quoted = 1, False
        for char in self.text[start:offset]:
            if char == '"':
                quoted = not quoted
            elif char == self.delimiter and not quoted:
                column += 1
        return Location(part, "csv", f"{number}:{column}")


def context(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return before.rsplit("\n", 1)[-1].lstrip("\r"), after.split("\n", 1)[0].rstrip("\r")


def replacement_list(
    passes: Sequence[tuple[str, Matches]],
    matcher: Matcher,
    term_of: Callable[[int], object],
    *,
    csv: bool = False,
    part: str = "",
    limit: int | None = None,
) -> list[Replacement]:
    """Return the replacements of ``passes`` (the first ``limit``, or all) with their
    places and contexts."""
    out: list[Replacement] = []
    for text, matches in passes:
        if limit is not None and len(out) >= limit:
            break
        lines = Lines(text, csv=csv)
        rows = matches.array if limit is None else matches.array[: limit - len(out)]
        targets = matcher.targets(Matches(rows)).tolist()
        for (pattern, start, end), target in zip(rows.tolist(), targets, strict=True):
            before, after = context(text, start, end)
            out.append(
                Replacement(
                    location=lines.location(start, part),
                    found=text[start:end],
                    replacement=matcher.replacements[target],
                    term=term_of(pattern),
                    before=before,
                    after=after,
                )
            )
    return out


def count_terms(passes: Sequence[tuple[str, Matches]], matcher: Matcher) -> Counter:
    """Return how often each replacement (its index) was made, over all passes."""
    totals = np.zeros(len(matcher.replacements), dtype=np.int64)
    for _, matches in passes:
        if len(matches):
            found = np.bincount(matcher.targets(matches), minlength=len(totals))
            totals += found[: len(totals)]
    used = np.flatnonzero(totals)
    return Counter(dict(zip(used.tolist(), totals[used].tolist(), strict=True)))
