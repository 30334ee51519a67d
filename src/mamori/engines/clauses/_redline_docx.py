"""The negotiation draft of a Word file: tracked insertions and comments in the original.

Only ``word/document.xml`` and the comments part are rewritten; when the file had no
comments part, ``[Content_Types].xml`` gets one ``Override`` and the document's
relationships one ``Relationship`` (both inserted as text, the rest of those files kept
byte for byte). Every other entry of the package is copied as it was.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from posixpath import dirname, join, normpath

from lxml import etree

from mamori.engines.clauses._errors import CorruptDocument, EncryptedDocument
from mamori.engines.clauses._model import CheckReport, ClauseResult, Contract
from mamori.engines.clauses._readers import (
    W,
    _Numbering,
    _run_text,
    _Styles,
    _val,
    _Zip,
    only_section_break,
)
from mamori.engines.clauses.redline import (
    AUTHOR,
    ClauseText,
    Draft,
    article_number,
    comment_text,
    insertion_comment,
    load_wording,
    needs_work,
    plan_insertions,
)

W_NS = W[1:-1]
DOCUMENT = "word/document.xml"
CONTENT_TYPES = "[Content_Types].xml"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
)
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _rels_part(part: str) -> str:
    return join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Body:
    """The document's paragraphs in order, with their text as the checker reads it."""

    def __init__(self, root: etree._Element, numbering: _Numbering, styles: _Styles):
        self.root = root
        self.body = root.find(f"{W}body")
        if self.body is None:
            raise CorruptDocument("the Word file has no document body")
        self.styles = styles
        self.paragraphs: list[tuple[etree._Element, str]] = []
        self.labels: dict[etree._Element, str] = {}  # Word's own numbers, where it numbers
        for paragraph in self.body.iter(f"{W}p"):
            if any(parent.tag == f"{W}txbxContent" for parent in paragraph.iterancestors()):
                continue
            label = self._label(paragraph, numbering)
            if label.strip():
                self.labels[paragraph] = label
            self.paragraphs.append((paragraph, label + _run_text(paragraph)))

    def _numbering(self, paragraph: etree._Element) -> tuple[str | None, str | None]:
        properties = paragraph.find(f"{W}pPr")
        style = self.styles.resolve(_val(properties, "pStyle"))
        direct = properties.find(f"{W}numPr") if properties is not None else None
        num_id = _val(direct, "numId") if direct is not None else None
        ilvl = _val(direct, "ilvl") if direct is not None else None
        return (num_id if num_id is not None else style["num_id"]), (
            ilvl if ilvl is not None else style["ilvl"]
        )

    def _label(self, paragraph: etree._Element, numbering: _Numbering) -> str:
        num_id, ilvl = self._numbering(paragraph)
        if num_id in (None, "0") or only_section_break(
            paragraph.find(f"{W}pPr"), _run_text(paragraph)
        ):
            return ""
        return numbering.label(num_id, int(ilvl or 0))

    def top_level(self) -> list[tuple[int, etree._Element, str]]:
        return [
            (index, paragraph, text)
            for index, (paragraph, text) in enumerate(self.paragraphs)
            if paragraph.getparent() is self.body
        ]


@dataclass(frozen=True)
class _Heading:
    paragraph: etree._Element  # the paragraph that starts the article
    text: str
    number: int
    title: str = ""  # from a title line above the article (20条（通知） over 第20条 本契約…)
    start: etree._Element | None = None  # that title line, where the article begins


def _headings(body: _Body, articles) -> list[_Heading]:
    """Return the article heading paragraphs, matched in order to the split contract's
    articles by their label (第5条, Article 5, 5.); numbers must grow, so that sub-clauses
    (3.4) and items taken for articles are left out."""
    found: list[_Heading] = []
    paragraphs = body.top_level()
    position, last = 0, 0
    for article in articles:
        label = _squash(article.label)
        for offset in range(position, len(paragraphs)):
            _index, paragraph, text = paragraphs[offset]
            if not _squash(text).startswith(label):
                continue
            number = article_number(text) or article.number
            if number is None or number <= last:
                break
            title, start = "", None
            previous = paragraph.getprevious()
            if previous is not None and previous.tag == f"{W}p":
                above = _run_text(previous).strip()
                if above and len(above) <= 40 and re.search(rf"(?<!\d){number}(?!\d)", above):
                    bracket = re.search(r"[（(]([^）)]{1,30})[）)]", above)
                    title, start = (bracket.group(1) if bracket else ""), previous
            found.append(_Heading(paragraph, text.strip(), number, title, start))
            position, last = offset + 1, number
            break
    return found


