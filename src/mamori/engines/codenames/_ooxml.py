"""Word, Excel and PowerPoint (Office Open XML) packages: read safely, rewrite every XML
part, scan for what is left.

A package is a zip file; it is opened with limits on the number of entries, the total
size unpacked and the compression ratio (a zip bomb is refused before anything is
inflated), and every XML part is parsed with entities and external references off — a
part that declares a DTD is refused outright, as Office never writes one.

Text is found where Office keeps it: in paragraphs (``w:p``, ``a:p``) and string items
(``si``, ``is``) made of runs, where a name may be split across runs with different
formatting; in other elements (properties, chart caches, formulas, comments in
PowerPoint); and in the attributes that carry names (sheet names, alternative text,
authors, link targets…). Within a paragraph the runs' texts are joined, matched as one,
and each replacement is written into the run where the name starts; the other runs lose
their part of the name and keep their formatting. Parts without a match are copied byte
for byte.
"""

from __future__ import annotations

import bisect
import gc
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from posixpath import join, normpath
from typing import Any
from urllib.parse import quote, unquote

import numpy as np
from lxml import etree

from mamori.engines.codenames._errors import DocumentError
from mamori.engines.codenames._findings import text_findings
from mamori.engines.codenames._matcher import Matcher, Matches
from mamori.engines.codenames._pictures import PictureReader, is_picture
from mamori.engines.codenames._results import (
    CONTEXT,
    Finding,
    Location,
    Replacement,
    SanitizeResult,
    ScanReport,
)
from mamori.engines.codenames._text import MAX_PASSES

