"""Sanitize a PDF: every term is taken out of the page content and its codename drawn in
its place; the document's strings, XMP metadata and attached files are dealt with too.

For each page pdfium reads the text; where a term occurs, the glyphs pdfium places there
are found in the page's content stream (``_pdf_content``) and removed — the text under the
codename is gone, not covered — and the codename is drawn in IPAexGothic, compressed to the
term's width. Pages without a term keep their objects as they are. A page whose text
cannot be followed safely (text in a form XObject, vertical writing, an invisible OCR
layer over a picture, a term still found after rewriting) is rasterised instead: rendered
at 200 dpi with the terms painted out, and the codenames drawn over the picture. The
pages' pictures are read with OCR (when tesseract is installed); a term read in one is
painted out the same way, its page rasterised.
"""

from __future__ import annotations

import io
import math
import zlib
from dataclasses import dataclass, field
from typing import Any

from mamori.engines.codenames._errors import DocumentError
from mamori.engines.codenames._pdf import (
    DAMAGED,
    check_size,
    open_pdf,
    open_pdfium,
    page_pictures,
    page_text,
    structure_strings,
    to_page,
    xmp_streams,
)
from mamori.engines.codenames._pdf_content import (
    Glyph,
    Matrix,
    Unsupported,
    balance,
    glyphs,
    without,
)
from mamori.engines.codenames._pdf_font import CodenameFont, text_width
from mamori.engines.codenames._pictures import MAX_PICTURES, MIN_SIDE
from mamori.engines.codenames._results import CONTEXT, Location, Replacement, SanitizeResult

DPI = 200
_FONT_KEY = "/MamoriCodename"
_IMAGE_KEY = "/MamoriPage"


@dataclass(frozen=True)
class Note:
    """Something the user should know about a sanitized PDF: ``code`` (stable, for
    translation), ``count`` and ``pages`` where it applies; ``str()`` is English."""

    code: str
    count: int = 0
    pages: tuple[int, ...] = ()

    def __str__(self) -> str:
        pages = ", ".join(map(str, self.pages))
        return NOTE_TEXTS[self.code].format(count=self.count, pages=pages)


NOTE_TEXTS = {
    "rasterised": "Pages {pages} were turned into pictures (their text could not be "
    "rewritten safely); their text can no longer be selected.",
    "pictures": "Pages {pages}: names read by OCR in pictures were painted out and the "
    "codenames drawn over them; these pages are now pictures.",
    "info": "Document information: {count} values rewritten.",
    "bookmark": "Bookmarks: {count} titles rewritten.",
    "annotation": "Annotations: {count} texts rewritten; their appearance is redrawn by "
    "the viewer.",
    "form": "Form fields: {count} values rewritten; their appearance is redrawn by the viewer.",
    "other": "Other text in the document's structure: {count} strings rewritten.",
    "xmp": "XMP metadata removed ({count} streams held a term).",
    "attachments": "Attached files removed ({count}): mamori cannot check them.",
}


@dataclass
class _Occurrence:
    start: int
    end: int
    term: Any
    codename: str


@dataclass
class _PagePlan:
    number: int
    occurrences: list[_Occurrence]
    chars: list[list[int]] = field(default_factory=list)  # per occurrence, glyph char indices
    draws: list[tuple[Matrix, str, float, float]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)


