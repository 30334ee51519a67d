"""Geometry of a person's daily timeline: one row of bars per indicator, days left to
right, the departure notice marked across all rows (server-rendered SVG, no JavaScript)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mamori.engines.watch import INDICATORS

LABEL_WIDTH = 210
PLOT_WIDTH = 660
ROW_HEIGHT = 34
BAR_AREA = 24
TOP = 26  # room for the notice label
AXIS = 22  # room for the dates below


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    day: datetime.date
    unusual: bool


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    baseline_y: int
    peak: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    notice_x: float | None
    notice_anchor: str
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    plot_right: int = LABEL_WIDTH + PLOT_WIDTH
    top: int = TOP

    @property
    def axis_y(self) -> int:
        return self.height - AXIS + 14

    @property
    def plot_bottom(self) -> int:
        return self.height - AXIS


def timeline_chart(series: list, anchor: datetime.date, language: str = "ja") -> Timeline:
    """Return the chart of a stored series ``[[day, [counts], [unusual]], ...]``.

    Each row is scaled to its own highest day, so that a rare indicator is as readable
    as a frequent one; the row's label carries that highest count.
    """
    days = [datetime.date.fromisoformat(item[0]) for item in series]
    count = max(len(days), 1)
    step = PLOT_WIDTH / count
    width = max(step - 1, 1.0)
    rows = []
    for index, indicator in enumerate(INDICATORS):
        y = TOP + index * ROW_HEIGHT
        baseline = y + BAR_AREA
        values = [item[1][index] for item in series]
        peak = max(values, default=0)
        bars = []
        for position, (day, item) in enumerate(zip(days, series, strict=True)):
            value = item[1][index]
            if not value:
                continue
            height = max(BAR_AREA * value / peak, 1.5)
            bars.append(
                Bar(
                    x=round(LABEL_WIDTH + position * step, 2),
                    y=round(baseline - height, 2),
                    width=round(width, 2),
                    height=round(height, 2),
                    count=value,
                    day=day,
                    unusual=bool(item[2][index]),
                )
            )
        rows.append(
            Row(
                label=indicator.short(language),
                y=y,
                baseline_y=baseline,
                peak=peak,
                bars=tuple(bars),
            )
        )
    ticks = []
    for position, day in enumerate(days):
        if day.day in (1, 15):
            label = f"{day.month}/{day.day}"
            ticks.append(Tick(x=round(LABEL_WIDTH + position * step, 2), label=label))
    notice_x = None
    if days and days[0] <= anchor <= days[-1]:
        notice_x = round(LABEL_WIDTH + (anchor - days[0]).days * step + step / 2, 2)
    notice_anchor = "end" if notice_x and notice_x > LABEL_WIDTH + PLOT_WIDTH - 40 else "middle"
    height = TOP + len(INDICATORS) * ROW_HEIGHT + AXIS
    return Timeline(
        rows=tuple(rows),
        ticks=tuple(ticks),
        notice_x=notice_x,
        notice_anchor=notice_anchor,
        width=LABEL_WIDTH + PLOT_WIDTH + 10,
        height=height,
    )