def _next_ids(root: etree._Element, comments: etree._Element | None) -> tuple[int, int]:
    """Return the first free revision id and the first free comment id."""
    ids = [0]
    for element in root.iter():
        value = element.get(f"{W}id")
        if value and value.lstrip("-").isdigit():
            ids.append(int(value))
    comment_ids = [0]
    if comments is not None:
        for comment in comments.findall(f"{W}comment"):
            value = comment.get(f"{W}id") or ""
            if value.isdigit():
                comment_ids.append(int(value))
    return max(ids) + 1, max(max(comment_ids), max(ids)) + 1


class _Writer:
    def __init__(self, root: etree._Element, comments: etree._Element, date: str):
        self.revision, self.comment_id = _next_ids(root, comments)
        self.comments = comments
        self.date = date

    def _ins(self, tag: str = "ins") -> etree._Element:
        element = etree.Element(f"{W}{tag}")
        element.set(f"{W}id", str(self.revision))
        element.set(f"{W}author", AUTHOR)
        element.set(f"{W}date", self.date)
        self.revision += 1
        return element

    def paragraph(
        self, text: str, template_ppr: etree._Element | None, rpr: etree._Element | None
    ) -> etree._Element:
        """Return a new paragraph holding ``text``, inserted as a tracked change (its runs
        and its paragraph mark), formatted like the template paragraph."""
        paragraph = etree.Element(f"{W}p")
        ppr = copy.deepcopy(template_ppr) if template_ppr is not None else etree.Element(f"{W}pPr")
        for tag in ("sectPr", "pPrChange"):
            for child in ppr.findall(f"{W}{tag}"):
                ppr.remove(child)
        mark = ppr.find(f"{W}rPr")
        if mark is None:
            mark = etree.SubElement(ppr, f"{W}rPr")
        for child in mark.findall(f"{W}rPrChange"):
            mark.remove(child)
        for tag in ("ins", "del", "moveFrom", "moveTo"):
            for child in mark.findall(f"{W}{tag}"):
                mark.remove(child)
        mark.insert(0, self._ins())
        paragraph.append(ppr)
        inserted = self._ins()
        run = etree.SubElement(inserted, f"{W}r")
        if rpr is not None:
            run_properties = copy.deepcopy(rpr)
            for child in run_properties.findall(f"{W}rPrChange"):
                run_properties.remove(child)
            run.append(run_properties)
        value = etree.SubElement(run, f"{W}t")
        value.text = text
        value.set(XML_SPACE, "preserve")
        paragraph.append(inserted)
        return paragraph

    def comment(self, paragraph: etree._Element, texts: list[str]) -> int:
        """Anchor a comment holding ``texts`` (one paragraph each) on ``paragraph``."""
        comment_id = str(self.comment_id)
        self.comment_id += 1
        start = etree.Element(f"{W}commentRangeStart")
        start.set(f"{W}id", comment_id)
        properties = paragraph.find(f"{W}pPr")
        paragraph.insert(0 if properties is None else paragraph.index(properties) + 1, start)
        end = etree.SubElement(paragraph, f"{W}commentRangeEnd")
        end.set(f"{W}id", comment_id)
        run = etree.SubElement(paragraph, f"{W}r")
        reference = etree.SubElement(run, f"{W}commentReference")
        reference.set(f"{W}id", comment_id)
        comment = etree.SubElement(self.comments, f"{W}comment")
        comment.set(f"{W}id", comment_id)
        comment.set(f"{W}author", AUTHOR)
        comment.set(f"{W}date", self.date)
        comment.set(f"{W}initials", "m")
        for text in texts:
            run = etree.SubElement(etree.SubElement(comment, f"{W}p"), f"{W}r")
            value = etree.SubElement(run, f"{W}t")
            value.text = text
            value.set(XML_SPACE, "preserve")
        return int(comment_id)


def _first_rpr(paragraph: etree._Element) -> etree._Element | None:
    for run in paragraph.iter(f"{W}r"):
        properties = run.find(f"{W}rPr")
        if properties is not None:
            return properties
        return None
    return None