def sanitize_pdf(data: bytes, dictionary: Any, *, limits: Any) -> SanitizeResult:
    """Return the PDF with every term replaced by its codename (see the module)."""
    import pikepdf

    pdf = open_pdf(data, strict=True)
    document = open_pdfium(data)
    try:
        check_size(pdf, limits)
        if len(document) != len(pdf.pages):
            raise DocumentError("corrupt", DAMAGED)
        plans, replacements, counts = _plan(document, dictionary)
        painted = _plan_pictures(pdf, document, dictionary, plans, replacements, counts)
        notes: list[Note] = []
        changed = _structure(pdf, dictionary, notes, counts, replacements)
        if not plans:
            output = _save(pdf) if changed else data
            return _result(output, counts, replacements, notes, dictionary)
        font = CodenameFont(pdf, {o.codename for plan in plans for o in plan.occurrences})
        rasterise: set[int] = set(painted)
        for plan in plans:
            if plan.number in painted:
                continue
            try:
                _rewrite_page(
                    pdf, pdf.pages[plan.number - 1], document[plan.number - 1], plan, font
                )
            except Unsupported:
                rasterise.add(plan.number)
        output = _save(pdf)
        rasterise |= _still_there(output, plans, dictionary)
        if rasterise:
            for plan in plans:
                if plan.number in rasterise:
                    _rasterise(
                        pdf, pdf.pages[plan.number - 1], document[plan.number - 1], plan, font
                    )
            text_pages = tuple(sorted(rasterise - painted))
            if text_pages:
                notes.insert(0, Note("rasterised", len(text_pages), text_pages))
            if painted:
                notes.insert(0, Note("pictures", len(painted), tuple(sorted(painted))))
            output = _save(pdf)
        return _result(output, counts, replacements, notes, dictionary)
    except DocumentError:
        raise
    except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentError("corrupt", DAMAGED) from exc
    finally:
        document.close()
        pdf.close()


def _result(
    output: bytes,
    counts: dict[int, int],
    replacements: list[Replacement],
    notes: list[Note],
    dictionary: Any,
) -> SanitizeResult:
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    return SanitizeResult(
        data=output,
        format="pdf",
        counts=[(dictionary.terms[index], count) for index, count in ordered],
        replacements=replacements,
        notes=notes,
    )


_INDEX_CACHE: dict[int, tuple[Any, dict[int, int]]] = {}


def term_index(dictionary: Any, term: Any) -> int:
    """Return the term's position in the dictionary (by identity, in constant time)."""
    cached = _INDEX_CACHE.get(id(dictionary))
    if cached is None or cached[0] is not dictionary:
        cached = (dictionary, {id(t): i for i, t in enumerate(dictionary.terms)})
        _INDEX_CACHE.clear()
        _INDEX_CACHE[id(dictionary)] = cached
    return cached[1][id(term)]


def _save(pdf: Any) -> bytes:
    import pikepdf

    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        fix_metadata_version=False,
        deterministic_id=True,
    )
    return out.getvalue()


def _plan(document: Any, dictionary: Any) -> tuple[list[_PagePlan], list[Replacement], dict]:
    plans = []
    replacements: list[Replacement] = []
    counts: dict[int, int] = {}
    for number, page in enumerate(document, start=1):
        text = page_text(page)
        matches = dictionary.sanitizer.find(text.text).tuples()
        if not matches:
            continue
        occurrences = []
        for pattern, start, end in matches:
            term = dictionary.term_of_pattern(pattern)
            index = term_index(dictionary, term)
            counts[index] = counts.get(index, 0) + 1
            occurrences.append(_Occurrence(start, end, term, term.codename))
            replacements.append(
                Replacement(
                    location=Location("", "page", str(number)),
                    found=text.text[start:end],
                    replacement=term.codename,
                    term=term,
                    before=text.text[max(0, start - CONTEXT) : start].replace("\n", " "),
                    after=text.text[end : end + CONTEXT].replace("\n", " "),
                )
            )
        plan = _PagePlan(number, occurrences)
        _measure(text, plan)
        plans.append(plan)
    return plans, replacements, counts


