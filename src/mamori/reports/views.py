from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class Card:
    """A card that opens a register or a tool: what it is about, its name, where it
    leads, a number (a register's size) and a line under it."""

    kicker: str
    title: str
    url: str
    note: str = ""
    number: Any = None


def _url(name: str) -> str:
    """Return the address of ``name``, or "" where this installation has no such page."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


class RegistersView(ProtectedTemplateView):
    """The registers the handbook asks for, with their size, as one starting point."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "reports/registers.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        n = summary = registers_summary()
        people = [
            Card(
                "STEP 2",
                _("Technologies to protect"),
                reverse("assets:technology_list"),
                _("%(core)s core technologies") % {"core": n.core_technologies},
                n.technologies,
            ),
            Card(
                "STEP 3",
                _("Information assets"),
                reverse("assets:asset_list"),
                _("%(classified)s with a secrecy class") % {"classified": n.classified_assets},
                n.assets,
            ),
            Card(
                _("Leakage through people"),
                _("People"),
                reverse("people:person_list"),
                _("%(grants)s active access grants") % {"grants": n.active_grants},
                n.current_people,
            ),
            Card(
                "Need-to-Know",
                _("Access reviews"),
                reverse("assets:review_list"),
                _("open reviews"),
                n.open_reviews,
            ),
            Card(
                _("Rules"),
                _("Information-management rules"),
                reverse("rulebook:document_list"),
                _("the rules in force and who has acknowledged them"),
            ),
            Card(
                _("Leakage through people"),
                _("Departures"),
                reverse("lifecycle:departure_list"),
                _("people who gave notice"),
                n.people.get("notified") or 0,
            ),
        ]
        outside = [
            Card(
                "DD",
                _("Counterparties"),
                reverse("partners:counterparty_list"),
                _("partners, suppliers, customers, universities"),
                n.counterparties,
            ),
            Card(
                "NDA",
                _("Contracts"),
                reverse("contracts:contract_list"),
                _("in force"),
                n.contracts_in_force,
            ),
            Card(
                _("Disclosures"),
                _("Disclosure ledger"),
                reverse("disclosures:disclosure_list"),
                _("disclosures recorded"),
                n.disclosures,
            ),
            Card(
                _("Samples"),
                _("Samples lent out"),
                reverse("disclosures:sample_list"),
                _("not yet returned"),
                n.samples_out,
            ),
            Card(
                _("Talking to outsiders"),
                _("Exhibitions"),
                reverse("disclosures:exhibition_list"),
                _("upcoming or running"),
                n.upcoming_exhibitions,
            ),
        ]
        return super().get_context_data(
            summary=summary, registers=people, outside=outside, **kwargs
        )


class ToolsView(ProtectedTemplateView):
    """The working tools: black-boxing, the contract checker, the departure watch, export
    control and screening, reports — whichever the user's role may open."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "reports/tools.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can = self.request.user.has_capability
        tools = [
            Card(
                _("Black-boxing"),
                _("Codenames and document sanitizer"),
                _url("blackbox:index") if can(Capability.BLACKBOX_USE) else "",
                _(
                    "Replace raw-material names, suppliers and process conditions with "
                    "codenames before a document leaves, and check it for anything secret left."
                ),
            ),
            Card(
                _("Contracts"),
                _("Contract checker"),
                _url("contracts:check"),
                _(
                    "Read a draft contract and see, article by article, which required clauses "
                    "it has and which are missing or weak."
                ),
            ),
            Card(
                _("Departures"),
                _("Departure watch"),
                _url("watch:index") if can(Capability.WATCH_VIEW) else "",
                _(
                    "Import access logs and see unusual data movement by people around their "
                    "departure notice."
                ),
            ),
            Card(
                _("Export control"),
                _("Export control and investment screening"),
                _url("exportcontrol:index"),
                _(
                    "Follow up classifications, screen counterparties against the end-user "
                    "list, and check foreign investors."
                ),
            ),
        ]
        return super().get_context_data(tools=[tool for tool in tools if tool.url], **kwargs)


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
