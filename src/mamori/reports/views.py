from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from mamori.accounts.roles import Capability
from mamori.assessment.selectors import stage_overview
from mamori.audit.reading import EntryReader
from mamori.audit.selectors import SecretMask, recent_entries
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import company_get, stage_decision_current
from mamori.core.views import AUTHENTICATED, DownloadView, ProtectedTemplateView
from mamori.exportcontrol.selectors import framework_coverage
from mamori.findings.selectors import (
    counts_by_severity,
    finding_views,
    my_findings,
    open_findings,
)
from mamori.reports.charts import progress_chart
from mamori.reports.selectors import registers_summary
from mamori.reports.services import report_pdf_create

DUE_SOON_DAYS = 14
TOP_FINDINGS = 5


class DashboardView(ProtectedTemplateView):
    """The programme at a glance: stage, progress by channel, what is due, what changed."""

    capability = AUTHENTICATED
    template_name = "reports/dashboard.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_capability(Capability.PROGRAMME_VIEW):
            # Employees have their own page; the programme is not theirs to see.
            return redirect("people:me")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        catalog = get_catalog()
        decision = stage_decision_current()
        overview = stage_overview(catalog, decision.stage) if decision else None
        today = timezone.localdate()
        due = []
        if overview:
            states = [s for group in overview.channels for s in group.rows]
            states += [state for _, state in overview.carry_over]
            horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
            due = sorted(
                (
                    s
                    for s in states
                    if s.answer
                    and s.answer.due_date
                    and s.answer.due_date <= horizon
                    and not s.is_complete
                ),
                key=lambda s: s.answer.due_date,
            )
        user = self.request.user
        top = finding_views(open_findings(user=user)[:TOP_FINDINGS])
        return super().get_context_data(
            findings=top,
            mine=my_findings(user, TOP_FINDINGS),
            finding_counts=counts_by_severity(user),
            company=company_get(),
            decision=decision,
            overview=overview,
            chart=progress_chart(overview.channels) if overview else None,
            due=due,
            today=today,
            framework_coverage=framework_coverage() if overview else [],
            recent=EntryReader().read(SecretMask(self.request.user).entries(recent_entries(10)))
            if self.request.user.has_capability(Capability.AUDIT_VIEW)
            else [],
            **kwargs,
        )


class RegistersView(ProtectedTemplateView):
    """The registers the handbook asks for, with their size, as one starting point."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "reports/registers.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(summary=registers_summary(), **kwargs)


class ToolsView(ProtectedTemplateView):
    """The working tools: black-boxing, the contract checker, the departure watch, export
    control and screening, reports — whichever the user's role may open."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "reports/tools.html"


class ReportPdfView(DownloadView):
    """Download the programme report as a PDF, as the user sees the programme;
    ``?edition=outside`` leaves out names of people and counterparties, ``?language=en``
    writes it in English (default: the user's language)."""

    capability = Capability.PROGRAMME_VIEW

    def download(self) -> HttpResponse:
        request = self.request
        language = request.GET.get("language") or translation.get_language() or "ja"
        language = "en" if language.startswith("en") else "ja"
        report = report_pdf_create(
            user=request.user,
            language=language,
            outside=request.GET.get("edition") == "outside",
        )
        response = HttpResponse(report.data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
        # Names of people and findings: not for shared caches or the browser's disk cache.
        response["Cache-Control"] = "private, no-store"
        return response

    def refused_url(self) -> str:
        return reverse("reports:dashboard")
