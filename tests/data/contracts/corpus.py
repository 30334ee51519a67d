"""The project's labelled contracts: texts written for mamori, the truth per clause beside
each (``NAME.yaml``), and builders for the Word and PDF versions.

Each ``NAME.yaml`` says the contract's kind, language and format, where its text is
(``source``: a ``.txt`` or ``.md`` beside it, or ``base`` with ``edits`` applied to another
contract's text), and for every clause whether it is present, weak or missing. Word files
are generated (nothing binary is committed): article headings become paragraphs numbered by
Word's automatic numbering (``numbering: article_ja`` gives 第%1条, ``article_en``
"Article %1", ``heading_en`` "%1." in a heading style), ``| a | b |`` lines become table
rows, and ``header`` goes into the page header. ``pdf_from_docx`` prints a Word file's text
as a PDF with a text layer (reportlab's built-in Japanese CID font, nothing to install).
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
STATUSES = ("present", "weak", "missing")
CLAUSE_KEYS = (
    "purpose",
    "definition",
    "confidentiality",
    "third_party_consent",
    "need_to_know",
    "no_other_use",
    "copy_limit",
    "no_reverse_engineering",
    "return_or_destroy",
    "term_survival",
    "remedies",
    "scope_of_technology",
    "no_drawing_copy",
    "no_equipment_relocation",
    "no_subcontracting",
    "results_ownership",
    "publication_review",
    "change_of_control",
)
HEAD_JA = re.compile(r"^第\s*([0-9０-９]+)\s*条(.*)$")
HEAD_EN = re.compile(r"^(Article|Section)\s+(\d+)\.?\s*(.*)$")
HEAD_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(.+)$")
TABLE_ROW = re.compile(r"^\|(.+)\|\s*$")


@dataclass(frozen=True)
class Sample:
    """One labelled contract: its file (bytes and name) and the truth per clause."""

    name: str
    kind: str
    language: str
    format: str
    text: str
    truth: dict[str, str]
    spec: dict[str, Any]

    @property
    def filename(self) -> str:
        return f"{self.name}.{ {'docx': 'docx', 'md': 'md'}.get(self.format, 'txt') }"

    @functools.cached_property
    def data(self) -> bytes:
        if self.format == "docx":
            return build_docx(
                self.text,
                numbering=self.spec.get("numbering", "none"),
                header=self.spec.get("header", ""),
            )
        return self.text.encode("utf-8")


def _heads(spec: dict) -> re.Pattern:
    return (
        HEAD_JA
        if spec.get("language") == "ja"
        else re.compile(f"{HEAD_EN.pattern}|{HEAD_NUMBERED.pattern}")
    )


def apply_edits(text: str, edits: list[dict], head: re.Pattern) -> str:
    """Return ``text`` with ``edits`` applied: ``remove`` deletes the article whose heading
    line starts with the given text (up to the next heading); ``replace`` changes ``old``
    to ``new`` everywhere, or only inside the article named by ``article``."""
    for edit in edits:
        lines = text.split("\n")
        if "remove" in edit:
            start = next(i for i, line in enumerate(lines) if line.startswith(edit["remove"]))
            end = next(
                (i for i in range(start + 1, len(lines)) if head.match(lines[i])), len(lines)
            )
            while end > start and lines[end - 1].startswith(("本契約締結の証", "IN WITNESS")):
                end -= 1
            lines = lines[:start] + lines[end:]
        elif "replace" in edit:
            old, new = edit["replace"]["old"], edit["replace"]["new"]
            article = edit["replace"].get("article")
            if article is None:
                if old not in text:
                    raise ValueError(f"'{old}' is not in the text")
                lines = text.replace(old, new).split("\n")
            else:
                start = next(i for i, line in enumerate(lines) if line.startswith(article))
                end = next(
                    (i for i in range(start + 1, len(lines)) if head.match(lines[i])),
                    len(lines),
                )
                block = "\n".join(lines[start:end])
                if old not in block:
                    raise ValueError(f"'{old}' is not in {article}")
                lines = lines[:start] + block.replace(old, new).split("\n") + lines[end:]
        text = "\n".join(lines)
    return text


def load_sample(path: Path) -> Sample:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "base" in spec:
        base = yaml.safe_load((HERE / f"{spec['base']}.yaml").read_text(encoding="utf-8"))
        text = (HERE / base["source"]).read_text(encoding="utf-8")
        text = apply_edits(text, spec.get("edits", []), _heads(spec))
    else:
        text = (HERE / spec["source"]).read_text(encoding="utf-8")
    truth = spec["truth"]
    unknown = set(truth) ^ set(CLAUSE_KEYS)
    if unknown or any(value not in STATUSES for value in truth.values()):
        raise ValueError(f"{path.name}: truth must give every clause one of {STATUSES}")
    return Sample(
        name=path.stem,
        kind=spec["kind"],
        language=spec["language"],
        format=spec["format"],
        text=text,
        truth=truth,
        spec=spec,
    )


def load_corpus() -> list[Sample]:
    """Return every labelled contract, by name."""
    return [load_sample(path) for path in sorted(HERE.glob("*.yaml"))]


def sample(name: str) -> Sample:
    return load_sample(HERE / f"{name}.yaml")


# --- Word ------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING_FORMATS = {
    "article_ja": ("第%1条", "decimalFullWidth"),
    "article_en": ("Article %1.", "decimal"),
    "heading_en": ("%1.", "decimal"),
}


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _add_list(document, lvl_text: str, fmt: str) -> str:
    """Add an abstract numbering and a list to the document's numbering part; return the
    list's id."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    abstract_id = str(90 + len(numbering.findall(qn("w:abstractNum"))))
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), abstract_id)
    level = OxmlElement("w:lvl")
    level.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", lvl_text)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        level.append(child)
    suffix = OxmlElement("w:suff")
    suffix.set(qn("w:val"), "tab")
    level.append(suffix)
    abstract.append(level)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = str(90 + len(numbering.findall(qn("w:num"))))
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), num_id)
    reference = OxmlElement("w:abstractNumId")
    reference.set(qn("w:val"), abstract_id)
    num.append(reference)
    numbering.append(num)
    return num_id


