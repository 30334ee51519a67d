"""Lay the report's content out on A4 pages with reportlab's platypus.

Every text is set in the embedded Japanese font; every user-supplied text is escaped
before it reaches a ``Paragraph`` (which reads a small markup language).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mamori.engines.rules import Severity
from mamori.reports.pdf.charts import COLOURS, findings_chart, progress_chart, trend_chart
from mamori.reports.pdf.content import SEVERITY_NAMES, ChecklistLine, ReportContent

__all__ = ["render"]

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


class _Styles:
    def __init__(self, font: str, language: str) -> None:
        # Japanese breaks between any two characters; English only between words.
        wrap = None if language.startswith("en") else "CJK"
        base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap=wrap)
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
        self.muted = ParagraphStyle("muted", parent=self.small, textColor=COLOURS["muted"])
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10.5)
        self.head = ParagraphStyle("head", parent=self.cell, textColor=colors.white)
        self.h1 = ParagraphStyle(
            "h1",
            parent=base,
            fontSize=15,
            leading=21,
            spaceBefore=4,
            spaceAfter=8,
            textColor=COLOURS["brand"],
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=base,
            fontSize=11.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
            textColor=COLOURS["brand"],
        )
        self.title = ParagraphStyle(
            "title",
            parent=base,
            fontSize=22,
            leading=32,
            alignment=TA_CENTER,
            textColor=COLOURS["brand"],
        )
        self.company = ParagraphStyle(
            "company", parent=base, fontSize=16, leading=24, alignment=TA_CENTER
        )
        self.centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)


def _date(value: datetime.date | datetime.datetime | None, fmt: str = "DATE_FORMAT") -> str:
    return date_format(value, fmt) if value else "—"


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(
    rows: list[list[Any]], widths: list[float], styles: _Styles, extra: list | None = None
) -> Table:
    """Return a table whose first row is a header repeated on every page it spans."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                ("BACKGROUND", (0, 0), (-1, 0), COLOURS["brand"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, COLOURS["line"]),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f9")]),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *(extra or []),
            ]
        )
    )
    return table


def _cover(content: ReportContent, styles: _Styles) -> list:
    facts = [
        (_("Growth stage"), content.stage_name or _("Not determined yet")),
        (_("Date"), _date(content.generated_at)),
        (_("Responsible officer"), content.officer or _("Not appointed yet")),
    ]
    if content.officer_appointed_on:
        facts.append((_("Officer appointed on"), _date(content.officer_appointed_on)))
    if content.prepared_by:
        facts.append((_("Prepared by"), content.prepared_by))
    table = Table(
        [[_p(label, styles.muted), _p(value, styles.body)] for label, value in facts],
        colWidths=[45 * mm, 85 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, COLOURS["line"]),
            ]
        )
    )
    audience = (
        _(
            "Edition for outside readers: names of people and counterparties, and the names "
            "of the objects findings concern, are left out."
        )
        if content.outside
        else _("Internal edition: contains names of people and counterparties. Confidential.")
    )
    return [
        Spacer(1, 55 * mm),
        _p(_("Technology-leakage prevention"), styles.centre),
        Spacer(1, 4 * mm),
        _p(_("Programme report"), styles.title),
        Spacer(1, 14 * mm),
        _p(content.company_name or _("Company profile not entered"), styles.company),
        Spacer(1, 18 * mm),
        table,
        Spacer(1, 30 * mm),
        _p(audience, styles.muted),
        _p(
            _(
                "Prepared with mamori after METI's Technology Leakage Prevention Handbook "
                "for Startups (April 2026)."
            ),
            styles.muted,
        ),
        PageBreak(),
    ]


