"""Read Word (.docx), PDF (text layer) and text / Markdown into lines.

Files are parsed defensively: a .docx is a zip whose parts are size-checked before they are
unpacked (zip bombs) and whose XML is parsed without entities, DTDs or network; a PDF is
read by pdfminer.six with a page limit. Word's automatic numbering (numbering.xml) is
computed, so that an article numbered by Word reads ``第1条`` like a typed one.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Any

from lxml import etree

from mamori.engines.clauses._errors import (
    CorruptDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    UnsupportedFormat,
)
from mamori.engines.clauses._model import Document, Line
from mamori.engines.clauses._text import TERMINATORS, WORD_NUMBER, clean, join_lines

# Reads the text in a picture: returns an object with ``lines``, each with ``text``,
# ``box`` (left, top, right, bottom in pixels) and ``confidence`` (0–100).
Ocr = Callable[[Any], Any]


MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all the XML parts read from one .docx together
MAX_RATIO = 200  # unpacked / packed size of one part: beyond this it is a zip bomb
MAX_PDF_PAGES = 500

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
UNSUPPORTED_SUFFIXES = {
    ".doc": "Word 97-2003 (.doc)",
    ".rtf": "RTF",
    ".odt": "OpenDocument",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".pptx": "PowerPoint",
    ".png": "an image",
    ".jpg": "an image",
    ".jpeg": "an image",
    ".tif": "an image",
    ".tiff": "an image",
}


def read_document(data: bytes, name: str = "", *, ocr: Ocr | None = None) -> Document:
    """Return the lines of a Word, PDF or text document given as bytes.

    The format comes from the content (zip, %PDF, an OLE container) before the name.
    Raise ``EncryptedDocument`` for a password-protected file, ``NoTextLayer`` for a PDF
    without text, ``CorruptDocument`` for a damaged file, ``UnsupportedFormat`` for any
    other format, ``DocumentTooLarge`` beyond the size limits. ``ocr`` reads the text in
    a picture (``mamori.engines.codenames.ocr.read``): PDF pages without text are read
    with it; without it such a PDF has no text.
    """
    suffix = PurePath(name).suffix.lower()
    if data.startswith(OLE_MAGIC):
        if _ole_is_encrypted(data):
            raise EncryptedDocument(f"{name or 'the file'} is protected by a password", name=name)
        raise UnsupportedFormat(
            f"{name or 'the file'} is a Word 97-2003 (.doc) or other old Office file; "
            "save it as .docx",
            name=name,
        )
    if data.startswith(b"PK"):
        return read_docx(data, name)
    if data.lstrip()[:5] == b"%PDF-" or suffix == ".pdf":
        return read_pdf(data, name, ocr=ocr)
    if suffix == ".docx":
        raise CorruptDocument(f"{name} is not a readable Word file (damaged?)", name=name)
    if suffix in UNSUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            f"{name} is {UNSUPPORTED_SUFFIXES[suffix]}; use Word (.docx), PDF or text",
            name=name,
        )
    return read_text(data, name)


def _ole_is_encrypted(data: bytes) -> bool:
    # An encrypted .docx is an OLE container holding the streams EncryptionInfo and
    # EncryptedPackage (their names are stored in UTF-16).
    head = data[: 1024 * 1024]
    return "EncryptionInfo".encode("utf-16-le") in head or (
        "EncryptedPackage".encode("utf-16-le") in head
    )


# --- Word ------------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )


class _Zip:
    """A .docx opened with a budget: every part is size-checked before it is unpacked."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self.infos = {info.filename: info for info in self.archive.infolist()}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise CorruptDocument(
                f"{name or 'the file'} is not a readable Word file (damaged zip)", name=name
            ) from exc
        self.budget = MAX_UNPACKED_BYTES

    def has(self, part: str) -> bool:
        return part in self.infos

    def names(self) -> list[str]:
        return list(self.infos)

    def xml(self, part: str) -> etree._Element | None:
        info = self.infos.get(part)
        if info is None:
            return None
        if info.file_size > self.budget or (
            info.compress_size and info.file_size / info.compress_size > MAX_RATIO
        ):
            raise DocumentTooLarge(
                f"{self.name or 'the file'} unpacks to more than the checker reads", name=self.name
            )
        self.budget -= info.file_size
        try:
            raw = self.archive.read(part)
            return etree.fromstring(raw, _parser())
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, etree.XMLSyntaxError) as exc:
            raise CorruptDocument(
                f"{self.name or 'the file'} is damaged ({part} cannot be read)", name=self.name
            ) from exc


