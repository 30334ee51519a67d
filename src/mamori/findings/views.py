from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mamori.accounts.roles import Capability
from mamori.core.views import ProtectedTemplateView, ProtectedView, paginate
from mamori.engines.rules import Severity
from mamori.findings.registry import specs
from mamori.findings.selectors import (
    counts_by_severity,
    finding_views,
    hidden_rules,
    open_findings,
)
from mamori.findings.services import findings_refresh


class FindingListView(ProtectedTemplateView):
    """Everything the rules found wrong, worst first, with the fix for each."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "findings/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        rule = params.get("rule", "")
        rule = rule if rule in specs().rules else ""
        try:
            severity = int(params.get("severity", "") or 0)
        except ValueError:
            severity = 0
        severity = severity if severity in {s.value for s in Severity} else 0
        user = self.request.user
        page = paginate(
            self.request, open_findings(rule=rule, severity=severity or None, user=user), 50
        )
        return super().get_context_data(
            page=page,
            findings=finding_views(page.object_list),
            counts=counts_by_severity(user),
            rules=sorted(
                (r for r in specs().rules.values() if r.id not in hidden_rules(user)),
                key=lambda r: (-r.severity, r.id),
            ),
            severities=sorted(Severity, reverse=True),
            selected_rule=rule,
            selected_severity=severity,
            **kwargs,
        )


class FindingRefreshView(ProtectedView):
    """Re-run every rule now (they also run by themselves whenever the registers change)."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.PROGRAMME_VIEW
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        findings_refresh()
        return redirect("findings:list")


class FindingExportView(ProtectedView):
    """The open findings as JSON, as ``mamori findings --format json`` prints them."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        data = [view.as_dict() for view in finding_views(open_findings(user=request.user))]
        return HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
