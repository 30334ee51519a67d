from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.core.views import (
    ObjectActionsView,
    ProtectedTemplateView,
    ProtectedView,
    inline_action,
    paginate,
)
from mamori.engines.rules import Severity
from mamori.findings import forms, services
from mamori.findings.models import Finding, FindingStatus
from mamori.findings.registry import specs
from mamori.findings.selectors import (
    STATUS_FILTERS,
    counts_by_severity,
    finding_get,
    finding_views,
    findings_expire_on_read,
    hidden_rules,
    open_findings,
)
from mamori.findings.services import findings_request_full_run


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
        status = params.get("status", "")
        status = status if status in STATUS_FILTERS else ""
        user = self.request.user
        mine = params.get("mine") == "1"
        findings_expire_on_read()
        rows = open_findings(
            rule=rule,
            severity=severity or None,
            user=user,
            status=status,
            owner=user if mine else None,
        )
        page = paginate(self.request, rows, 50)
        return super().get_context_data(
            page=page,
            statuses=[
                ("", _("Open and in progress")),
                *((s.value, s.label) for s in FindingStatus),
                ("all", _("All")),
            ],
            selected_status=status,
            mine=mine,
            may_refresh=user.has_capability(Capability.REGISTERS_EDIT),
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
    """Queue a run of every rule in the background (changes of the registers are taken
    into account by themselves).

    It writes (the findings and the audit log), so it needs the right to edit the
    registers: the auditor reads, and triggers nothing."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        findings_request_full_run()
        return redirect("findings:finding_list")


class FindingExportView(ProtectedView):
    """The open findings as JSON, as ``mamori findings --format json`` prints them."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        data = [view.as_dict() for view in finding_views(open_findings(user=request.user))]
        return HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )


class FindingDetailView(ObjectActionsView):
    """One finding: what is wrong, where to fix it, who works it, its status and history."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.CHECKLIST_EDIT
    template_name = "findings/finding.html"
    context_object_name = "finding"
    model = Finding

    def find_object(self, key: Any) -> Finding | None:
        return finding_get(key, self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        finding = self.object
        return super().get_context_data(
            view=finding_views([finding])[0],
            events=finding.events.select_related("actor"),
            comments=finding.comments.select_related("author"),
            unresolved=finding.status != FindingStatus.RESOLVED,
            can_accept=self.can(Capability.COMPANY_MANAGE),
            **kwargs,
        )

    @inline_action(forms.StatusForm, anchor="work", message=_("The status was changed."))
    def status(self, finding: Finding, data: dict[str, Any]) -> None:
        services.finding_status_set(
            finding=finding, status=data["status"], note=data["note"], actor=self.request.user
        )

    @inline_action(
        forms.AcceptForm,
        anchor="work",
        capability=Capability.COMPANY_MANAGE,
        message=_("The risk was accepted."),
    )
    def accept(self, finding: Finding, data: dict[str, Any]) -> None:
        services.finding_accept(
            finding=finding,
            until=data["accepted_until"],
            reason=data["accepted_reason"],
            actor=self.request.user,
        )

    @inline_action(forms.OwnerForm, anchor="work", message=_("The owner was changed."))
    def owner(self, finding: Finding, data: dict[str, Any]) -> None:
        services.finding_owner_set(finding=finding, owner=data["owner"], actor=self.request.user)

    @inline_action(forms.CommentForm, anchor="comments", message=_("The comment was added."))
    def comment(self, finding: Finding, data: dict[str, Any]) -> None:
        services.finding_comment_add(finding=finding, text=data["text"], author=self.request.user)