def _plan_pictures(
    pdf: Any,
    document: Any,
    dictionary: Any,
    plans: list[_PagePlan],
    replacements: list[Replacement],
    counts: dict[int, int],
) -> set[int]:
    """Read the pictures of every page with OCR; where a term is read, plan to paint it
    out and draw its codename over it (the page is rasterised). Return those pages."""
    from mamori.engines.codenames import ocr

    if not ocr.available():
        return set()
    by_number = {plan.number: plan for plan in plans}
    painted: set[int] = set()
    read = 0
    for number, page in enumerate(document, start=1):
        if not _has_pictures(pdf.pages[number - 1]):
            continue
        for image, bounds in page_pictures(page):
            if min(image.size) < MIN_SIDE or read >= MAX_PICTURES:
                continue
            read += 1
            for line in ocr.read(image).lines:
                matches = dictionary.sanitizer.find(line.text).tuples()
                for pattern, start, end in matches:
                    term = dictionary.term_of_pattern(pattern)
                    left, top, right, bottom = line.box
                    share = (right - left) / max(1, len(line.text))
                    box = to_page(
                        (left + start * share, top, left + end * share, bottom),
                        image.size,
                        bounds,
                    )
                    plan = by_number.get(number)
                    if plan is None:
                        plan = by_number[number] = _PagePlan(number, [])
                        plans.append(plan)
                    plan.boxes.append(box)
                    x0, y0, x1, y1 = box
                    size = (y1 - y0) * 0.85
                    natural = text_width(term.codename) * size
                    squeeze = min(1.0, (x1 - x0) / natural) if natural > 0 else 1.0
                    plan.draws.append(
                        (
                            (1.0, 0.0, 0.0, 1.0, x0, y0 + (y1 - y0) * 0.15),
                            term.codename,
                            size,
                            squeeze,
                        )
                    )
                    plan.occurrences.append(_Occurrence(0, 0, term, term.codename))
                    index = term_index(dictionary, term)
                    counts[index] = counts.get(index, 0) + 1
                    replacements.append(
                        Replacement(
                            location=Location("", "picture", str(number)),
                            found=line.text[start:end],
                            replacement=term.codename,
                            term=term,
                            before=line.text[max(0, start - CONTEXT) : start],
                            after=line.text[end : end + CONTEXT],
                        )
                    )
                    painted.add(number)
    plans.sort(key=lambda plan: plan.number)
    return painted


def _has_pictures(page: Any) -> bool:
    import pikepdf

    resources = _inherited(page.obj, "/Resources")
    objects = resources.get("/XObject") if resources is not None else None
    return isinstance(objects, pikepdf.Dictionary) and len(objects) > 0


