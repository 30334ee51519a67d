"""Writes of the reports app: the daily progress snapshot behind the trend chart, and the
PDF report (which takes a snapshot and is recorded in the audit log as an export)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.assessment.selectors import stage_overview
from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import stage_decision_current
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress
from mamori.engines.rules import Severity
from mamori.findings.selectors import counts_by_severity
from mamori.reports.fonts import register_font
from mamori.reports.models import ProgressSnapshot
from mamori.reports.pdf import render, report_content

__all__ = ["REPORT_LANGUAGES", "PdfReport", "report_pdf_create", "snapshot_record"]

REPORT_LANGUAGES = ("ja", "en")


@transaction.atomic
def snapshot_record(
    *, day: datetime.date | None = None, demo: bool = False, **overrides: int
) -> ProgressSnapshot:
    """Store today's progress and open findings (replacing an earlier one of the same day)
    and return it. Taken by every report and every ``mamori notify`` run, so that a daily
    digest gives the trend a point a day.

    ``demo`` and ``overrides`` (``rows_done=3``...) are for the demo builder, which makes up
    a history; a real snapshot of the same day replaces a made-up one.
    """
    day = day or timezone.localdate()
    decision = stage_decision_current()
    values: dict[str, object] = {
        "stage": "",
        "rows_total": 0,
        "rows_done": 0,
        "rows_in_progress": 0,
        "rows_not_applicable": 0,
    }
    if decision is not None:
        overview = stage_overview(get_catalog(), decision.stage)
        values = {
            "stage": decision.stage,
            "rows_total": overview.total,
            "rows_done": overview.done,
            "rows_in_progress": sum(group.in_progress for group in overview.channels),
            "rows_not_applicable": sum(group.not_applicable for group in overview.channels),
        }
    counts = counts_by_severity()
    values.update(
        findings_critical=counts.get(Severity.CRITICAL, 0),
        findings_high=counts.get(Severity.HIGH, 0),
        findings_medium=counts.get(Severity.MEDIUM, 0),
        findings_low=counts.get(Severity.LOW, 0),
        taken_at=timezone.now(),
        is_demo=demo,
    )
    values.update(overrides)
    snapshot, _ = ProgressSnapshot.objects.update_or_create(day=day, defaults=values)
    return snapshot


@dataclass(frozen=True)
class PdfReport:
    data: bytes
    pages: int
    language: str
    outside: bool
    filename: str

    @property
    def size(self) -> int:
        return len(self.data)


def report_pdf_create(
    *,
    user: Any,
    language: str = "ja",
    outside: bool = False,
    progress: Progress | None = None,
) -> PdfReport:
    """Return the programme report as ``user`` may see it (``None``: everything), in
    ``language``; ``outside`` leaves out names of people and counterparties.

    Takes today's progress snapshot first and records the export in the audit log.
    Raise ``ApplicationError`` for a language other than Japanese or English, or when the
    Japanese font is missing.
    """
    if language not in REPORT_LANGUAGES:
        raise ApplicationError(
            _("A report can be made in Japanese (ja) or English (en), not '%(language)s'.")
            % {"language": language}
        )
    font = register_font()
    progress = progress or Progress(None)
    progress.step(_("Reading the programme"))
    snapshot_record()
    content = report_content(user=user, outside=outside, language=language)
    progress.step(_("Laying out pages"))
    data, pages = render(content, font=font, on_page=progress.advance)
    edition = "outside" if outside else "internal"
    audit_record(
        action=Action.EXPORT,
        object_type="reports.pdf",
        object_repr=f"PDF report ({edition}, {language})",
        changes={"edition": edition, "language": language, "pages": pages},
    )
    stamp = content.generated_at.strftime("%Y%m%d")
    suffix = "-outside" if outside else ""
    return PdfReport(
        data=data,
        pages=pages,
        language=language,
        outside=outside,
        filename=f"mamori-report-{stamp}{suffix}-{language}.pdf",
    )