OOXML_FORMATS = ("docx", "xlsx", "pptx")
_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_KIND_NAMES = {"docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint"}
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large a package may be. ``max_ratio`` applies to entries that unpack to more
    than ``ratio_floor`` bytes (small parts compress well and are harmless)."""

    max_entries: int = 10_000
    max_unpacked: int = 512 * MIB
    max_ratio: int = 200
    ratio_floor: int = 2 * MIB
    max_pdf_pages: int = 5_000


# --- names ---------------------------------------------------------------------------------

_NS = {
    "w": (
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    ),
    "a": (
        "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://purl.oclc.org/ooxml/drawingml/main",
    ),
    "s": (
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
    ),
    "p": (
        "http://schemas.openxmlformats.org/presentationml/2006/main",
        "http://purl.oclc.org/ooxml/presentationml/main",
    ),
}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _tags(prefix: str, *names: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for ns in _NS[prefix] for name in names)


CONTAINERS = _tags("w", "p") | _tags("a", "p") | _tags("s", "si", "is", "rPh", "text")
SEGMENTS = (
    _tags("w", "t", "delText", "instrText", "delInstrText") | _tags("a", "t") | _tags("s", "t")
)
BREAKS = _tags(
    "w",
    "tab",
    "br",
    "cr",
    "ptab",
    "fldChar",
    "sym",
    "footnoteReference",
    "endnoteReference",
    "commentReference",
) | _tags("a", "br")
VIRTUAL = {
    **dict.fromkeys(_tags("w", "noBreakHyphen"), "-"),
    **dict.fromkeys(_tags("w", "softHyphen"), ""),
}
_PRESERVE_SPACE = _tags("w", "t", "delText", "instrText", "delInstrText") | _tags("s", "t")
_FORMULA_ELEMENTS = frozenset({"f", "definedName", "formula", "formula1", "formula2"})

# Attributes that carry names people wrote (sanitized); ``val`` only on these elements.
_NAME_ATTRIBUTES = frozenset(
    {
        "name",
        "descr",
        "title",
        "tooltip",
        "anchor",
        "author",
        "initials",
        "userId",
        "displayName",
        "display",
        "location",
        "sheet",
        "v",
        "n",
        "caption",
        "dataCaption",
        "prompt",
        "promptTitle",
        "error",
        "errorTitle",
        "comment",
        "alt",
        "instr",
        "Target",
    }
)
_VAL_ELEMENTS = frozenset({"name", "alias", "tag", "docVar"})
# Attributes never scanned: identifiers, types and URIs of the package's structure.
_STRUCTURAL_ATTRIBUTES = frozenset(
    {
        "Id",
        "id",
        "Type",
        "TargetMode",
        "ContentType",
        "PartName",
        "Extension",
        "Ignorable",
        "ProcessContent",
        "MustUnderstand",
        "PreserveElements",
        "PreserveAttributes",
        "Requires",
        "uri",
        "space",
        "embed",
        "link",
        "r",
        "ref",
        "sqref",
        "spid",
    }
)
_TARGET_XPATH = etree.XPath("//@Target")


def _listed(names: Any, expression: str = "local-name()") -> str:
    """An XPath test that ``expression`` is one of ``names`` (one string search instead
    of a comparison per name: ten times faster on a sheet of a million attributes)."""
    return f"contains('|{'|'.join(sorted(names))}|', concat('|', {expression}, '|'))"


# Large parts hold hundreds of thousands of nodes that cannot hold a name: blank text,
# the runs' own text (read with their paragraph), structural attributes and, when no
# pattern is made only of such characters, numbers. XPath drops them in C; the Python
# loops below still check every node they get, so the filters only save time.
_NUMBER_CHARS = "0123456789.+-"
_XML_BLANKS = " \t\r\n"  # what normalize-space() drops
_NUMBER_FREE = f"normalize-space(translate(., '{_NUMBER_CHARS}', ''))"
_XPATH_NS = {f"{prefix}{n}": uri for prefix, uris in _NS.items() for n, uri in enumerate(uris)}
_SEGMENT_TEST = " or ".join(
    f"self::{prefix}:{tag.rsplit('}', 1)[1]}"
    for tag in sorted(SEGMENTS)
    for prefix, uri in _XPATH_NS.items()
    if tag.startswith(f"{{{uri}}}")
)
_OWN_TEXT = f"parent::*[{_SEGMENT_TEST}] and not(preceding-sibling::node()[not(self::text())])"


def _xpaths(expression: str) -> tuple[etree.XPath, etree.XPath]:
    """The expression returning nodes, and returning plain strings (a cheap first look)."""
    return (
        etree.XPath(expression, namespaces=_XPATH_NS),
        etree.XPath(expression, namespaces=_XPATH_NS, smart_strings=False),
    )


def _text_xpath(value_test: str) -> tuple[etree.XPath, etree.XPath]:
    return _xpaths(f"descendant::text()[{value_test}][not({_OWN_TEXT})]")


_TEXT_XPATHS = {False: _text_xpath("normalize-space()"), True: _text_xpath(_NUMBER_FREE)}
_NAMES_XPATH = etree.XPath(
    f"descendant-or-self::*/@*[{_listed(_NAME_ATTRIBUTES - {'Target'})} or (local-name()='val' and "
    f"{_listed(_VAL_ELEMENTS, 'local-name(..)')})]"
)
_NAMES_IN_SOURCE = re.compile(
    rb"[\s:](?:"
    + b"|".join(name.encode() for name in sorted((_NAME_ATTRIBUTES - {"Target"}) | {"val"}))
    + rb")\s*="
)


def _scan_attributes_xpath(value_test: str) -> tuple[etree.XPath, etree.XPath]:
    nodes, _plain = _xpaths(
        f"descendant-or-self::*/@*[not({_listed(_STRUCTURAL_ATTRIBUTES | {'Target'})})"
        f" and not(starts-with(local-name(), 'rsid'))][{value_test}]"
    )
    # Every value, as plain strings, is a quicker first look than the filtered ones.
    return nodes, _ALL_VALUES


_ALL_VALUES = etree.XPath("descendant-or-self::*/@*", smart_strings=False)


_SCAN_ATTRIBUTES_XPATHS = {
    False: _scan_attributes_xpath("normalize-space()"),
    True: _scan_attributes_xpath(_NUMBER_FREE),
}


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a part is read: a large sheet keeps
    hundreds of thousands of element proxies and tuples alive, and the collector would
    walk them over and over (half of the time spent on a 200,000-row sheet). It
    resumes at the end, if it ran before, and collects whatever cycles were left."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# --- the package ---------------------------------------------------------------------------


class Package:
    """A zip package opened with limits; ``read`` inflates one entry at a time."""

    def __init__(self, data: bytes, limits: Limits):
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise DocumentError(
                "corrupt",
                "The file is damaged or incomplete: it cannot be opened as an Office "
                "document package.",
            ) from exc
        if len(infos) > limits.max_entries:
            raise DocumentError(
                "too_many_entries",
                f"The package has {len(infos):,} entries, more than the limit of "
                f"{limits.max_entries:,}; it was not opened (it may be a zip bomb).",
            )
        total = sum(info.file_size for info in infos)
        if total > limits.max_unpacked:
            raise DocumentError(
                "bomb",
                f"The package would unpack to {total // MIB:,} MB, more than the limit of "
                f"{limits.max_unpacked // MIB:,} MB; it was not opened (it may be a zip bomb).",
            )
        names: set[str] = set()
        for info in infos:
            if info.flag_bits & 0x1:
                raise DocumentError(
                    "encrypted",
                    "The package is encrypted; remove the password and upload it again.",
                    part=info.filename,
                )
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
                1, info.compress_size
            ):
                ratio = info.file_size // max(1, info.compress_size)
                raise DocumentError(
                    "bomb",
                    f"The entry {info.filename} would inflate {ratio:,} times (limit "
                    f"{limits.max_ratio}); it was not opened (it may be a zip bomb).",
                    part=info.filename,
                )
            if info.filename in names:
                raise DocumentError(
                    "corrupt",
                    f"The package holds {info.filename} twice; it is damaged.",
                    part=info.filename,
                )
            names.add(info.filename)
        self.infos = infos
        self.names = names
        self._cache: dict[str, bytes] = {}

    def read(self, name: str) -> bytes:
        """Return an entry's bytes; raise ``DocumentError`` when it is damaged."""
        if name in self._cache:
            return self._cache[name]
        info = self.zip.getinfo(name)
        try:
            with self.zip.open(info) as stream:
                data = stream.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise DocumentError(
                "corrupt",
                f"The file is damaged or incomplete: the part {name} cannot be read.",
                part=name,
            ) from exc
        if len(data) > info.file_size:
            raise DocumentError(
                "bomb",
                f"The part {name} is larger than the package says; it was not opened.",
                part=name,
            )
        self._cache[name] = data
        return data

    def write(self, replaced: dict[str, bytes]) -> bytes:
        """Return a new package with ``replaced`` parts; every other entry is copied as it
        is, in the same order, with the same names, dates and compression."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            out.comment = self.zip.comment
            for info in self.infos:
                data = replaced.get(info.filename)
                if data is None:
                    data = self.read(info.filename)
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                copy.create_system = info.create_system
                copy.comment = info.comment
                copy.extra = info.extra
                out.writestr(copy, data)
        return buffer.getvalue()


def open_package(data: bytes, kind: str, limits: Limits) -> Package:
    package = Package(data, limits)
    main = _MAIN_PARTS[kind]
    if main not in package.names:
        raise DocumentError(
            "corrupt",
            f"The file is not a {_KIND_NAMES[kind]} document: it has no {main}.",
        )
    return package


def sniff_package(data: bytes) -> str:
    """Return the Office format of a zip file named without a known extension."""
    package = Package(data, Limits())
    for kind, main in _MAIN_PARTS.items():
        if main in package.names:
            return kind
    raise DocumentError(
        "unsupported", "The file is a zip archive, not a Word, Excel or PowerPoint document."
    )


def is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml")) and name != "[Content_Types].xml"


_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_blank_text": False,
    "collect_ids": False,
}
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_part(name: str, data: bytes) -> etree._Element | None:
    """Parse an XML part safely. Return ``None`` for a legacy VML drawing that is not
    well-formed (Excel writes such); raise ``DocumentError`` for a DTD or bad XML."""
    if _DTD.search(data):
        raise DocumentError(
            "xml_entities",
            f"The part {name} declares a DTD or entities, which Office never writes; the "
            "file was refused (it could be an entity-expansion attack).",
            part=name,
        )
    try:
        return etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        if name.endswith(".vml"):
            return None
        raise DocumentError(
            "corrupt",
            f"The file is damaged: the part {name} is not well-formed XML ({exc}).",
            part=name,
        ) from exc


def serialize_part(original: bytes, root: etree._Element) -> bytes:
    """Return the part written back with its original XML declaration."""
    declaration = re.match(rb"<\?xml[^>]*\?>\s*", original)
    encoding = re.search(
        rb"encoding=[\"']([A-Za-z0-9_.-]+)", declaration.group(0) if declaration else b""
    )
    codec = encoding.group(1).decode() if encoding else "UTF-8"
    if codec.upper() not in {"UTF-8", "UTF8"}:
        return etree.tostring(root.getroottree(), xml_declaration=True, encoding=codec)
    body = etree.tostring(root.getroottree(), encoding="UTF-8", xml_declaration=False)
    return (declaration.group(0) if declaration else b"") + body


# --- text units -------------------------------------------------------------------------------


@dataclass
class _Item:
    element: Any
    kind: str  # text, virtual, break
    start: int
    end: int
    text: str


@dataclass
class Unit:
    """A piece of text matched as one: a paragraph (``container``), an element's text
    (``text`` / ``tail``) or an attribute value (``attribute``)."""

    kind: str
    element: Any
    text: str
    index: int = 0  # paragraph number within the part, for containers
    attribute: str = ""
    items: list[_Item] = field(default_factory=list)
    formula: bool = False


@_without_gc()
def collect_units(
    root: etree._Element,
    *,
    scanning: bool = False,
    matchers: Sequence[Matcher] = (),
    source: bytes | None = None,
) -> list[Unit]:
    """Return the part's text: paragraphs with their runs, other elements' text, and
    attribute values (the name-bearing ones; every non-structural one when scanning).

    With ``matchers``, paragraphs, element texts and (when scanning) attributes that
    hold no match of one of them are left out: no name spans two units (they are joined
    with line breaks, which no pattern holds), so the matches stay the same. Numbers are
    then not even looked at when no pattern is made only of number characters, nor the
    name-bearing attributes when ``source`` (the part's bytes) names none of them."""
    units: list[Unit] = []
    # One walk over paragraphs and their pieces, in document order: a paragraph comes
    # before its pieces, so each piece's nearest paragraph is known when it is reached.
    containers: dict[Any, list[tuple[Any, str, str]]] = {}
    found: list[tuple[int, Any, list[tuple[Any, str, str]]]] = []
    for element in root.iter(*CONTAINERS, *SEGMENTS, *BREAKS, *VIRTUAL):
        tag = element.tag
        if tag in CONTAINERS:
            pieces: list[tuple[Any, str, str]] = []
            containers[element] = pieces
            found.append((len(found) + 1, element, pieces))
            continue
        parent = element.getparent()
        while parent is not None and parent not in containers:
            parent = parent.getparent()
        if parent is None:
            continue
        if tag in SEGMENTS:
            containers[parent].append((element, "text", element.text or ""))
        elif tag in VIRTUAL:
            containers[parent].append((element, "virtual", VIRTUAL[tag]))
        else:
            containers[parent].append((element, "break", "\n"))
    texts = ["".join([piece[2] for piece in pieces]) for _, _, pieces in found]
    chosen = _with_matches(texts, matchers) if matchers else range(len(found))
    for position in chosen:
        number, element, pieces = found[position]
        items, start = [], 0
        for piece, kind, text in pieces:
            items.append(_Item(piece, kind, start, start + len(text), text))
            start += len(text)
        units.append(Unit("container", element, texts[position], index=number, items=items))
    skip_numbers = bool(matchers) and all(
        m.needs_other_than(_NUMBER_CHARS + _XML_BLANKS) for m in matchers
    )
    for node in _nodes_with_matches(_TEXT_XPATHS[skip_numbers], root, matchers):
        parent = node.getparent()
        if parent is None or not node.strip():
            continue
        if node.is_text and (parent.tag in SEGMENTS):
            continue
        if not isinstance(parent.tag, str):
            continue  # comments and processing instructions
        units.append(
            Unit(
                "tail" if node.is_tail else "text",
                parent,
                str(node),
                formula=not node.is_tail and _local(parent.tag) in _FORMULA_ELEMENTS,
            )
        )
    # Attribute names are ASCII: absent from the bytes of a part in an ASCII-compatible
    # encoding (not UTF-16 or UTF-32, which have NUL bytes in "<?") means absent.
    readable = source is not None and b"\x00" not in source[:4]
    if scanning:
        attributes = _nodes_with_matches(_SCAN_ATTRIBUTES_XPATHS[skip_numbers], root, matchers)
    elif not readable or _NAMES_IN_SOURCE.search(source):
        attributes = _NAMES_XPATH(root)
    else:
        attributes = []
    for value in attributes:
        name = value.attrname
        local = _local(name) if name.startswith("{") else name
        if scanning and (local in _STRUCTURAL_ATTRIBUTES or local.startswith("rsid")):
            continue
        if local == "Target":
            continue  # link targets are added below, decoded when percent-encoded
        if not value.strip():
            continue
        units.append(Unit("attribute", value.getparent(), str(value), attribute=name))
    targets = _TARGET_XPATH(root) if not readable or b"Target" in source else []
    for value in targets:
        text = str(value)
        if not scanning and value.getparent().get("TargetMode") != "External":
            continue  # a part of the package: renaming the link would break it
        if "%" in text:
            # A percent-encoded address is matched decoded and encoded again when written.
            units.append(Unit("encoded", value.getparent(), unquote(text), attribute="Target"))
        else:
            units.append(Unit("attribute", value.getparent(), text, attribute="Target"))
    return units


def _nodes_with_matches(
    xpaths: tuple[etree.XPath, etree.XPath], root: Any, matchers: Sequence[Matcher]
) -> Any:
    """Return the nodes the first XPath selects whose text holds a match. The second
    one gives their texts (or more) as plain strings, each distinct text searched
    once: a sheet's hundred thousand cell values need no Python object for each node
    unless one of them holds a match."""
    nodes, plain = xpaths
    if not matchers:
        return nodes(root)
    values = list(set(plain(root)))
    wanted = {values[index] for index in _with_matches(values, matchers)}
    return [node for node in nodes(root) if node in wanted] if wanted else []


def _with_matches(texts: Sequence[str], matchers: Sequence[Matcher]) -> list[int]:
    """Return the indexes of the texts that hold a match. They are searched joined by
    line breaks, which no pattern holds: each match lies within one text and is the
    match the text alone has."""
    if not texts:
        return []
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    joined = "\n".join(texts)
    hits = np.concatenate([matcher.find(joined).starts for matcher in matchers])
    return np.unique(np.searchsorted(starts, hits, side="right") - 1).tolist()


def _joined(units: Sequence[Unit]) -> tuple[str, list[int]]:
    starts, position = [], 0
    for unit in units:
        starts.append(position)
        position += len(unit.text) + 1
    return "\n".join(unit.text for unit in units), starts


def _split_matches(
    matches: Matches, starts: list[int], units: Sequence[Unit]
) -> Iterator[tuple[int, list[tuple[int, int, int]]]]:
    """Yield (unit index, [(pattern, start, end)] in the unit's own offsets)."""
    grouped: dict[int, list[tuple[int, int, int]]] = {}
    for pattern, start, end in matches.tuples():
        index = bisect.bisect_right(starts, start) - 1
        base = starts[index]
        grouped.setdefault(index, []).append((pattern, start - base, end - base))
    yield from grouped.items()


# Formula text where names may be replaced: string literals, sheet names (quoted, or
# before "!"), table columns ([列]) and defined names; cell references and function
# names are left alone.
_FORMULA_TOKENS = re.compile(
    r"(?P<string>\"(?:[^\"]|\"\")*\")"
    r"|(?P<quoted>'(?:[^']|'')*'!?)"
    r"|(?P<column>\[[^\]]*\])"
    r"|(?P<sheet>[^\s\"'!(),;:=+\-*/&<>^%{}\[\]]+!)"
    r"|(?P<name>[^\s\"'!(),;:=+\-*/&<>^%{}\[\]]+)(?P<call>\s*\()?"
)
_CELL_REFERENCE = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+$|^[Rr]\d*[Cc]\d*$|^\d+(\.\d+)?$")


def _formula_spans(text: str) -> list[tuple[int, int]]:
    """Return the parts of a formula where a name may be replaced."""
    spans = []
    for token in _FORMULA_TOKENS.finditer(text):
        if token.group("name") is not None:
            name = token.group("name")
            if (
                token.group("call")
                or _CELL_REFERENCE.match(name)
                or name.upper()
                in {
                    "TRUE",
                    "FALSE",
                }
            ):
                continue
            spans.append((token.start("name"), token.end("name")))
        else:
            spans.append((token.start(), token.end()))
    return spans


def _in_spans(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(low <= start and end <= high for low, high in spans)


# --- rewriting ----------------------------------------------------------------------------------


@dataclass
class _Context:
    package: Package
    kind: str
    matcher: Matcher
    term_of: Callable[[int], Any]
    sheet_names: dict[str, str] = field(default_factory=dict)
    cells: dict[int, str] | None = None
    prefix: str = ""  # "ppt/embeddings/x.xlsx › " inside an embedded package
    depth: int = 0

    def shared_cells(self) -> dict[int, str]:
        """Return the first cell (Sheet!A1) that shows each shared string, by index."""
        if self.cells is None:
            self.cells = {}
            for part, sheet in self.sheet_names.items():
                if part not in self.package.names:
                    continue
                root = parse_part(part, self.package.read(part))
                if root is None:
                    continue
                for cell in root.iter(*_CELL_TAGS):
                    if cell.get("t") != "s":
                        continue
                    value = next(cell.iter(*_VALUE_TAGS), None)
                    if value is not None and (value.text or "").strip().isdigit():
                        self.cells.setdefault(int(value.text), f"{sheet}!{cell.get('r', '')}")
        return self.cells


_CELL_TAGS = tuple(_tags("s", "c"))
_VALUE_TAGS = tuple(_tags("s", "v"))

_EMBEDDED = re.compile(r"/embeddings/[^/]+\.(docx|docm|xlsx|xlsm|pptx|pptm)$", re.IGNORECASE)
_MAX_DEPTH = 2


def embedded_kind(name: str) -> str | None:
    """Return the Office format of an embedded package part (a chart's workbook…)."""
    found = _EMBEDDED.search(name)
    return found.group(1).lower()[:3] + "x" if found else None


@_without_gc()
def rewrite_package(
    data: bytes,
    kind: str,
    matcher: Matcher,
    term_of: Callable[[int], Any],
    terms: Sequence[Any],
    *,
    limits: Limits,
    prefix: str = "",
    depth: int = 0,
) -> SanitizeResult:
    """Replace the matches in every XML part of an Office package, and in the Office
    packages embedded in it (a chart's data workbook); see the module doc."""
    package = open_package(data, kind, limits)
    context = _Context(package, kind, matcher, term_of, prefix=prefix, depth=depth)
    if kind == "xlsx":
        context.sheet_names = sheet_names(package)
    replaced: dict[str, bytes] = {}
    replacements: list[Replacement] = []
    counts: dict[int, int] = {}
    passes = 1
    notes: list[str] = []
    for info in package.infos:
        name = info.filename
        nested = embedded_kind(name)
        if nested and depth < _MAX_DEPTH:
            try:
                inner = rewrite_package(
                    package.read(name),
                    nested,
                    matcher,
                    term_of,
                    terms,
                    limits=limits,
                    prefix=f"{prefix}{name} › ",
                    depth=depth + 1,
                )
            except DocumentError as exc:
                notes.append(f"{prefix}{name}: {exc}")
                continue
            if inner.replacements:
                replaced[name] = inner.data
                replacements.extend(inner.replacements)
                for term, count in inner.counts:
                    index = terms.index(term)
                    counts[index] = counts.get(index, 0) + count
            notes.extend(inner.notes)
            continue
        if not is_xml_part(name):
            continue
        original = package.read(name)
        current = original
        for attempt in range(1, MAX_PASSES + 1):
            outcome = _rewrite_part(name, current, context)
            if outcome is None:
                break
            current, found, targets, again = outcome
            replacements.extend(found)
            for target in targets:
                counts[target] = counts.get(target, 0) + 1
            passes = max(passes, attempt)
            if not again:
                break
        else:
            notes.append(f"{prefix}{name}: codenames kept forming terms with the text around them")
        if current is not original:
            replaced[name] = current
    output = package.write(replaced) if replaced else data
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    return SanitizeResult(
        data=output,
        format=kind,
        counts=[(terms[target], count) for target, count in ordered],
        replacements=replacements,
        passes=passes,
        notes=notes,
    )


def _rewrite_part(
    name: str, data: bytes, context: _Context
) -> tuple[bytes, list[Replacement], list[int], bool] | None:
    root = parse_part(name, data)
    if root is None:
        return None
    units = collect_units(root, matchers=(context.matcher,), source=data)
    if not units:
        return None
    matcher = context.matcher
    joined, starts = _joined(units)
    matches = matcher.find(joined)
    if not len(matches):
        return None
    replacements: list[Replacement] = []
    targets_used: list[int] = []
    kept: list[tuple[int, int, int]] = []
    for index, found in _split_matches(matches, starts, units):
        unit = units[index]
        if unit.formula:
            spans = _formula_spans(unit.text)
            found = [m for m in found if _in_spans(m[1], m[2], spans)]
            if not found:
                continue
        edits = []
        for pattern, start, end in found:
            target = matcher.target_of(pattern)
            edits.append((start, end, matcher.replacements[target]))
            targets_used.append(target)
            before = unit.text[max(0, start - CONTEXT) : start].rsplit("\n", 1)[-1]
            after = unit.text[end : end + CONTEXT].split("\n", 1)[0]
            replacements.append(
                Replacement(
                    location=_location(context.prefix + name, unit, context),
                    found=unit.text[start:end],
                    replacement=matcher.replacements[target],
                    term=context.term_of(pattern),
                    before=before,
                    after=after,
                )
            )
            kept.append((pattern, start + starts[index], end + starts[index]))
        _apply(unit, edits)
    if not kept:
        return None
    kept_matches = Matches(np.array(kept, dtype=np.int64).reshape(-1, 3))
    again = matcher.forms_new_match(matcher.apply(joined, kept_matches), joined, kept_matches)
    return serialize_part(data, root), replacements, targets_used, again


def _apply(unit: Unit, edits: list[tuple[int, int, str]]) -> None:
    """Write ``edits`` (start, end, replacement in the unit's text) into the document."""
    if unit.kind != "container":
        text = _edited(unit.text, edits)
        if unit.kind == "text":
            unit.element.text = text
        elif unit.kind == "tail":
            unit.element.tail = text
        elif unit.kind == "encoded":
            unit.element.set(unit.attribute, quote(text, safe=_URL_SAFE))
        else:
            unit.element.set(unit.attribute, text)
        return
    starts = [item.start for item in unit.items]
    per_item: dict[int, list[tuple[int, int, str]]] = {}
    removed: set[int] = set()
    for start, end, replacement in edits:
        placed = False
        first = max(0, bisect.bisect_right(starts, start) - 1)
        for index in range(first, len(unit.items)):
            item = unit.items[index]
            if item.start >= end and not (item.start == item.end == start):
                break
            overlaps = item.start < end and item.end > start
            inside_empty = item.start == item.end and start < item.start < end
            if not (overlaps or inside_empty):
                continue
            if item.kind == "text":
                low, high = max(start, item.start) - item.start, min(end, item.end) - item.start
                per_item.setdefault(index, []).append((low, high, "" if placed else replacement))
                placed = True
            elif item.kind == "virtual":
                removed.add(index)
    for index, item_edits in per_item.items():
        item = unit.items[index]
        text = _edited(item.text, item_edits)
        item.element.text = text
        if item.element.tag in _PRESERVE_SPACE and text != text.strip():
            item.element.set(_XML_SPACE, "preserve")
    for index in removed:
        element = unit.items[index].element
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, position = [], 0
    for start, end, replacement in sorted(edits):
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)


_URL_SAFE = ":/?#[]@!$&'()*+,;=~-._"


def _location(part: str, unit: Unit, context: _Context) -> Location:
    element = unit.element
    local = _local(element.tag)
    if part.endswith(".rels") and unit.attribute == "Target":
        return Location(part, "link", "")
    if unit.kind == "attribute":
        attribute = _local(unit.attribute) if unit.attribute.startswith("{") else unit.attribute
        if local == "sheet" and attribute == "name":
            return Location(part, "sheet", unit.text)
        if local == "property" and attribute == "name":
            return Location(part, "property", unit.text)
        return Location(part, "attribute", f"{local}/@{attribute}")
    cell = _ancestor(element, "c")
    if cell is not None and cell.get("r"):
        sheet = context.sheet_names.get(part, "")
        return Location(part, "cell", f"{sheet}!{cell.get('r')}" if sheet else cell.get("r"))
    comment = _ancestor(element, "comment")
    if comment is not None and comment.get("ref"):
        return Location(part, "cell", comment.get("ref"))
    if unit.kind == "container":
        if local == "si":
            index = _shared_index(element)
            cell = context.shared_cells().get(index - 1)
            return Location(part, "cell", cell) if cell else Location(part, "string", str(index))
        return Location(part, "paragraph", str(unit.index))
    if part.startswith("docProps/"):
        if part.endswith("custom.xml"):
            owner = _ancestor(element, "property")
            if owner is not None:
                return Location(part, "property", owner.get("name", ""))
        return Location(part, "property", local)
    return Location(part, "element", local)


def _ancestor(element: Any, local: str) -> Any:
    node = element
    while node is not None:
        if isinstance(node.tag, str) and _local(node.tag) == local:
            return node
        node = node.getparent()
    return None


def _shared_index(element: Any) -> int:
    parent = element.getparent()
    return parent.index(element) + 1 if parent is not None else 1


def sheet_names(package: Package) -> dict[str, str]:
    """Return each worksheet part's sheet name (from the workbook and its links)."""
    try:
        workbook = parse_part("xl/workbook.xml", package.read("xl/workbook.xml"))
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = (
            parse_part(rels_name, package.read(rels_name)) if rels_name in package.names else None
        )
    except DocumentError:
        return {}
    if workbook is None or rels is None:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        targets[rel.get("Id")] = part
    names = {}
    for sheet in workbook.iter(*_tags("s", "sheet")):
        rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        if rel_id in targets:
            names[targets[rel_id]] = sheet.get("name", "")
    return names


# --- scanning -------------------------------------------------------------------------------------


@_without_gc()
def scan_package(
    data: bytes,
    kind: str,
    dictionary: Any,
    markings: Any,
    *,
    limits: Limits,
    prefix: str = "",
    depth: int = 0,
) -> ScanReport:
    """Return the residual findings of an Office package and of the Office packages
    embedded in it (see ``scan``)."""

    package = open_package(data, kind, limits)
    context = _Context(
        package,
        kind,
        dictionary.sanitizer,
        dictionary.term_of_pattern,
        prefix=prefix,
        depth=depth,
    )
    if kind == "xlsx":
        context.sheet_names = sheet_names(package)
    findings: list[Finding] = []
    pictures = PictureReader(dictionary, markings)
    for info in package.infos:
        name = info.filename
        where = prefix + name
        if name == "[Content_Types].xml" or name.endswith("/"):
            continue
        nested = embedded_kind(name)
        if nested and depth < _MAX_DEPTH:
            try:
                inner = scan_package(
                    package.read(name),
                    nested,
                    dictionary,
                    markings,
                    limits=limits,
                    prefix=f"{where} › ",
                    depth=depth + 1,
                )
            except DocumentError:
                findings.extend(_binary_findings(name, where))
            else:
                findings.extend(inner.findings)
            continue
        if not is_xml_part(name):
            findings.extend(_binary_findings(name, where))
            if "/media/" in name.lower() and is_picture(name):
                findings.extend(
                    pictures.file_findings(package.read(name), Location(where, "ocr", ""))
                )
            continue
        raw = package.read(name)
        root = parse_part(name, raw)
        if root is None:
            findings.append(Finding("unreadable", Location(where, "file", name), name))
            continue
        units = collect_units(
            root,
            scanning=True,
            matchers=(dictionary.sanitizer, markings.matcher),
            source=raw,
        )
        joined, starts = _joined(units)
        for finding in text_findings(joined, dictionary, markings):
            offset = int(finding.location.ref)
            index = bisect.bisect_right(starts, offset) - 1
            findings.append(
                Finding(
                    finding.kind,
                    _location(where, units[index], context),
                    finding.text,
                    finding.detail,
                    finding.term,
                )
            )
        findings.extend(_structure_findings(name, root, context))
    return ScanReport(format=kind, findings=tuple(findings))


def _binary_findings(name: str, where: str) -> list[Finding]:
    lowered = name.lower()
    base = name.rsplit("/", 1)[-1]
    if lowered.endswith("vbaproject.bin"):
        return [Finding("macro", Location(where, "file", base), base)]
    if "/embeddings/" in lowered or "/activex/" in lowered:
        return [Finding("embedded", Location(where, "file", base), base)]
    if "/media/" in lowered or lowered.startswith("docprops/thumbnail"):
        return [Finding("image", Location(where, "file", base), base)]
    return []


def _texts(element: Any) -> str:
    return "".join(element.itertext())


def _structure_findings(name: str, root: Any, context: _Context) -> list[Finding]:
    findings: list[Finding] = []
    local_root = _local(root.tag)
    if name == "docProps/core.xml" or name == "docProps/app.xml":
        for element in root:
            local = _local(element.tag)
            if (
                local in {"creator", "lastModifiedBy", "Company", "Manager"}
                and (element.text or "").strip()
            ):
                findings.append(
                    Finding("property", Location(name, "property", local), element.text.strip())
                )
    if name == "docProps/custom.xml":
        labels: dict[str, str] = {}
        for prop in root:
            prop_name = prop.get("name", "")
            found = re.match(r"MSIP_Label_([0-9A-Fa-f-]+)_(\w+)$", prop_name)
            if found:
                key = found.group(1)
                value = _texts(prop).strip()
                if found.group(2) == "Name" or key not in labels:
                    labels[key] = value if found.group(2) == "Name" else labels.get(key, key)
        for key, label in labels.items():
            findings.append(
                Finding("label", Location(name, "property", f"MSIP_Label_{key}"), label or key)
            )
    if name.startswith("docMetadata/") and local_root == "labelList":
        for label in root:
            findings.append(
                Finding("label", Location(name, "element", "label"), label.get("id", ""))
            )
    if context.kind == "docx":
        findings.extend(_word_findings(name, root))
    elif context.kind == "xlsx":
        findings.extend(_excel_findings(name, root, context))
    else:
        findings.extend(_powerpoint_findings(name, root))
    return findings


def _paragraph_number(element: Any, numbers: dict[Any, int]) -> str:
    node = element
    while node is not None:
        if node in numbers:
            return str(numbers[node])
        node = node.getparent()
    return ""


def _word_findings(name: str, root: Any) -> list[Finding]:
    findings: list[Finding] = []
    if re.match(r"word/comments\.xml$", name):
        for number, comment in enumerate(root.iter(*_tags("w", "comment")), start=1):
            author = next((v for k, v in comment.attrib.items() if _local(k) == "author"), "")
            findings.append(
                Finding(
                    "comment",
                    Location(name, "element", f"comment {number}"),
                    _texts(comment).strip()[:80],
                    author,
                )
            )
    revisions = list(root.iter(*_tags("w", "ins", "del", "moveFrom", "moveTo")))
    hidden = [
        element
        for element in root.iter(*_tags("w", "vanish"))
        if _local(element.getparent().tag) == "rPr"
        and _local(element.getparent().getparent().tag) == "r"
    ]
    if not revisions and not hidden:
        return findings
    numbers = {p: n for n, p in enumerate(root.iter(*_tags("w", "p")), start=1)}
    if revisions:
        authors = sorted(
            {v for r in revisions for k, v in r.attrib.items() if _local(k) == "author"}
        )
        first = _paragraph_number(revisions[0], numbers)
        findings.append(
            Finding(
                "revision",
                Location(name, "paragraph", first),
                f"{len(revisions)}",
                ", ".join(authors),
            )
        )
    if hidden:
        findings.append(
            Finding(
                "hidden_text",
                Location(name, "paragraph", _paragraph_number(hidden[0], numbers)),
                _texts(hidden[0].getparent().getparent()).strip()[:80],
                f"{len(hidden)}",
            )
        )
    return findings


def _excel_findings(name: str, root: Any, context: _Context) -> list[Finding]:
    findings: list[Finding] = []
    local_root = _local(root.tag)
    if name == "xl/workbook.xml":
        for sheet in root.iter(*_tags("s", "sheet")):
            if sheet.get("state") in {"hidden", "veryHidden"}:
                findings.append(
                    Finding(
                        "hidden_sheet",
                        Location(name, "sheet", sheet.get("name", "")),
                        sheet.get("name", ""),
                        sheet.get("state", ""),
                    )
                )
    if local_root == "worksheet":
        sheet = context.sheet_names.get(name, "")
        rows = [
            row.get("r", "")
            for row in root.iter(*_tags("s", "row"))
            if row.get("hidden") in {"1", "true"}
        ]
        if rows:
            findings.append(
                Finding(
                    "hidden_rows",
                    Location(name, "sheet", sheet or name),
                    ", ".join(rows[:20]) + ("…" if len(rows) > 20 else ""),
                    f"{len(rows)}",
                )
            )
        columns = [
            _column_range(col.get("min", ""), col.get("max", ""))
            for col in root.iter(*_tags("s", "col"))
            if col.get("hidden") in {"1", "true"}
        ]
        if columns:
            findings.append(
                Finding(
                    "hidden_columns",
                    Location(name, "sheet", sheet or name),
                    ", ".join(columns),
                    f"{len(columns)}",
                )
            )
    if local_root == "comments":
        authors = [_texts(a) for a in root.iter(*_tags("s", "author"))]
        for comment in root.iter(*_tags("s", "comment")):
            index = comment.get("authorId")
            author = (
                authors[int(index)]
                if index and index.isdigit() and int(index) < len(authors)
                else ""
            )
            findings.append(
                Finding(
                    "comment",
                    Location(name, "cell", comment.get("ref", "")),
                    _texts(comment).strip()[:80],
                    author,
                )
            )
    if local_root == "ThreadedComments":
        for comment in root:
            findings.append(
                Finding(
                    "comment",
                    Location(name, "cell", comment.get("ref", "")),
                    _texts(comment).strip()[:80],
                )
            )
    return findings


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_range(low: str, high: str) -> str:
    if not (low.isdigit() and high.isdigit()):
        return f"{low}-{high}"
    first, last = _column_letters(int(low)), _column_letters(int(high))
    return first if first == last else f"{first}:{last}"


def _powerpoint_findings(name: str, root: Any) -> list[Finding]:
    findings: list[Finding] = []
    local_root = _local(root.tag)
    if local_root == "sld" and root.get("show") in {"0", "false"}:
        number = re.search(r"(\d+)\.xml$", name)
        findings.append(
            Finding("hidden_slide", Location(name, "slide", number.group(1) if number else ""))
        )
    if local_root in {"cmLst"}:
        for number, comment in enumerate(root, start=1):
            findings.append(
                Finding(
                    "comment",
                    Location(name, "element", f"comment {number}"),
                    _texts(comment).strip()[:80],
                )
            )
    return findings