def _measure(text: Any, plan: _PagePlan) -> None:
    """Record, for each occurrence, its drawn characters, where the codename goes and
    the boxes to paint out when the page is rasterised."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = text.textpage
    for occurrence in plan.occurrences:
        indices = []
        runs: list[list[tuple[float, float, float, float, float, float]]] = []
        first = text.index[occurrence.start]
        for index in text.chars(occurrence.start, occurrence.end):
            if raw.FPDFText_IsGenerated(textpage, index) == 1:
                continue
            x, y = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(textpage, index, x, y)
            rect = raw.FS_RECTF()
            raw.FPDFText_GetLooseCharBox(textpage, index, rect)
            size = raw.FPDFText_GetFontSize(textpage, index) or (rect.top - rect.bottom)
            box = (rect.left, rect.bottom, rect.right, rect.top)
            plan.boxes.append(box)
            if chr(raw.FPDFText_GetUnicode(textpage, index)).isspace():
                continue
            indices.append(index)
            entry = (x.value, y.value, *box)
            if runs and abs(runs[-1][-1][1] - y.value) < max(size, 1) * 0.5:
                runs[-1].append(entry)
            else:
                runs.append([entry])
        plan.chars.append(indices)
        if not runs:
            continue
        run = runs[0]
        x0, y0 = run[0][0], run[0][1]
        matrix = raw.FS_MATRIX()
        if raw.FPDFText_GetMatrix(textpage, first, matrix):
            dx, dy = matrix.a, matrix.b
        else:
            dx, dy = 1.0, 0.0
        length = math.hypot(dx, dy) or 1.0
        dx, dy = dx / length, dy / length
        far = max(
            (corner_x - x0) * dx + (corner_y - y0) * dy
            for entry in run
            for corner_x in (entry[2], entry[4])
            for corner_y in (entry[3], entry[5])
        )
        size = raw.FPDFText_GetFontSize(textpage, plan.chars[-1][0]) if indices else 10.0
        size = size or (run[0][5] - run[0][3]) or 10.0
        natural = text_width(occurrence.codename) * size
        squeeze = min(1.0, far / natural) if natural > 0 and far > 0 else 1.0
        plan.draws.append(((dx, dy, -dy, dx, x0, y0), occurrence.codename, size, squeeze))


def _rewrite_page(
    pdf: Any, page: Any, pdfium_page: Any, plan: _PagePlan, font: CodenameFont
) -> None:
    """Remove the terms' glyphs from the page's content stream and draw the codenames."""
    import ctypes

    import pikepdf
    import pypdfium2.raw as raw

    instructions = pikepdf.parse_content_stream(page)
    resources = _inherited(page.obj, "/Resources")
    fonts = resources.get("/Font") if resources is not None else None
    drawn = glyphs(instructions, fonts)
    textpage = pdfium_page.get_textpage()
    removed: dict[int, Glyph] = {}
    for indices in plan.chars:
        for index in indices:
            x, y = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(textpage, index, x, y)
            hits = [
                glyph
                for glyph in drawn
                if abs(glyph.x - x.value) <= max(0.5, 0.2 * glyph.size)
                and abs(glyph.y - y.value) <= max(0.5, 0.2 * glyph.size)
            ]
            if not hits:
                raise Unsupported("a term's character is not in the page's own content")
            for glyph in hits:
                if glyph.invisible:
                    raise Unsupported("invisible text (an OCR layer)")
                removed[id(glyph)] = glyph
    new = without(instructions, list(removed.values()))
    body = pikepdf.unparse_content_stream(new)
    closing = b"\nQ" * balance(new)
    overlay = _overlay(plan, font)
    content = b"q\n" + body + closing + b"\nQ\n" + overlay
    _own_resources(page, resources)
    page.obj.Resources.Font[_FONT_KEY] = font.font
    page.obj.Contents = pdf.make_stream(content)


def _inherited(obj: Any, key: str) -> Any:
    for _ in range(64):
        if key in obj:
            return obj[key]
        if "/Parent" not in obj:
            return None
        obj = obj.Parent
    return None


def _own_resources(page: Any, resources: Any) -> None:
    """Give the page a resource dictionary of its own (copied, the originals shared with
    other pages left alone), with a font dictionary of its own."""
    import pikepdf

    own = pikepdf.Dictionary()
    if resources is not None:
        for key in resources:
            own[key] = resources[key]
    fonts = pikepdf.Dictionary()
    if "/Font" in own:
        for key in own.Font:
            fonts[key] = own.Font[key]
    own.Font = fonts
    page.obj.Resources = own


def _overlay(plan: _PagePlan, font: CodenameFont) -> bytes:
    parts = []
    for (a, b, c, d, e, f), codename, size, squeeze in plan.draws:
        codes = font.encode(codename)
        if not codes:
            continue
        parts.append(
            f"q BT 0 Tr 0 g {_FONT_KEY} {size:.3f} Tf {squeeze * 100:.2f} Tz "
            f"{a:.5f} {b:.5f} {c:.5f} {d:.5f} {e:.3f} {f:.3f} Tm <{codes.hex()}> Tj ET Q\n"
        )
    return "".join(parts).encode("ascii")


def _still_there(output: bytes, plans: list[_PagePlan], dictionary: Any) -> set[int]:
    """Return the rewritten pages on which pdfium still finds a term."""
    document = open_pdfium(output)
    try:
        return {
            plan.number
            for plan in plans
            if len(dictionary.sanitizer.find(page_text(document[plan.number - 1]).text))
        }
    finally:
        document.close()


def _rasterise(pdf: Any, page: Any, pdfium_page: Any, plan: _PagePlan, font: CodenameFont) -> None:
    """Replace the page's content by a picture of it with the terms painted out, and the
    codenames drawn over it."""
    import pikepdf
    from PIL import ImageDraw

    rotation = int(page.obj.get("/Rotate", 0)) % 360
    bitmap = pdfium_page.render(
        scale=DPI / 72, rotation=(360 - rotation) % 360, draw_annots=False, may_draw_forms=False
    )
    convert = bitmap.get_posconv(pdfium_page)
    image = bitmap.to_pil().convert("RGB")
    draw = ImageDraw.Draw(image)
    for left, bottom, right, top in plan.boxes:
        corners = [
            convert.to_bitmap(x, y)
            for x, y in ((left, bottom), (right, bottom), (right, top), (left, top))
        ]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        draw.rectangle((min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1), fill="white")
    box = _inherited(page.obj, "/CropBox") or _inherited(page.obj, "/MediaBox")
    left, bottom, right, top = (float(v) for v in box)
    width, height = image.size
    stream = pdf.make_stream(
        zlib.compress(image.tobytes(), 6),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=width,
        Height=height,
        ColorSpace=pikepdf.Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=pikepdf.Name.FlateDecode,
    )
    stream.stream_dict.Filter = pikepdf.Name.FlateDecode
    page.obj.Resources = pikepdf.Dictionary(
        XObject=pikepdf.Dictionary({_IMAGE_KEY: stream}),
        Font=pikepdf.Dictionary({_FONT_KEY: font.font}),
    )
    content = (
        f"q {right - left:.3f} 0 0 {top - bottom:.3f} {left:.3f} {bottom:.3f} cm "
        f"{_IMAGE_KEY} Do Q\n"
    ).encode("ascii") + _overlay(plan, font)
    page.obj.Contents = pdf.make_stream(content)
    bitmap.close()


def _structure(
    pdf: Any,
    dictionary: Any,
    notes: list[Note],
    counts: dict[int, int],
    replacements: list[Replacement],
) -> bool:
    """Rewrite the terms in every string outside the page content; remove XMP metadata
    holding a term and every attached file. Return whether anything changed."""
    import pikepdf

    changed: dict[str, int] = {}
    redraw = []
    for string in list(structure_strings(pdf)):
        replaced, matches = dictionary.sanitizer.replace(string.text)
        if not len(matches):
            continue
        for pattern, start, end in matches.tuples():
            term = dictionary.term_of_pattern(pattern)
            index = term_index(dictionary, term)
            counts[index] = counts.get(index, 0) + 1
            replacements.append(
                Replacement(
                    location=Location("", "structure", str(string.key).lstrip("/")),
                    found=string.text[start:end],
                    replacement=term.codename,
                    term=term,
                    before=string.text[max(0, start - CONTEXT) : start],
                    after=string.text[end : end + CONTEXT],
                )
            )
        string.holder[string.key] = pikepdf.String(replaced)
        changed[string.where] = changed.get(string.where, 0) + 1
        if string.annotation is not None:
            redraw.append(string.annotation)
    for annotation in redraw:
        if "/AP" in annotation:
            del annotation["/AP"]
    if any(str(a.get("/Subtype", "")) == "/Widget" for a in redraw) and "/AcroForm" in pdf.Root:
        pdf.Root.AcroForm.NeedAppearances = True
    for where in ("info", "bookmark", "annotation", "form", "other"):
        if changed.get(where):
            notes.append(Note(where, changed[where]))
    xmp = 0
    for stream, text in list(xmp_streams(pdf)):
        if len(dictionary.sanitizer.find(text)) or not text:
            xmp += 1
            _drop_metadata(pdf, stream)
    if xmp:
        notes.append(Note("xmp", xmp))
    attachments = _drop_attachments(pdf)
    if attachments:
        notes.append(Note("attachments", attachments))
    return bool(changed or xmp or attachments)


def _drop_metadata(pdf: Any, stream: Any) -> None:
    for obj in [pdf.Root, *(page.obj for page in pdf.pages)]:
        metadata = obj.get("/Metadata")
        if metadata is not None and metadata.objgen == stream.objgen:
            del obj["/Metadata"]
    stream.write(b"")


def _drop_attachments(pdf: Any) -> int:
    count = 0
    names = pdf.Root.get("/Names")
    if names is not None and "/EmbeddedFiles" in names:
        count += len(pdf.attachments)
        del names["/EmbeddedFiles"]
    if "/AF" in pdf.Root:
        del pdf.Root["/AF"]
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        keep = [a for a in annotations if str(a.get("/Subtype", "")) != "/FileAttachment"]
        if len(keep) != len(annotations):
            count += len(annotations) - len(keep)
            page.obj.Annots = pdf.make_indirect(keep) if annotations.is_indirect else keep
    return count