def _body_template(
    body: _Body, heading: etree._Element, headings: set
) -> tuple[etree._Element | None, etree._Element | None]:
    """Return the paragraph properties (without numbering) and the run properties of the
    first body paragraph after ``heading`` — how the new articles' text is formatted."""
    sibling = heading.getnext()
    while sibling is not None:
        if sibling.tag == f"{W}p" and sibling not in headings and _run_text(sibling).strip():
            properties = sibling.find(f"{W}pPr")
            properties = copy.deepcopy(properties) if properties is not None else None
            if properties is not None:
                for child in properties.findall(f"{W}numPr"):
                    properties.remove(child)
            return properties, _first_rpr(sibling)
        sibling = sibling.getnext()
    return None, _first_rpr(heading)


def _find_paragraph(body: _Body, result: ClauseResult, headings: list[_Heading]) -> etree._Element:
    """Return the paragraph that holds a weak clause's quote, else its article's heading."""
    if result.quote:
        quote = _squash(result.quote)
        for probe in (quote, quote[:40], quote[:20]):
            if not probe:
                continue
            for paragraph, text in body.paragraphs:
                if probe in _squash(text):
                    return paragraph
    if result.article:
        article = _squash(result.article)
        for heading in headings:
            squashed = _squash(heading.text)
            if article.startswith(squashed[: len(article)]) or squashed.startswith(article):
                return heading.paragraph
    if headings:
        return headings[0].paragraph
    return body.top_level()[0][1]


def _insertion_point(
    body: _Body, headings: list[_Heading], before: int | None, language: str
) -> tuple[etree._Element, bool]:
    """Return the element the new articles go next to and whether they go before it (else
    after it)."""
    if before is not None:
        heading = headings[before]
        return (heading.start if heading.start is not None else heading.paragraph), True
    wording = load_wording()[language]
    last = headings[-1].paragraph if headings else None
    seen_last = last is None
    for element in list(body.body):
        if element is last:
            seen_last = True
            continue
        if not seen_last:
            continue
        if element.tag == f"{W}p" and wording.signature.search(_run_text(element).strip()):
            return element, True
        if element.tag == f"{W}tbl":
            return element, True
    section = body.body.find(f"{W}sectPr")
    if section is not None and section.getparent() is body.body:
        return section, True
    return body.body[-1], False