def _number(paragraph, num_id: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), num_id)
    numbering.extend([ilvl, num])
    properties.append(numbering)


def build_docx(text: str, *, numbering: str = "none", header: str = "") -> bytes:
    """Return a .docx of the contract ``text`` (see the module's docstring)."""
    from docx import Document

    document = Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    num_id = _add_list(document, *NUMBERING_FORMATS[numbering]) if numbering != "none" else None
    lines = text.strip("\n").split("\n")
    document.add_paragraph(lines[0], style="Title")
    table = None
    for line in lines[1:]:
        row = TABLE_ROW.match(line)
        if row:
            cells = [cell.strip() for cell in row.group(1).split("|")]
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
            for cell, value in zip(table.add_row().cells, cells, strict=False):
                cell.text = value
            continue
        table = None
        if not line.strip():
            continue
        head = None
        if numbering == "article_ja":
            match = HEAD_JA.match(line)
            head = match.group(2).strip() if match else None
        elif numbering == "article_en":
            match = HEAD_EN.match(line)
            head = match.group(3).strip() if match else None
        elif numbering == "heading_en":
            match = HEAD_NUMBERED.match(line)
            head = match.group(2).strip() if match else None
        if head is not None:
            paragraph = document.add_paragraph(
                head, style="Heading 2" if numbering == "heading_en" else None
            )
            _number(paragraph, num_id)
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------


def pdf_from_lines(lines: list[str], *, header: str = "", encrypt: str | None = None) -> bytes:
    """Return a PDF (A4, text layer) that prints ``lines`` as paragraphs, wrapped, with
    ``header`` on every page; ``encrypt`` protects it with that user password."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    style = ParagraphStyle(
        "body", fontName="HeiseiMin-W3", fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=4
    )
    buffer = io.BytesIO()

    def on_page(canvas, _doc) -> None:
        canvas.setFont("HeiseiMin-W3", 8)
        if header:
            canvas.drawString(20 * mm, 285 * mm, header)
        canvas.drawCentredString(105 * mm, 10 * mm, f"- {canvas.getPageNumber()} -")

    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        encrypt=encrypt,
    )
    template.build(
        [Paragraph(escape(line), style) for line in lines if line.strip()],
        onFirstPage=on_page,
        onLaterPages=on_page,
    )
    return buffer.getvalue()


def pdf_from_docx(data: bytes, *, encrypt: str | None = None) -> bytes:
    """Return the Word file's text (numbering as Word shows it) printed as a PDF."""
    from mamori.engines.clauses import read_document

    document = read_document(data, "contract.docx")
    header = " ".join(line.text for line in document.lines if line.origin == "header")
    body = [line.text.replace("\t", " ") for line in document.lines if line.origin != "header"]
    return pdf_from_lines(body, header=header, encrypt=encrypt)


# --- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseScore:
    """How well one clause's problems (weak or missing) are found over the corpus.

    A problem is found when the checker gives exactly the true status; a problem reported
    where the truth is another status is a false alarm.
    """

    key: str
    true_positive: int
    false_positive: int
    false_negative: int
    correct: int
    total: int

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0


def evaluate(samples: list[Sample], requirements) -> tuple[list[ClauseScore], list[str]]:
    """Check every sample and return the score per clause, with one line per mistake."""
    from mamori.engines.clauses import check_document

    counts = {key: [0, 0, 0, 0, 0] for key in CLAUSE_KEYS}
    mistakes = []
    for item in samples:
        report = check_document(
            item.data, name=item.filename, requirements=requirements, kind=item.kind
        )
        for key in CLAUSE_KEYS:
            truth, found = item.truth[key], str(report.result(key).status)
            row = counts[key]
            row[4] += 1
            if truth == found:
                row[3] += 1
                if truth != "present":
                    row[0] += 1
                continue
            mistakes.append(f"{item.name}: {key} is {truth}, checker says {found}")
            if found != "present":
                row[1] += 1
            if truth != "present":
                row[2] += 1
    scores = [ClauseScore(key, *counts[key]) for key in CLAUSE_KEYS]
    return scores, mistakes


def overall(scores: list[ClauseScore]) -> tuple[float, float]:
    """Return (precision, recall) over all clauses together."""
    tp = sum(score.true_positive for score in scores)
    fp = sum(score.false_positive for score in scores)
    fn = sum(score.false_negative for score in scores)
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def table(scores: list[ClauseScore]) -> str:
    """Return the per-clause table the benchmark prints."""
    lines = [f"{'clause':<26}{'problems':>9}{'found':>7}{'false':>7}{'precision':>11}{'recall':>8}"]
    for score in scores:
        problems = score.true_positive + score.false_negative
        lines.append(
            f"{score.key:<26}{problems:>9}{score.true_positive:>7}{score.false_positive:>7}"
            f"{score.precision:>11.2f}{score.recall:>8.2f}"
        )
    precision, recall = overall(scores)
    lines.append(f"{'all clauses':<26}{'':>9}{'':>7}{'':>7}{precision:>11.2f}{recall:>8.2f}")
    return "\n".join(lines)
