"""The contract checker's report as a document to keep or send: PDF (reportlab, with its
built-in Japanese font, so nothing needs installing) or Word (python-docx).

Both show the file checked, the type, and per required clause its status, the article and
sentence that carry it, why it matters (with its source: the handbook, another guideline,
or mamori's own recommendation), what makes it weak, and the model wording for every
clause that is missing or weak.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mamori.contracts.checker import CheckLine, check_lines, check_needing_work, check_summary
from mamori.contracts.models import ContractCheck, ContractKind
from mamori.contracts.statuses import status_label

FONT = "HeiseiKakuGo-W5"


def _facts(check: ContractCheck, language: str) -> list[tuple[str, str]]:
    kind = str(ContractKind(check.kind).label)
    if check.kind_guessed:
        kind = _("%(kind)s (guessed, confidence %(confidence)d%%)") % {
            "kind": kind,
            "confidence": round(check.type_confidence * 100),
        }
    facts = [
        (_("File"), check.file_name),
        (_("Type"), kind),
        (_("Checked on"), timezone.localtime(check.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("Articles found"), str(check.article_count)),
    ]
    if check.contract_id:
        facts.insert(0, (_("Contract"), check.contract.title))
    return facts


def _text(text, language: str) -> str:
    return text.get(language) if hasattr(text, "get") else str(text)


def _summary_lines(lines: list[CheckLine], language: str) -> list[str]:
    """Return the counts by status, then the missing and the weak clauses by name."""
    counts = check_summary(lines)
    summary = [
        _(", ").join(
            f"{status_label(status)} {counts[status]}" for status in ("missing", "weak", "present")
        )
    ]
    for status, needing in check_needing_work(lines).items():
        if needing:
            titles = _(", ").join(_text(line.clause.title, language) for line in needing)
            summary.append(f"{status_label(status)}: {titles}")
    return summary


def file_stem(check: ContractCheck) -> str:
    """Return the checked file's name without its extension (``contract`` when empty)."""
    return check.file_name.rsplit(".", 1)[0] or "contract"


def filename(check: ContractCheck, extension: str) -> str:
    """Return the report's download name: 契約書チェック_<file>_<date>.<extension>."""
    prefix = pgettext("file name", "Contract check")
    return f"{prefix}_{file_stem(check)}_{timezone.localtime(check.created_at):%Y%m%d}.{extension}"


def _no_wrap(cell) -> None:
    """Keep an article number such as 第1条（目的） on one line in a Word table cell."""
    from docx.oxml import OxmlElement

    cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))


def report_docx(check: ContractCheck, language: str) -> bytes:
    """Return the report as a Word document."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    lines = check_lines(check, required_only=True)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "MS Mincho"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "MS Mincho")
    style.font.size = Pt(10.5)
    document.add_heading(_("Contract check report"), level=0)
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in _facts(check, language):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    for text in _summary_lines(lines, language):
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells,
        (_("Clause"), _("Status"), _("Article no."), _("What it says")),
        strict=True,
    ):
        cell.text = label
    for line in lines:
        cells = table.add_row().cells
        cells[0].text = _text(line.clause.title, language)
        cells[1].text = line.status_label
        cells[2].text = line.article or "—"
        _no_wrap(cells[2])
        notes = [line.quote or "", *line.reason_texts(language)]
        cells[3].text = "\n".join(note for note in notes if note) or "—"
    needing = [line for line in lines if line.needs_model]
    if needing:
        document.add_heading(_("What to add or strengthen"), level=1)
        for line in needing:
            document.add_heading(f"{_text(line.clause.title, language)}（{line.status_label}）", 2)
            document.add_paragraph(_text(line.clause.why, language))
            document.add_paragraph(_text(line.clause.provenance, language))
            if line.status == "weak":
                document.add_paragraph(_text(line.clause.weak.text, language))
            document.add_paragraph(_("Model wording:"))
            document.add_paragraph(_text(line.clause.model, language), style="Intense Quote")
    document.add_paragraph(
        _(
            "The model wordings are written by mamori as a starting point; have the final "
            "text checked by a lawyer."
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_pdf(check: ContractCheck, language: str) -> bytes:
    """Return the report as an A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=11)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontSize=11, leading=16, spaceBefore=8)
    # No CJK wrapping for article numbers: 第1条（目的） stays whole.
    article = ParagraphStyle("article", parent=small, wordWrap=None)
    quote = ParagraphStyle("quote", parent=body, leftIndent=8, textColor=colors.HexColor("#1f4e79"))

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text or "").replace("\n", "<br/>"), style)

    lines = check_lines(check, required_only=True)
    story = [para(_("Contract check report"), title)]
    facts = Table(
        [[para(label, small), para(value, small)] for label, value in _facts(check, language)],
        colWidths=[35 * mm, 125 * mm],
    )
    facts.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    story += [facts, Spacer(1, 4 * mm)]
    story += [para(text) for text in _summary_lines(lines, language)]
    story.append(Spacer(1, 3 * mm))
    rows = [
        [
            para(label, small)
            for label in (_("Clause"), _("Status"), _("Article no."), _("What it says"))
        ]
    ]
    for line in lines:
        notes = "\n".join(n for n in [line.quote or "", *line.reason_texts(language)] if n)
        rows.append(
            [
                para(_text(line.clause.title, language), small),
                para(line.status_label, small),
                para(line.article or "—", article),
                para(notes or "—", small),
            ]
        )
    table = Table(rows, colWidths=[34 * mm, 14 * mm, 40 * mm, 72 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    needing = [line for line in lines if line.needs_model]
    if needing:
        story.append(para(_("What to add or strengthen"), heading))
        for line in needing:
            story.append(
                para(f"{_text(line.clause.title, language)}（{line.status_label}）", heading)
            )
            story.append(para(_text(line.clause.why, language)))
            story.append(para(_text(line.clause.provenance, language), small))
            if line.status == "weak":
                story.append(para(_text(line.clause.weak.text, language), small))
            story.append(para(_("Model wording:"), small))
            story.append(para(_text(line.clause.model, language), quote))
    story += [
        Spacer(1, 4 * mm),
        para(
            _(
                "The model wordings are written by mamori as a starting point; have the final "
                "text checked by a lawyer."
            ),
            small,
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Contract check report"),
    ).build(story)
    return buffer.getvalue()