def _summary(content: ReportContent, styles: _Styles, font: str) -> list:
    story: list = [_p(_("Summary"), styles.h1)]
    if content.stage_name:
        story += [
            _p(f"{content.stage_name}: {content.stage_definition}", styles.body),
            _p(
                _("%(done)s of %(total)s applicable checklist rows are done (%(percent)s%%).")
                % {
                    "done": content.rows_done,
                    "total": content.rows_applicable,
                    "percent": content.percent_done,
                },
                styles.body,
            ),
        ]
    story.append(
        _p(
            _("%(count)s findings are open; %(critical)s of them critical.")
            % {
                "count": content.findings_total,
                "critical": content.severity_counts.get(Severity.CRITICAL, 0),
            },
            styles.body,
        )
    )
    story.append(_p(_audit_sentence(content), styles.body))
    if content.channels:
        story += [
            KeepTogether(
                [
                    _p(_("Progress by channel"), styles.h2),
                    progress_chart(content.channels, WIDTH, font),
                ]
            )
        ]
    names = {severity: str(name) for severity, name in SEVERITY_NAMES.items()}
    story.append(
        KeepTogether(
            [
                _p(_("Open findings by severity"), styles.h2),
                findings_chart(content.severity_counts, names, WIDTH, font),
            ]
        )
    )
    trend = [_p(_("Trend over time"), styles.h2), trend_chart(content.trend, WIDTH, font)]
    if content.trend_has_demo_points:
        trend.append(_p(_("Earlier points are made-up demo data."), styles.muted))
    story.append(KeepTogether(trend))
    return story


def _audit_sentence(content: ReportContent) -> str:
    result = content.audit
    if result.ok:
        return _("The audit log is intact: %(count)s entries verified.") % {"count": result.checked}
    reasons = {
        "missing": _("the entry is missing"),
        "link": _("it does not link to the previous entry"),
        "content": _("its content does not match its hash"),
        "truncated": _("newer entries have been removed"),
    }
    return _("The audit log has been tampered with at entry #%(seq)s: %(reason)s.") % {
        "seq": result.failed_seq,
        "reason": reasons.get(result.reason_code, result.reason_code),
    }


def _checklist_table(lines: list[ChecklistLine], styles: _Styles) -> Table:
    header = [
        _("Channel"),
        _("Checklist row"),
        _("Status"),
        _("Owner"),
        _("Evidence"),
        _("Registers"),
        _("Due"),
    ]
    rows: list[list[Any]] = [[_p(text, styles.head) for text in header]]
    extra = []
    for index, line in enumerate(lines, start=1):
        rows.append(
            [
                _p(line.channel, styles.cell),
                _p(line.title, styles.cell),
                _p(line.status_label, styles.cell),
                _p(line.owner or "—", styles.cell),
                _p(line.evidence, styles.cell),
                _p(line.registers or "—", styles.cell),
                _p(_date(line.due, "SHORT_DATE_FORMAT"), styles.cell),
            ]
        )
        colour = COLOURS.get(line.status if line.status != "not_started" else "open")
        extra.append(("LINEBEFORE", (0, index), (0, index), 3, colour))
    widths = [24 * mm, 50 * mm, 19 * mm, 20 * mm, 16 * mm, 19 * mm, 21 * mm]
    widths[1] += WIDTH - sum(widths)
    return _table(rows, widths, styles, extra)


def _checklist(content: ReportContent, styles: _Styles) -> list:
    if not content.checklist:
        return []
    story: list = [
        PageBreak(),
        _p(_("Checklist: %(stage)s") % {"stage": content.stage_name}, styles.h1),
        _p(
            _(
                "Every row of the stage's checklist with its status, owner and the number of "
                "evidence items. 'Registers' says whether mamori's registers support the row."
            ),
            styles.muted,
        ),
        Spacer(1, 3 * mm),
        _checklist_table(content.checklist, styles),
    ]
    if content.carry_over:
        story += [
            _p(_("Rows of earlier stages not yet done"), styles.h2),
            _checklist_table(content.carry_over, styles),
        ]
    return story


def _findings(content: ReportContent, styles: _Styles) -> list:
    story: list = [PageBreak(), _p(_("Open findings"), styles.h1)]
    if not content.findings_total:
        return [*story, _p(_("No findings are open."), styles.body)]
    rows: list[list[Any]] = [
        [_p(text, styles.head) for text in (_("Rule"), _("Severity"), _("Open"))]
    ]
    rows += [
        [_p(r.title, styles.cell), _p(r.severity_name, styles.cell), _p(r.count, styles.cell)]
        for r in content.rule_counts
    ]
    story += [_table(rows, [WIDTH - 50 * mm, 28 * mm, 22 * mm], styles), Spacer(1, 5 * mm)]
    story.append(
        _p(
            _("The %(count)s most severe findings, with how to fix each:")
            % {"count": len(content.findings)},
            styles.h2,
        )
    )
    rows = [[_p(text, styles.head) for text in (_("Severity"), _("Finding and fix"))]]
    extra = []
    fix_label = escape(_("Fix"))
    for index, finding in enumerate(content.findings, start=1):
        text = (
            f"<b>{escape(finding.title)}</b><br/>{escape(finding.message)}<br/>"
            f"<font color='#2f8f5b'>{fix_label}: {escape(finding.fix)}</font>"
        )
        rows.append([_p(finding.severity_name, styles.cell), Paragraph(text, styles.cell)])
        extra.append(("LINEBEFORE", (0, index), (0, index), 3, COLOURS[finding.severity]))
    story.append(_table(rows, [20 * mm, WIDTH - 20 * mm], styles, extra))
    if content.findings_not_listed:
        story.append(
            _p(
                _("%(count)s more open findings are not listed here; mamori lists them all.")
                % {"count": content.findings_not_listed},
                styles.body,
            )
        )
    return story


