"""The report's charts as reportlab drawings: vector graphics, text in the embedded font.

The colours are the web UI's (``app.css``), so the PDF and the dashboard read alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from mamori.engines.rules import Severity
from mamori.reports.models import ProgressSnapshot
from mamori.reports.pdf.content import ChannelBar

__all__ = ["COLOURS", "findings_chart", "progress_chart", "trend_chart"]

COLOURS = {
    "done": colors.HexColor("#2f8f5b"),
    "in_progress": colors.HexColor("#d49a1c"),
    "not_applicable": colors.HexColor("#9aa5b1"),
    "needs_review": colors.HexColor("#b3261e"),
    "open": colors.HexColor("#e3e7ec"),
    "ink": colors.HexColor("#1f2933"),
    "muted": colors.HexColor("#5f6b7a"),
    "line": colors.HexColor("#d9dee5"),
    "brand": colors.HexColor("#233a6b"),
    Severity.CRITICAL: colors.HexColor("#b3261e"),
    Severity.HIGH: colors.HexColor("#d9622b"),
    Severity.MEDIUM: colors.HexColor("#d49a1c"),
    Severity.LOW: colors.HexColor("#9aa5b1"),
}
ROW = 22
BAR = 13
LABEL = 120
COUNT = 80


def _text(x: float, y: float, text: str, font: str, size: float = 8, **kwargs) -> String:
    kwargs.setdefault("fillColor", COLOURS["ink"])
    return String(x, y, text, fontName=font, fontSize=size, **kwargs)


def _legend(drawing: Drawing, y: float, items: Sequence[tuple[str, object]], font: str) -> None:
    x = 0.0
    for label, colour in items:
        drawing.add(Rect(x, y, 9, 9, fillColor=colour, strokeColor=None))
        drawing.add(_text(x + 12, y + 1, label, font))
        x += 12 + stringWidth(label, font, 8) + 14


def progress_chart(channels: list[ChannelBar], width: float, font: str) -> Drawing:
    """Return one stacked bar per channel: done, in progress, not applicable, not started."""
    height = len(channels) * ROW + 24
    drawing = Drawing(width, height, initialFontName=font)
    bar_width = width - LABEL - COUNT
    for index, channel in enumerate(channels):
        y = height - (index + 1) * ROW
        drawing.add(_text(0, y + 3, channel.name, font, 9))
        drawing.add(Rect(LABEL, y, bar_width, BAR, fillColor=COLOURS["open"], strokeColor=None))
        x = float(LABEL)
        for kind, count in (
            ("done", channel.done),
            ("in_progress", channel.in_progress),
            ("not_applicable", channel.not_applicable),
        ):
            if count and channel.total:
                segment = bar_width * count / channel.total
                drawing.add(Rect(x, y, segment, BAR, fillColor=COLOURS[kind], strokeColor=None))
                x += segment
        applicable = channel.total - channel.not_applicable
        summary = (
            f"{channel.done}/{applicable} ({round(100 * channel.done / applicable)}%)"
            if applicable
            else _("Not applicable")
        )
        drawing.add(_text(LABEL + bar_width + 8, y + 3, summary, font, 9))
    _legend(
        drawing,
        0,
        [
            (_("Done"), COLOURS["done"]),
            (_("In progress"), COLOURS["in_progress"]),
            (_("Not applicable"), COLOURS["not_applicable"]),
            (_("Not started"), COLOURS["open"]),
        ],
        font,
    )
    return drawing


def findings_chart(
    counts: dict[Severity, int], names: dict[Severity, str], width: float, font: str
) -> Drawing:
    """Return one bar per severity, worst first, long in proportion to the open findings."""
    severities = sorted(Severity, reverse=True)
    height = len(severities) * ROW
    drawing = Drawing(width, height, initialFontName=font)
    bar_width = width - LABEL - COUNT
    most = max(counts.values(), default=0) or 1
    for index, severity in enumerate(severities):
        y = height - (index + 1) * ROW + 4
        count = counts.get(severity, 0)
        drawing.add(_text(0, y + 3, names[severity], font, 9))
        drawing.add(Line(LABEL, y - 2, LABEL, y + BAR + 2, strokeColor=COLOURS["line"]))
        if count:
            length = max(bar_width * count / most, 2)
            drawing.add(Rect(LABEL, y, length, BAR, fillColor=COLOURS[severity], strokeColor=None))
        drawing.add(_text(LABEL + bar_width + 8, y + 3, str(count), font, 9))
    return drawing


def _axis_dates(first: datetime.date, last: datetime.date, ticks: int = 6) -> list[datetime.date]:
    span = (last - first).days
    if span == 0:
        return [first]
    step = max(span // (ticks - 1), 1)
    days = [first + datetime.timedelta(days=offset) for offset in range(0, span + 1, step)]
    if (last - days[-1]).days * 3 < step:
        days[-1] = last
    else:
        days.append(last)
    return days


def trend_chart(points: list[ProgressSnapshot], width: float, font: str) -> Drawing:
    """Return the share of applicable rows done (left axis, %) and the open findings
    (right axis) over time, one point a snapshot."""
    height, left, right, bottom, top = 190.0, 34.0, 34.0, 36.0, 10.0
    drawing = Drawing(width, height, initialFontName=font)
    plot_w, plot_h = width - left - right, height - bottom - top
    most_findings = max((p.findings_open for p in points), default=0)
    findings_top = max(4, -(-most_findings // 4) * 4)  # a multiple of 4: whole ticks

    for percent in (0, 25, 50, 75, 100):
        y = bottom + plot_h * percent / 100
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=COLOURS["line"], strokeWidth=0.5))
        drawing.add(_text(left - 4, y - 3, f"{percent}%", font, 7, textAnchor="end"))
        count = round(findings_top * percent / 100)
        drawing.add(_text(left + plot_w + 4, y - 3, str(count), font, 7))
    if not points:
        drawing.add(_text(left + plot_w / 2, bottom + plot_h / 2, _("No data yet"), font, 9))
        return drawing

    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)

    def x_of(day: datetime.date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    for day in _axis_dates(first, last):
        x = x_of(day)
        drawing.add(Line(x, bottom, x, bottom - 3, strokeColor=COLOURS["muted"]))
        drawing.add(_text(x, bottom - 12, f"{day.month}/{day.day}", font, 7, textAnchor="middle"))

    for series, value_of, colour in (
        ("findings", lambda p: p.findings_open / findings_top, COLOURS[Severity.CRITICAL]),
        ("progress", lambda p: p.percent_done / 100, COLOURS["brand"]),
    ):
        coords = []
        for point in points:
            coords += [x_of(point.day), bottom + plot_h * value_of(point)]
        if len(points) > 1:
            dash = [3, 2] if series == "findings" else None
            drawing.add(PolyLine(coords, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash))
        for x, y in zip(coords[::2], coords[1::2], strict=True):
            drawing.add(Circle(x, y, 2.2, fillColor=colour, strokeColor=None))
    _legend(
        drawing,
        0,
        [
            (_("Checklist done (%)"), COLOURS["brand"]),
            (_("Open findings (right axis)"), COLOURS[Severity.CRITICAL]),
        ],
        font,
    )
    return drawing
