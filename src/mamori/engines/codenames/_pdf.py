"""PDF: open safely, scan for what is left, and the pieces sanitizing shares.

A PDF is read with three libraries of different origins: pikepdf (qpdf) for its
structure — document information, XMP metadata, bookmarks, annotations, form fields,
attached files and every other string outside the pages' content — and two independent
text extractors for the pages, pdfium (``pypdfium2``) and pdfminer.six. The residual
check reports what either extractor finds, so a term that one of them misses in an
unusual font is still found by the other. Pictures on the pages, scanned pages included,
are read with OCR (``_pictures``).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mamori.engines.codenames._errors import DocumentError
from mamori.engines.codenames._findings import text_findings
from mamori.engines.codenames._pictures import PictureReader
from mamori.engines.codenames._results import Finding, Location, ScanReport

_PEOPLE = ("/Author", "/Company", "/Manager")
ENCRYPTED = "The PDF is password-protected; remove the password and upload it again."
DAMAGED = "The PDF is damaged or incomplete and cannot be read."
# Keys whose values hold no text a reader sees (fonts, colours, filters…): not walked.
_SKIP = frozenset(
    {
        "/Parent",
        "/P",
        "/Font",
        "/Widths",
        "/W",
        "/W2",
        "/FontDescriptor",
        "/DescendantFonts",
        "/ColorSpace",
        "/ExtGState",
        "/Pattern",
        "/Shading",
        "/Function",
        "/Functions",
        "/ProcSet",
        "/Encoding",
        "/ToUnicode",
        "/CharProcs",
        "/Differences",
        "/ID",
        "/Encrypt",
        "/Decode",
        "/DecodeParms",
        "/Filter",
        "/Length",
        "/ParentTree",
        "/Pg",
        "/Dest",
        "/D",
    }
)
_ANNOTATION_TYPES = frozenset({"/Annot", "/Widget"})
_OUTLINE = ("/Next", "/Prev", "/First", "/Dest", "/A")
OCR_DPI = 250  # pictures drawn at a lower resolution are enlarged before OCR


def open_pdf(data: bytes, *, strict: bool = False) -> Any:
    """Return the PDF opened with pikepdf. Raise ``DocumentError`` when it is encrypted
    (even with an empty password when ``strict``: a sanitized copy would lose the
    protection) or damaged; with ``strict``, a file qpdf had to repair, or one that does
    not end with ``%%EOF``, counts as damaged."""
    import pikepdf

    if strict and b"%%EOF" not in data[-2048:]:
        raise DocumentError("corrupt", DAMAGED)
    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=not strict)
    except pikepdf.PasswordError as exc:
        raise DocumentError("encrypted", ENCRYPTED) from exc
    except Exception as exc:  # qpdf raises PdfError, and more for garbage
        raise DocumentError("corrupt", DAMAGED) from exc
    if strict and pdf.is_encrypted:
        pdf.close()
        raise DocumentError("encrypted", ENCRYPTED)
    if strict and pdf.get_warnings():
        pdf.close()
        raise DocumentError("corrupt", DAMAGED)
    return pdf


def check_size(pdf: Any, limits: Any) -> None:
    """Raise ``DocumentError`` when the PDF has more pages than ``limits`` allow."""
    if len(pdf.pages) > limits.max_pdf_pages:
        raise DocumentError(
            "too_large",
            f"The PDF has {len(pdf.pages):,} pages, more than the limit of "
            f"{limits.max_pdf_pages:,}.",
        )


def open_pdfium(data: bytes) -> Any:
    """Return the PDF opened with pdfium; ``DocumentError`` when pdfium cannot read it."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError("encrypted", ENCRYPTED) from exc
        raise DocumentError("corrupt", DAMAGED) from exc


@dataclass
class PageText:
    """A page's text as pdfium reads it, lines joined where Japanese text wraps;
    ``index[i]`` is the pdfium character index of ``text[i]``."""

    text: str
    index: list[int]
    textpage: Any

    def chars(self, start: int, end: int) -> range:
        """Return the pdfium character indices of ``text[start:end]``."""
        return range(self.index[start], self.index[end - 1] + 1)


def _wide(char: str) -> bool:
    return ord(char) >= 0x2E80


def page_text(page: Any) -> PageText:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    count = raw.FPDFText_CountChars(textpage)
    chars = []
    for index in range(count):
        code = raw.FPDFText_GetUnicode(textpage, index)
        chars.append(chr(code) if 0 < code < 0xD800 or 0xE000 <= code < 0x110000 else " ")
    text: list[str] = []
    where: list[int] = []
    for index, char in enumerate(chars):
        if char in "\r\n" and raw.FPDFText_IsGenerated(textpage, index) == 1:
            before = text[-1] if text else ""
            after = next((c for c in chars[index + 1 :] if c not in "\r\n"), "")
            if before and after and _wide(before) and _wide(after):
                continue
        text.append(char)
        where.append(index)
    return PageText("".join(text), where, textpage)


_WRAPPED = re.compile(r"(?<=[\u2e80-\U0010ffff])[ \t]*\r?\n[ \t]*(?=[\u2e80-\U0010ffff])")