def redline_docx(
    data: bytes,
    *,
    name: str,
    report: CheckReport,
    contract: Contract,
    texts: Mapping[str, ClauseText],
    labels: Mapping[str, str],
    now: datetime,
) -> Draft:
    """Return the Word file with the missing clauses inserted as tracked changes and a
    comment on each weak clause (and on each inserted heading, saying why it is proposed)."""
    archive = _Zip(data, name)
    if not archive.has(DOCUMENT):
        if archive.has("EncryptedPackage"):
            raise EncryptedDocument(f"{name or 'the file'} is protected by a password", name=name)
        raise CorruptDocument(f"{name or 'the file'} is a zip but not a Word document", name=name)
    language = report.language if report.language in ("ja", "en") else "ja"
    root = archive.xml(DOCUMENT)
    numbering = _Numbering(archive.xml("word/numbering.xml"))
    body = _Body(root, numbering, _Styles(archive.xml("word/styles.xml")))
    articles = [article for article in contract.articles if article.kind == "article"]
    headings = _headings(body, articles)
    wording = load_wording()[language]
    vocabulary = wording.vocabulary("\n".join(text for _p, text in body.paragraphs))
    missing, weak = needs_work(report)
    before, _unused = plan_insertions(
        [(h.text, h.number, h.title) for h in headings], (), texts, language, vocabulary
    )
    anchor_index = (before - 1) if before is not None else len(headings) - 1
    anchor = headings[anchor_index].paragraph if headings else None
    word_numbered = anchor is not None and bool(body.labels.get(anchor))
    before, insertions = plan_insertions(
        [(h.text, h.number, h.title) for h in headings],
        missing,
        texts,
        language,
        vocabulary,
        renumbered=word_numbered,
    )

    comments_part, comments_root, comments_new = _comments(archive)
    writer = _Writer(root, comments_root, now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    heading_set = {heading.paragraph for heading in headings}
    if insertions:
        heading_ppr = anchor.find(f"{W}pPr") if anchor is not None else None
        heading_rpr = _first_rpr(anchor) if anchor is not None else None
        if anchor is not None:
            body_ppr, body_rpr = _body_template(body, anchor, heading_set)
        else:
            body_ppr, body_rpr = None, None
        target, place_before = _insertion_point(body, headings, before, language)
        new = []
        for insertion in insertions:
            heading_text = insertion.heading
            if word_numbered:
                heading_text = insertion.heading[len(insertion.label) :].strip(" .（）()　")
            heading = writer.paragraph(heading_text, heading_ppr, heading_rpr)
            writer.comment(heading, insertion_comment(texts[insertion.key], language, labels))
            new += [heading, writer.paragraph(insertion.text, body_ppr, body_rpr)]
        for element in new:
            if place_before:
                target.addprevious(element)
            else:
                target.addnext(element)
                target = element
    commented = []
    for result in weak:
        paragraph = _find_paragraph(body, result, headings)
        writer.comment(
            paragraph, comment_text(result, texts.get(result.key), language, labels, vocabulary)
        )
        commented.append(result.key)

    if not insertions and not commented:
        return Draft(data=data, kind="tracked", inserted=(), commented=())
    replaced = {DOCUMENT: _serialise(root)}
    changed = [DOCUMENT]
    if writer.comments is not None and len(writer.comments):
        replaced[comments_part] = _serialise(comments_root)
        changed.append(comments_part)
        if comments_new:
            replaced.update(_register_comments(archive, comments_part))
            changed += [part for part in replaced if part not in changed]
    output = _rewrite(data, replaced)
    return Draft(
        data=output,
        kind="tracked",
        inserted=insertions,
        commented=tuple(commented),
        changed_parts=tuple(changed),
    )


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _comments(archive: _Zip) -> tuple[str, etree._Element, bool]:
    """Return the comments part's name, its root and whether it is new."""
    rels = archive.xml(_rels_part(DOCUMENT))
    if rels is not None:
        for relationship in rels:
            external = relationship.get("TargetMode") == "External"
            if relationship.get("Type") == COMMENTS_TYPE and not external:
                part = normpath(join("word", relationship.get("Target", "")))
                root = archive.xml(part)
                if root is not None:
                    return part, root, False
    if archive.has("word/comments.xml"):
        root = archive.xml("word/comments.xml")
        return "word/comments.xml", root, False
    return "word/comments.xml", etree.Element(f"{W}comments", nsmap={"w": W_NS}), True


def _register_comments(archive: _Zip, part: str) -> dict[str, bytes]:
    """Return ``[Content_Types].xml`` and the document's relationships with the comments
    part added — as text inserted before the closing tag, the rest unchanged."""
    changed = {}
    raw = archive.archive.read(CONTENT_TYPES).decode("utf-8")
    if f'PartName="/{part}"' not in raw:
        override = f'<Override PartName="/{part}" ContentType="{COMMENTS_CONTENT_TYPE}"/>'
        changed[CONTENT_TYPES] = _insert_before_close(raw, "Types", override).encode("utf-8")
    rels_name = _rels_part(DOCUMENT)
    target = part.split("/", 1)[1] if part.startswith("word/") else "/" + part
    if archive.has(rels_name):
        raw = archive.archive.read(rels_name).decode("utf-8")
        ids = set(re.findall(r'\bId="([^"]+)"', raw))
        number = 1
        while f"rIdMamori{number}" in ids:
            number += 1
        relationship = (
            f'<Relationship Id="rIdMamori{number}" Type="{COMMENTS_TYPE}" Target="{target}"/>'
        )
        changed[rels_name] = _insert_before_close(raw, "Relationships", relationship).encode(
            "utf-8"
        )
    else:
        changed[rels_name] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdMamori1" Type="{COMMENTS_TYPE}" Target="{target}"/>'
            "</Relationships>"
        ).encode()
    return changed


def _insert_before_close(raw: str, tag: str, addition: str) -> str:
    match = re.search(rf"</(?:\w+:)?{tag}>\s*$", raw)
    if match is None:
        raise CorruptDocument(f"the Word file's {tag} part is damaged")
    return raw[: match.start()] + addition + raw[match.start() :]


def _rewrite(data: bytes, replaced: Mapping[str, bytes]) -> bytes:
    """Return the package with the ``replaced`` parts (new ones last); every other entry is
    copied with its bytes, name, date and compression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        names = set()
        for info in source.infolist():
            names.add(info.filename)
            content = replaced.get(info.filename)
            if content is None:
                content = source.read(info.filename)
                target.writestr(info, content)
            else:
                clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                clone.compress_type = zipfile.ZIP_DEFLATED
                clone.external_attr = info.external_attr
                target.writestr(clone, content)
        for part, content in replaced.items():
            if part not in names:
                info = zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, content)
    return buffer.getvalue()