_NUMBER_FORMATS = {
    "decimal": lambda n: str(n),
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    ),
    "decimalFullWidth2": lambda n: str(n).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    ),
    "decimalHalfWidth": lambda n: str(n),
    "upperRoman": lambda n: _roman(n).upper(),
    "lowerRoman": lambda n: _roman(n),
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": lambda n: _letter(n),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "japaneseCounting": lambda n: _kanji(n),
    "japaneseDigitalTenThousand": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "aiueoFullWidth": lambda n: "アイウエオカキクケコサシスセソタチツテト"[(n - 1) % 20],
    "iroha": lambda n: "イロハニホヘトチリヌルヲワカヨタレソツネ"[(n - 1) % 20],
    "none": lambda n: "",
}


def _roman(number: int) -> str:
    values = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
    values += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    result = ""
    for value, letters in values:
        while number >= value:
            result += letters
            number -= value
    return result


def _letter(number: int) -> str:
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _kanji(number: int) -> str:
    digits = "〇一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(number)


def _val(element: etree._Element | None, tag: str) -> str | None:
    if element is None:
        return None
    found = element.find(f"{W}{tag}")
    return None if found is None else found.get(f"{W}val")


class _Numbering:
    """Word's automatic numbering: counters per list, labels from each level's text."""

    def __init__(self, root: etree._Element | None):
        self.levels: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        linked: dict[str, dict[int, dict]] = {}
        following: dict[str, str] = {}
        for abstract in root.findall(f"{W}abstractNum"):
            levels = {}
            for level in abstract.findall(f"{W}lvl"):
                ilvl = int(level.get(f"{W}ilvl", "0"))
                levels[ilvl] = {
                    "start": int(_val(level, "start") or "1"),
                    "format": _val(level, "numFmt") or "decimal",
                    "text": _val(level, "lvlText") or "",
                    "suffix": _val(level, "suff") or "tab",
                }
            self.levels[abstract.get(f"{W}abstractNumId", "")] = levels
            link = _val(abstract, "styleLink")
            if link and levels:
                linked[link] = levels
            follows = _val(abstract, "numStyleLink")
            if follows and not levels:
                # A list defined by a numbering style: its levels are those of the abstract
                # numbering that carries the style's name (styleLink).
                following[abstract.get(f"{W}abstractNumId", "")] = follows
        for abstract_id, link in following.items():
            self.levels[abstract_id] = linked.get(link, {})
        for num in root.findall(f"{W}num"):
            overrides = {}
            for override in num.findall(f"{W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(f"{W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{W}numId", "")] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the list ``num_id`` at level ``ilvl`` and return the paragraph's label."""
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""

        def start(level: int) -> int:
            return overrides.get(level, levels.get(level, {}).get("start", 1))

        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start(ilvl) - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level["format"] == "bullet":
            return ""

        def substitute(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            value = counters.get(index, start(index))
            fmt = levels.get(index, {}).get("format", "decimal")
            return _NUMBER_FORMATS.get(fmt, _NUMBER_FORMATS["decimal"])(value)

        text = re.sub(r"%([1-9])", substitute, level["text"])
        suffix = {"tab": " ", "space": " "}.get(level["suffix"], "")
        return f"{text}{suffix}" if text else ""


class _Styles:
    """Paragraph styles: their numbering and whether they are headings, through basedOn."""

    def __init__(self, root: etree._Element | None):
        self.styles: dict[str, dict] = {}
        if root is None:
            return
        for style in root.findall(f"{W}style"):
            if style.get(f"{W}type") != "paragraph":
                continue
            properties = style.find(f"{W}pPr")
            numbering = properties.find(f"{W}numPr") if properties is not None else None
            name = (_val(style, "name") or "").lower()
            self.styles[style.get(f"{W}styleId", "")] = {
                "based_on": _val(style, "basedOn"),
                "num_id": _val(numbering, "numId"),
                "ilvl": _val(numbering, "ilvl"),
                "outline": _val(properties, "outlineLvl"),
                "heading": name.startswith(("heading", "見出し")) or name == "title",
            }

    def resolve(self, style_id: str | None) -> dict:
        merged: dict = {"num_id": None, "ilvl": None, "outline": None, "heading": False}
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            for key in ("num_id", "ilvl", "outline"):
                if merged[key] is None:
                    merged[key] = style[key]
            merged["heading"] = merged["heading"] or style["heading"]
            style_id = style["based_on"]
        return merged


def _run_text(paragraph: etree._Element) -> str:
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag in (f"{W}txbxContent", f"{W}del", f"{W}pPr", f"{W}rPr", f"{W}instrText"):
                continue
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def only_section_break(properties: etree._Element | None, text: str) -> bool:
    """Return whether a paragraph is empty and only carries a section break: Word's list
    numbering does not count it (as LibreOffice renders it; the corpus labels follow that
    rendering), in the checker's reading and in the negotiation draft alike."""
    return not text.strip() and properties is not None and properties.find(f"{W}sectPr") is not None


def _docx_lines(
    element: etree._Element, numbering: _Numbering, styles: _Styles, origin: str
) -> Iterator[Line]:
    for child in element:
        if child.tag == f"{W}p":
            properties = child.find(f"{W}pPr")
            style = styles.resolve(_val(properties, "pStyle"))
            direct = properties.find(f"{W}numPr") if properties is not None else None
            num_id = _val(direct, "numId") if direct is not None else None
            ilvl = _val(direct, "ilvl") if direct is not None else None
            num_id = num_id if num_id is not None else style["num_id"]
            ilvl = ilvl if ilvl is not None else style["ilvl"]
            text = _run_text(child)
            numbered = num_id not in (None, "0") and not only_section_break(properties, text)
            label = numbering.label(num_id, int(ilvl or 0)) if numbered else ""
            outline = _val(properties, "outlineLvl") or style["outline"]
            heading = style["heading"] or outline is not None
            for index, part in enumerate(text.split("\n")):
                part = (label if index == 0 else "") + part
                if part.strip():
                    yield Line(text=part, hard=True, heading=heading, origin=origin)
        elif child.tag == f"{W}tbl":
            for row in child.findall(f"{W}tr"):
                cells = []
                for cell in row.findall(f"{W}tc"):
                    cells.append(list(_docx_lines(cell, numbering, styles, "table")))
                texts = [" ".join(line.text for line in cell).strip() for cell in cells]
                if len(texts) == 2 and texts[0] and len(texts[0]) <= 20 and texts[1]:
                    # A "label | value" row (目的 | 〜の評価) reads as one line.
                    yield Line(text=f"{texts[0]}：{texts[1]}", hard=True, origin="table")
                else:
                    for cell in cells:
                        yield from cell
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            yield from _docx_lines(child, numbering, styles, origin)


def read_docx(data: bytes, name: str = "") -> Document:
    """Return the lines of a .docx: page headers first, then the body (tables included)."""
    archive = _Zip(data, name)
    if not archive.has("word/document.xml"):
        if archive.has("EncryptedPackage"):
            raise EncryptedDocument(f"{name or 'the file'} is protected by a password", name=name)
        raise CorruptDocument(f"{name or 'the file'} is a zip but not a Word document", name=name)
    numbering = _Numbering(archive.xml("word/numbering.xml"))
    styles = _Styles(archive.xml("word/styles.xml"))
    lines: list[Line] = []
    seen: set[str] = set()
    headers = sorted(
        (part for part in archive.names() if re.fullmatch(r"word/header[0-9]*\.xml", part)),
        key=lambda part: int(re.sub(r"\D", "", part) or 0),
    )
    for part in headers:
        root = archive.xml(part)
        if root is None:
            continue
        for line in _docx_lines(root, _Numbering(None), styles, "header"):
            if line.text.strip() not in seen:
                seen.add(line.text.strip())
                lines.append(line)
    document = archive.xml("word/document.xml")
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        raise CorruptDocument(f"{name or 'the file'} has no document body", name=name)
    lines.extend(_docx_lines(body, numbering, styles, "body"))
    return Document(lines=tuple(lines), format="docx")


# --- PDF -------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(\d{1,4}|page \d{1,4}( of \d{1,4})?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4}ページ)[-–—\s]*$",
    re.IGNORECASE,
)


def read_pdf(data: bytes, name: str = "", *, ocr: Ocr | None = None) -> Document:
    """Return the lines of a PDF's text layer, page headers and page numbers removed."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    label = name or "the file"
    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser, password="")
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(f"{label} is protected by a password", name=name) from exc
    except Exception as exc:  # pdfminer raises many unrelated types for a damaged file
        if b"/Encrypt" in data[-4096:] or b"/Encrypt" in data[:4096]:
            raise EncryptedDocument(f"{label} is protected by a password", name=name) from exc
        raise CorruptDocument(f"{label} is not a readable PDF (damaged?)", name=name) from exc
    manager = PDFResourceManager(caching=True)
    device = _line_device(manager)
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[list[tuple[float, float, float, str]]] = []
    try:
        for index, page in enumerate(PDFPage.create_pages(document)):
            if index >= MAX_PDF_PAGES:
                raise DocumentTooLarge(f"{label} has more than {MAX_PDF_PAGES} pages", name=name)
            interpreter.process_page(page)
            pages.append(device.page_lines())
    except DocumentTooLarge:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(f"{label} is protected by a password", name=name) from exc
    except Exception as exc:
        raise CorruptDocument(f"{label} is not a readable PDF (damaged?)", name=name) from exc
    scanned = [index for index, page in enumerate(pages) if not page]
    confidence = None
    if scanned and ocr is not None:
        confidence = _read_scans(data, pages, scanned, ocr)
    lines = _pdf_lines(pages)
    if not any(line.text.strip() for line in lines):
        raise NoTextLayer(
            f"{label} has no text layer (a scan?) and OCR (tesseract) is not installed", name=name
        )
    return Document(
        lines=tuple(lines),
        format="pdf",
        pages=len(pages),
        ocr_confidence=confidence,
        ocr_pages=tuple(index + 1 for index in scanned) if confidence is not None else (),
    )


OCR_DPI = 300


def _read_scans(
    data: bytes, pages: list[list[tuple[float, float, float, str]]], scanned: list[int], ocr: Ocr
) -> float | None:
    """Read the pages without text with OCR, in place (lines as ``page_lines`` gives
    them); return the mean confidence over the characters read, ``None`` when nothing
    was read."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    weighted = characters = 0.0
    try:
        for index in scanned:
            page = document[index]
            image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
            result = ocr(image)
            height = image.size[1]
            scale = 72 / OCR_DPI
            lines = sorted(result.lines, key=lambda line: line.box[1])
            pages[index] = [
                (1 - line.box[3] / height, line.box[0] * scale, line.box[2] * scale, line.text)
                for line in lines
            ]
            for line in lines:
                weighted += len(line.text) * line.confidence
                characters += len(line.text)
    finally:
        document.close()
    return weighted / characters if characters else None


def _line_device(manager):
    """Return a pdfminer device that only notes where each character is drawn.

    pdfminer's layout analysis (characters as objects, boxes grouped by proximity) is the
    slow part of reading a PDF and more than a contract needs: characters are grouped into
    lines by their baseline here, which reads a 60-page contract in about a second.
    """
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined

    class LineDevice(PDFTextDevice):
        def __init__(self, rsrcmgr) -> None:
            super().__init__(rsrcmgr)
            self.chars: list[tuple[float, float, float, float, str]] = []
            self.glyphs: dict[tuple[int, int], tuple[str, float]] = {}
            self.height = 1.0

        def begin_page(self, page, ctm) -> None:
            box = page.mediabox
            self.height = float(box[3] - box[1]) or 1.0
            self.bottom = float(box[1])
            self.chars = []

        def glyph(self, font, cid: int) -> tuple[str, float]:
            key = (id(font), cid)
            found = self.glyphs.get(key)
            if found is None:
                try:
                    text = font.to_unichr(cid)
                except PDFUnicodeNotDefined:
                    text = ""
                found = self.glyphs[key] = (text, font.char_width(cid))
            return found

        def render_string_horizontal(
            self,
            seq,
            matrix,
            pos,
            font,
            fontsize,
            scaling,
            charspace,
            wordspace,
            rise,
            dxscale,
            ncs,
            graphicstate,
        ):
            # pdfminer's loop, without a character object or a matrix per character.
            x, y = pos
            a, b, c, d, e, f = matrix
            size = abs(fontsize * d) or 1
            needcharspace = False
            for item in seq:
                if isinstance(item, int | float):
                    x -= item * dxscale
                    needcharspace = True
                    continue
                if not isinstance(item, bytes):
                    continue
                for cid in font.decode(item):
                    if needcharspace:
                        x += charspace
                    text, width = self.glyph(font, cid)
                    advance = width * fontsize * scaling
                    if text:
                        left = a * x + c * (y + rise) + e
                        baseline = b * x + d * (y + rise) + f
                        self.chars.append((baseline, left, left + advance * a, size, text))
                    x += advance
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            return x, y

        def page_lines(self) -> list[tuple[float, float, float, str]]:
            """Return the page's lines, top first: (top as a share of the height, left,
            right, text), with a space where the gap between two characters shows one.

            A character joins a line when its baseline is near the line's (that of its
            largest characters), so that a raised or lowered one ("26th", a footnote mark)
            stays where it is printed; each line then reads left to right."""
            groups: list[list] = []  # [baseline, size, chars]
            for char in sorted(self.chars, key=lambda char: -char[0]):
                baseline, size = char[0], char[3]
                group = groups[-1] if groups else None
                if group is None or group[0] - baseline > max(size, group[1]) * 0.4:
                    groups.append([baseline, size, [char]])
                    continue
                group[2].append(char)
                if size > group[1]:
                    group[0], group[1] = baseline, size
            lines = []
            for baseline, _, chars in groups:
                chars.sort(key=lambda char: char[1])
                text, right = "", chars[0][1]
                for _, left, end, size, glyph in chars:
                    gap = left - right > size * 0.2
                    if text and gap and not text.endswith(" ") and glyph != " ":
                        text += " "
                    text += glyph
                    right = max(right, end)
                lines.append(((baseline - self.bottom) / self.height, chars[0][1], right, text))
            return lines

    return LineDevice(manager)


_STARTS_PARAGRAPH = re.compile(
    r"^(第\s*[0-9０-９一二三四五六七八九十]+\s*条(?=$|[\s　(（])|[0-9０-９]{1,2}[\s　]|"
    r"[(（][0-9０-９一二三四五六七八九十a-z]{1,3}[)）]|[①-⑳]|"
    rf"(article|section)\s+(\d|[ivxlc]+\b|(?:{WORD_NUMBER})\b)|"
    r"\d+\.\d+\s|\d{1,2}[.)]\s+[A-Z]|\([a-z0-9ivx]{1,4}\)\s|別紙|appendix|schedule|exhibit|annex)",
    re.IGNORECASE,
)


_DIGITS = re.compile(r"[0-9]+")


def _furniture_key(text: str) -> str:
    """Return how a line is compared across pages: its numbers aside ("Page 3 of 12"), unless
    it starts an article or paragraph (第3条 at the top of every page is not furniture)."""
    return text if _STARTS_PARAGRAPH.match(text) else _DIGITS.sub("#", text)


def _page_ends(page: list[tuple[float, float, float, str]]) -> set[str]:
    """Return the lines set apart at the top or bottom of a page: up to three lines before
    the first, or after the last, gap between lines far wider than the usual one. A page box
    taller than its text prints the footer ("10.23", the filing's exhibit number) mid-page,
    where its height does not show it."""
    printed = [(top, clean(text)) for top, _, _, text in page]
    printed = [(top, text) for top, text in printed if text and not _PAGE_NUMBER.match(text)]
    gaps = [printed[i][0] - printed[i + 1][0] for i in range(len(printed) - 1)]
    if len(gaps) < 4:
        return set()
    usual = sorted(gaps)[len(gaps) // 2]
    wide = [index for index, gap in enumerate(gaps) if gap > usual * 2.5]
    ends: set[str] = set()
    if wide and wide[0] < 3:
        ends |= {text for _, text in printed[: wide[0] + 1]}
    if wide and len(printed) - wide[-1] - 1 <= 3:
        ends |= {text for _, text in printed[wide[-1] + 1 :]}
    return ends


def _pdf_lines(pages: list[list[tuple[float, float, float, str]]]) -> list[Line]:
    """Return the paragraphs of a PDF: running headers, footers and page numbers removed,
    lines joined back where a paragraph was wrapped (a line that reaches the right margin
    goes on in the next one, unless that one starts a new article or paragraph)."""
    # Page furniture: a line (its digits aside: "Page 3 of 12") that comes back on many
    # pages, near the top or bottom edge, or anywhere when it is a long legend in capitals
    # ("CERTAIN PORTIONS OF THIS EXHIBIT HAVE BEEN OMITTED…").
    edge: dict[str, int] = {}
    anywhere: dict[str, int] = {}
    for page in pages:
        seen_edge, seen = set(), set()
        ends = _page_ends(page) if len(pages) >= 3 else set()
        for y, _, _, t in page:
            key = _furniture_key(clean(t))
            if round(y, 2) >= 0.9 or round(y, 2) <= 0.1 or clean(t) in ends:
                seen_edge.add(key)
            seen.add(key)
        for key in seen_edge:
            edge[key] = edge.get(key, 0) + 1
        for key in seen:
            anywhere[key] = anywhere.get(key, 0) + 1
    many = len(pages) / 2 if len(pages) >= 2 else float("inf")
    repeated = {key for key, count in edge.items() if count > many and key}
    repeated |= {
        key
        for key, count in anywhere.items()
        if count >= 3
        and len(key) >= 25
        # a legend in capitals on many pages, or a numbered line on most of them (a footer
        # printed mid-page: "Master Agreement … Page # of #")
        and ((count > many * 0.6 and key.isupper()) or (count > many * 1.5 and "#" in key))
    }
    headers: list[Line] = []
    shown: set[str] = set()
    body: list[tuple[bool, bool, str]] = []  # (reaches the right margin, after a gap, text)
    for page in pages:
        kept = []
        for top, left, right, text in page:
            cleaned = clean(text)
            if not cleaned or _PAGE_NUMBER.match(cleaned):
                continue
            key = _furniture_key(cleaned)
            if key in repeated:
                if key not in shown:  # once ("- 3 - Contract No. 7" on every page)
                    shown.add(key)
                    headers.append(Line(text=cleaned, hard=True, origin="header"))
                continue
            kept.append((top, left, right, text.strip()))
        if not kept:
            continue
        margin_left = min(left for _, left, _, _ in kept)
        margin_right = max(right for _, _, right, _ in kept)
        width = max(margin_right - margin_left, 1)
        # Paragraph spacing: a gap between two lines clearly wider than the usual one.
        gaps = [kept[i][0] - kept[i + 1][0] for i in range(len(kept) - 1)]
        usual = sorted(gaps)[len(gaps) // 2] if gaps else 0
        for index, (_top, _left, right, text) in enumerate(kept):
            gap = index > 0 and usual > 0 and gaps[index - 1] > usual * 1.15
            body.append((right >= margin_left + 0.85 * width, gap, text))
    lines: list[Line] = list(headers)
    paragraph, full = "", False
    for reaches_margin, after_gap, text in body:
        # A Japanese line that ends with 。 ends its paragraph (at worst a paragraph of two
        # sentences is cut in two, which changes no sentence).
        ends = paragraph.endswith("。") or (
            paragraph.endswith(TERMINATORS) and _STARTS_PARAGRAPH.match(text)
        )
        if paragraph and full and not after_gap and not ends:
            paragraph = join_lines(paragraph, text)
        else:
            if paragraph:
                lines.append(Line(text=paragraph, hard=True))
            paragraph = text
        full = reaches_margin
    if paragraph:
        lines.append(Line(text=paragraph, hard=True))
    return lines


# --- text and Markdown -----------------------------------------------------------------------

_MARKDOWN_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(?=\S))")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MARKDOWN_RULE = re.compile(r"^\s*([-*_=])\1{2,}\s*$")
_MARKDOWN_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def read_text(data: bytes, name: str = "") -> Document:
    """Return the lines of a text or Markdown file (UTF-8, UTF-16 or Shift_JIS)."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFormat(
            f"{name or 'the file'} is not text; use Word (.docx), PDF or text", name=name
        )
    text = None
    for encoding in ("utf-8-sig", "utf-16", "cp932"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise CorruptDocument(
            f"{name or 'the file'} is neither UTF-8 nor Shift_JIS text", name=name
        )
    lines: list[Line] = []
    in_code = False
    markdown = name.lower().endswith((".md", ".markdown"))
    for raw in text.splitlines():
        if raw.strip().startswith("```"):
            in_code = not in_code
            continue
        if in_code or _MARKDOWN_RULE.match(raw) or _MARKDOWN_TABLE_RULE.match(raw):
            continue
        heading = raw.lstrip().startswith("#")
        line = _MARKDOWN_PREFIX.sub("", raw)
        line = _MARKDOWN_EMPHASIS.sub(r"\2", line)
        if markdown:
            line = _HTML_TAG.sub("", line)  # <span class="coverpage_link">Purpose</span>
        if line.strip().startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            line = f"{cells[0]}：{cells[1]}" if len(cells) == 2 else " ".join(cells)
        lines.append(Line(text=line, hard=heading, heading=heading))
    if not any(line.text.strip() for line in lines):
        raise NoTextLayer(f"{name or 'the file'} is empty", name=name)
    return Document(lines=tuple(lines), format="text")
