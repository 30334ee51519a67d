"""A made-up history of progress snapshots, so that the demo's trend chart has points.

DEMO DATA: a real installation gets one snapshot a day from reports and digests; the
demo company was built a moment ago, so its last eight weeks are invented here — a
weekly point with steadily rising checklist progress and falling open findings, ending
at today's real state. Every invented snapshot is stored with ``is_demo=True`` and the
PDF report says its earlier points are demo data.
"""

from __future__ import annotations

import datetime

from mamori.reports.services import snapshot_record

WEEKS = 8


def build_snapshots(today: datetime.date) -> None:
    """Record today's real snapshot and weekly made-up ones for the ``WEEKS`` before it."""
    current = snapshot_record(day=today)
    for weeks_back in range(WEEKS, 0, -1):
        share = (WEEKS - weeks_back) / WEEKS  # 0 eight weeks ago, nearly 1 last week
        extra = weeks_back  # one problem more for every week back, most of them high
        done = int(current.rows_done * share)
        # The overseas rows were only judged not to apply halfway through.
        not_applicable = current.rows_not_applicable if weeks_back < WEEKS // 2 else 0
        snapshot_record(
            day=today - datetime.timedelta(weeks=weeks_back),
            demo=True,
            rows_done=done,
            rows_in_progress=min(
                current.rows_in_progress + (weeks_back + 1) // 3,
                current.rows_total - done - not_applicable,
            ),
            rows_not_applicable=not_applicable,
            findings_critical=current.findings_critical + weeks_back // 3,
            findings_high=current.findings_high + extra - weeks_back // 3,
            findings_medium=current.findings_medium + weeks_back // 2,
            findings_low=current.findings_low,
        )