def _registers(content: ReportContent, styles: _Styles) -> list:
    summary = content.registers
    counts = [
        (_("Technologies to protect"), summary.technologies),
        (_("of which core technologies"), summary.core_technologies),
        (_("Information assets"), summary.assets),
        (_("of which with a secrecy class"), summary.classified_assets),
        (_("People (current)"), summary.current_people),
        (_("Active access grants"), summary.active_grants),
        (_("Open access reviews"), summary.open_reviews),
        (_("Counterparties"), summary.counterparties),
        (_("Contracts in force"), summary.contracts_in_force),
        (_("Disclosures recorded"), summary.disclosures),
        (_("Samples lent out"), summary.samples_out),
        (_("Upcoming exhibitions"), summary.upcoming_exhibitions),
        (_("Overseas sites"), summary.overseas_sites),
        (_("Equipment sent out"), summary.equipment_out),
    ]
    rows: list[list[Any]] = [[_p(_("Register"), styles.head), _p(_("Count"), styles.head)]]
    # The "of which" rows are indented under the row they break down.
    part = ParagraphStyle("part", parent=styles.cell, leftIndent=12)
    rows += [
        [_p(label, part if index in (1, 3) else styles.cell), _p(count, styles.cell)]
        for index, (label, count) in enumerate(counts)
    ]
    return [
        _p(_("Registers"), styles.h1),
        _p(_("The size of each register (counts only, no details)."), styles.muted),
        Spacer(1, 3 * mm),
        _table(rows, [WIDTH - 30 * mm, 30 * mm], styles),
    ]


def _audit(content: ReportContent, styles: _Styles) -> list:
    return [
        _p(_("Audit log"), styles.h1),
        _p(
            _(
                "Every change in mamori, and every view of a trade secret's details, is "
                "written to a hash-chained audit log. It was verified when this report was made:"
            ),
            styles.body,
        ),
        Spacer(1, 2 * mm),
        _p(_audit_sentence(content), styles.body),
    ]


def _numbered_canvas(
    footer: Callable[[Canvas, int, int], None], on_page: Callable[[], None]
) -> type[Canvas]:
    """Return a canvas class that draws ``footer`` with "page n of N" once N is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()
            on_page()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def render(content: ReportContent, *, font: str, on_page: Callable[[], None]) -> tuple[bytes, int]:
    """Return the report as PDF bytes and its number of pages; call ``on_page`` per page."""
    styles = _Styles(font, content.language)
    with override(content.language):
        edition = _("For outside readers") if content.outside else _("Internal – confidential")
        title = _("Programme report")

        def footer(canvas: Canvas, page: int, total: int) -> None:
            if page == 1:
                return
            canvas.saveState()
            canvas.setFont(font, 7.5)
            canvas.setFillColor(COLOURS["muted"])
            canvas.drawString(MARGIN, 10 * mm, f"{content.company_name} · {title} · {edition}")
            canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"{page} / {total}")
            canvas.restoreState()

        story = [
            *_cover(content, styles),
            *_summary(content, styles, font),
            *_checklist(content, styles),
            *_findings(content, styles),
            PageBreak(),
            *_registers(content, styles),
            Spacer(1, 8 * mm),
            *_audit(content, styles),
        ]
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"{title} – {content.company_name}",
            author=content.company_name,
            subject=edition,
            creator="mamori",
            initialFontName=font,
            lang="en" if content.language.startswith("en") else "ja",
        )
        counter = {"pages": 0}

        def count_page() -> None:
            counter["pages"] += 1
            on_page()

        document.build(story, canvasmaker=_numbered_canvas(footer, count_page))
    return buffer.getvalue(), counter["pages"]
