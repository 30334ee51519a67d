"""Daily snapshots of the programme's progress and open findings, for the trend chart.

A snapshot is derived data (like a finding): it is rebuilt from the checklist and the
findings, so it is not written to the audit log — recording it must not make the
findings look stale, and the report that takes one must not change the log it reports on.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressSnapshot(models.Model):
    """The checklist progress and open findings of one day (the last taken that day)."""

    day = models.DateField(_("day"), unique=True)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_in_progress = models.PositiveIntegerField(default=0)
    rows_not_applicable = models.PositiveIntegerField(default=0)
    findings_critical = models.PositiveIntegerField(default=0)
    findings_high = models.PositiveIntegerField(default=0)
    findings_medium = models.PositiveIntegerField(default=0)
    findings_low = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(_("taken at"))
    # Made up by ``mamori demo`` so that the trend chart has a history; a real snapshot
    # of the same day replaces it.
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["day"]
        verbose_name = _("progress snapshot")
        verbose_name_plural = _("progress snapshots")

    def __str__(self) -> str:
        return f"{self.day}: {self.rows_done}/{self.rows_total}"

    @property
    def applicable(self) -> int:
        return self.rows_total - self.rows_not_applicable

    @property
    def percent_done(self) -> int:
        """Share of applicable rows that are done (100 when nothing applies)."""
        return round(100 * self.rows_done / self.applicable) if self.applicable else 100

    @property
    def findings_open(self) -> int:
        return (
            self.findings_critical + self.findings_high + self.findings_medium + self.findings_low
        )
