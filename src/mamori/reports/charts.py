"""Geometry for the server-rendered SVG charts (no JavaScript, nothing from outside)."""

from __future__ import annotations

from dataclasses import dataclass

from mamori.assessment.selectors import ChannelProgress

LABEL_WIDTH = 250
BAR_WIDTH = 300
COUNT_WIDTH = 130  # "Not applicable" in English fits
ROW_HEIGHT = 36
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Segment:
    kind: str  # done | in_progress | not_applicable | open
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class Bar:
    progress: ChannelProgress
    y: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class ProgressChart:
    bars: tuple[Bar, ...]
    width: int = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT
    row_height: int = ROW_HEIGHT

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * self.row_height

    @property
    def count_x(self) -> int:
        return self.label_width + self.bar_width + 10


def progress_chart(channels: list[ChannelProgress]) -> ProgressChart:
    """Return one stacked bar per channel: done, in progress, not applicable, open."""
    bars = []
    for index, group in enumerate(channels):
        counts = [
            ("done", group.done),
            ("in_progress", group.in_progress),
            ("not_applicable", group.not_applicable),
            ("open", group.total - group.done - group.in_progress - group.not_applicable),
        ]
        x, segments = float(LABEL_WIDTH), []
        for kind, count in counts:
            if not count:
                continue
            width = BAR_WIDTH * count / group.total
            segments.append(Segment(kind=kind, x=round(x, 2), width=round(width, 2), count=count))
            x += width
        bars.append(Bar(progress=group, y=index * ROW_HEIGHT, segments=tuple(segments)))
    return ProgressChart(bars=tuple(bars))
