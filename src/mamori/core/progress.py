"""Progress for long CLI jobs (import, export, backup, restore, report).

Every long command shows the same kind of bar on standard error, so that standard output
stays clean for what the command produces (JSON, a file name) and a cron job that
redirects only standard output gets no bar. ``--verbosity 0`` turns it off.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

from tqdm import tqdm

__all__ = ["Progress", "progress", "progress_bar"]

T = TypeVar("T")


class Progress:
    """A counter with a label: ``advance(n)`` as work gets done, ``step(label)`` when a
    new phase starts. A disabled one does nothing, so services can always take one."""

    def __init__(self, bar: tqdm | None = None) -> None:
        self._bar = bar

    def advance(self, amount: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(amount)

    def step(self, label: str, total: int | None = None) -> None:
        """Start a new phase (a register, a table, a section) with its own total."""
        if self._bar is not None:
            self._bar.reset(total=total)
            self._bar.set_description_str(label)

    def write(self, message: str) -> None:
        """Print a line above the bar without breaking it."""
        if self._bar is not None:
            self._bar.write(message, file=self._bar.fp)


@contextmanager
def progress_bar(
    label: str,
    *,
    total: int | None = None,
    unit: str = "",
    stream: TextIO | None = None,
    enabled: bool = True,
) -> Iterator[Progress]:
    """A bar on ``stream`` (standard error by default) for the duration of the block."""
    if not enabled:
        yield Progress(None)
        return
    bar = tqdm(
        total=total,
        desc=label,
        unit=unit or "it",
        file=stream or sys.stderr,
        dynamic_ncols=True,
        mininterval=0.2,
        leave=True,
    )
    try:
        yield Progress(bar)
    finally:
        bar.close()


def progress(
    items: Iterable[T],
    label: str,
    *,
    total: int | None = None,
    stream: TextIO | None = None,
    enabled: bool = True,
) -> Iterator[T]:
    """Iterate over ``items`` with a bar."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress_bar(label, total=total, stream=stream, enabled=enabled) as bar:
        for item in items:
            yield item
            bar.advance()