def join_lines(text: str) -> str:
    """Return ``text`` with line breaks inside Japanese text removed (a term wrapped at
    the end of a line is found)."""
    return _WRAPPED.sub("", text)


def pdfminer_pages(data: bytes) -> Iterator[str]:
    """Yield each page's text as pdfminer.six extracts it."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
        parts = []
        stack = list(layout)
        while stack:
            element = stack.pop(0)
            if isinstance(element, LTTextContainer):
                parts.append(element.get_text())
            elif hasattr(element, "__iter__"):
                stack[:0] = list(element)
        yield join_lines("".join(parts))


@dataclass
class StructureString:
    """A string outside the page content: what it belongs to (``info``, ``bookmark``,
    ``annotation``, ``form``, ``other``), the object holding it and its key or index."""

    where: str
    holder: Any
    key: Any
    text: str
    annotation: Any = None  # the annotation dictionary, for annotations and form fields


def _category(value: Any, inherited: str) -> str:
    kind = str(value.get("/Type", ""))
    if kind in _ANNOTATION_TYPES or ("/Rect" in value and "/Subtype" in value):
        return "annotation" if str(value.get("/Subtype", "")) != "/Widget" else "form"
    if "/FT" in value:
        return "form"
    if "/Title" in value and "/Parent" in value and any(key in value for key in _OUTLINE):
        return "bookmark"
    return inherited


def structure_strings(pdf: Any) -> Iterator[StructureString]:
    """Yield every string of the document outside the pages' content streams and the
    streams' data: document information, bookmarks, annotations, form fields, names,
    the structure tree's alternative texts…"""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    info = pdf.trailer.get("/Info")
    stack: list[tuple[Any, str, Any]] = []
    if info is not None:
        stack.append((info, "info", None))
    stack.append((pdf.Root, "other", None))
    while stack:
        value, where, annotation = stack.pop()
        if value.is_indirect:
            if value.objgen in seen:
                continue
            seen.add(value.objgen)
        if isinstance(value, pikepdf.Stream):
            value = value.stream_dict
        if isinstance(value, pikepdf.Dictionary):
            where = _category(value, where)
            if where in {"annotation", "form"} and (
                str(value.get("/Type", "")) == "/Annot" or "/Rect" in value
            ):
                annotation = value
            for key in list(value.keys()):
                if key in _SKIP:
                    continue
                item = value.get(key)
                if isinstance(item, pikepdf.String):
                    yield StructureString(where, value, key, str(item), annotation)
                elif isinstance(item, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                    stack.append((item, where, annotation))
        elif isinstance(value, pikepdf.Array):
            for index, item in enumerate(value):
                if isinstance(item, pikepdf.String):
                    yield StructureString(where, value, index, str(item), annotation)
                elif isinstance(item, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                    stack.append((item, where, annotation))


def xmp_streams(pdf: Any) -> Iterator[tuple[Any, str]]:
    """Yield each XMP metadata stream and its text."""
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and str(obj.stream_dict.get("/Type", "")) == "/Metadata":
            try:
                text = obj.read_bytes().decode("utf-8", "replace")
            except Exception:  # an undecodable stream is removed by sanitize
                text = ""
            yield obj, text


def attachment_names(pdf: Any) -> list[str]:
    names = list(pdf.attachments.keys()) if "/Names" in pdf.Root else []
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots") or []:
            if str(annotation.get("/Subtype", "")) == "/FileAttachment":
                spec = annotation.get("/FS")
                name = str(spec.get("/UF") or spec.get("/F") or "") if spec is not None else ""
                names.append(name or "(annotation)")
    return names


_PLACE_OF = {
    "info": ("property", "{key}"),
    "bookmark": ("bookmark", "{text}"),
    "annotation": ("annotation", "{page}"),
    "form": ("field", "{key}"),
    "other": ("structure", "{key}"),
}


def scan_pdf(data: bytes, dictionary: Any, markings: Any, *, limits: Any) -> ScanReport:
    """Return the residual findings of a PDF: page text by two extractors, every string
    of its structure, XMP metadata, attached files and pictures."""
    pdf = open_pdf(data)
    try:
        check_size(pdf, limits)
        findings: list[Finding] = []
        findings.extend(_structure_findings(pdf, dictionary, markings))
        for _stream, text in xmp_streams(pdf):
            place = Location("", "xmp", "")
            for found in text_findings(text, dictionary, markings):
                findings.append(Finding(found.kind, place, found.text, found.detail, found.term))
        for name in attachment_names(pdf):
            findings.append(Finding("attachment", Location("", "file", name), name))
        page_images = [_image_count(page) for page in pdf.pages]
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError("corrupt", DAMAGED) from exc
    finally:
        pdf.close()
    document = open_pdfium(data)
    pdfium_texts = []
    reader = PictureReader(dictionary, markings)
    pictures: list[Finding] = []
    try:
        for number, page in enumerate(document, start=1):
            pdfium_texts.append(page_text(page).text)
            if page_images[number - 1]:
                pictures.extend(_picture_findings(page, number, reader))
    finally:
        document.close()
    try:
        miner_texts = list(pdfminer_pages(data))
    except Exception:  # pdfminer fails on some files pdfium reads: pdfium's text stands
        miner_texts = []
    for number, text in enumerate(pdfium_texts, start=1):
        place = Location("", "page", str(number))
        first = text_findings(text, dictionary, markings)
        seen: dict[tuple[str, str], int] = {}
        for found in first:
            key = (found.kind, found.text)
            seen[key] = seen.get(key, 0) + 1
            findings.append(Finding(found.kind, place, found.text, found.detail, found.term))
        if number <= len(miner_texts):
            for found in text_findings(miner_texts[number - 1], dictionary, markings):
                key = (found.kind, found.text)
                if seen.get(key, 0) > 0:
                    seen[key] -= 1
                    continue
                findings.append(
                    Finding(found.kind, place, found.text, found.detail or "pdfminer", found.term)
                )
        if page_images[number - 1]:
            findings.append(Finding("image", place, str(page_images[number - 1])))
    findings.extend(pictures)
    return ScanReport(format="pdf", findings=tuple(findings), scan_only=False)


def page_pictures(page: Any) -> Iterator[tuple[Any, tuple[float, float, float, float]]]:
    """Yield each picture drawn on the page (a PIL image, as drawn: its matrix and masks
    applied) with its bounds on the page (left, bottom, right, top)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    from PIL import Image

    for picture in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,)):
        try:
            bounds = picture.get_bounds()
            image = picture.get_bitmap(render=True).to_pil()
        except pdfium.PdfiumError:
            continue
        if image.mode not in {"L", "RGB"}:
            image = image.convert("RGB")
        # OCR reads text best at 200–300 dpi: a picture drawn at less (a screenshot, a
        # logo) is enlarged, up to three times.
        width_in_points = max(bounds[2] - bounds[0], 1.0)
        factor = min(3.0, OCR_DPI / (image.size[0] / width_in_points * 72))
        if factor > 1.2:
            image = image.resize(
                (round(image.size[0] * factor), round(image.size[1] * factor)),
                resample=Image.Resampling.LANCZOS,
            )
        yield image, bounds


def to_page(
    box: tuple[float, float, float, float],
    size: tuple[int, int],
    bounds: tuple[float, float, float, float],
) -> tuple[float, float, float, float]:
    """Return a box in a picture's pixels (left, top, right, bottom) on the page
    (left, bottom, right, top), the picture being drawn within ``bounds``."""
    left, bottom, right, top = bounds
    scale_x, scale_y = (right - left) / size[0], (top - bottom) / size[1]
    return (
        left + box[0] * scale_x,
        top - box[3] * scale_y,
        left + box[2] * scale_x,
        top - box[1] * scale_y,
    )


def _picture_findings(page: Any, number: int, reader: PictureReader) -> list[Finding]:
    """Return what OCR reads in the page's pictures, placed in millimetres from the
    page's top left corner."""
    found: list[Finding] = []
    place = Location("", "picture", str(number))
    _width, page_height = page.get_size()
    for image, bounds in page_pictures(page):

        def position(
            box: tuple[int, int, int, int],
            size: tuple[int, int] = image.size,
            bounds: tuple[float, float, float, float] = bounds,
        ) -> str:
            left, _bottom, _right, top = to_page(box, size, bounds)
            return f"x {left * 25.4 / 72:.0f} mm, y {(page_height - top) * 25.4 / 72:.0f} mm"

        found.extend(reader.findings(image, place, position))
    return found


def _structure_findings(pdf: Any, dictionary: Any, markings: Any) -> list[Finding]:
    findings = []
    page_of: dict[tuple[int, int], int] = {}
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots") or []:
            page_of.setdefault(annotation.objgen, number)
    for string in structure_strings(pdf):
        text = string.text.strip()
        if not text:
            continue
        key = str(string.key).lstrip("/")
        if string.where == "info":
            place = Location("", "property", key)
            if f"/{key}" in _PEOPLE:
                findings.append(Finding("property", place, text))
        elif string.where == "bookmark":
            place = Location("", "bookmark", text[:40])
        elif string.where in {"annotation", "form"}:
            page = ""
            annotation = string.annotation
            if annotation is not None:
                page = str(page_of.get(annotation.objgen, ""))
            place = Location("", "page", page) if page else Location("", "annotation", "")
            if string.where == "annotation" and key == "Contents":
                findings.append(Finding("comment", place, text[:80]))
        else:
            place = Location("", "structure", key)
        for found in text_findings(text, dictionary, markings):
            findings.append(Finding(found.kind, place, found.text, found.detail, found.term))
    return findings


def _image_count(page: Any) -> int:
    import pikepdf

    resources = page.obj.get("/Resources")
    if resources is None:
        return 0
    objects = resources.get("/XObject")
    if not isinstance(objects, pikepdf.Dictionary):
        return 0
    return sum(
        1
        for key in objects
        if isinstance(objects[key], pikepdf.Stream)
        and str(objects[key].stream_dict.get("/Subtype", "")) == "/Image"
    )
