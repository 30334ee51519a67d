"""Findings and the checklist's status per row."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from mamori.accounts.roles import Capability
from mamori.api.base import ProtectedAPIView, RegisterListView
from mamori.api.filters import NOT_A_CHOICE, Filter
from mamori.api.serializers import programme as s
from mamori.assessment.selectors import stage_overview
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import stage_decision_current
from mamori.engines.rules import Severity
from mamori.findings.models import Finding
from mamori.findings.registry import specs
from mamori.findings.selectors import derived_checks, finding_views, open_findings


def _severity(rows: QuerySet, value: str) -> QuerySet:
    return rows.filter(severity=Severity.parse(value))


class FindingList(RegisterListView):
    """The open findings ``user`` may see, worst first, as ``mamori findings --format
    json`` prints them (texts in the user's language)."""

    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.FindingSerializer
    filters = (
        Filter.custom("severity", _severity, choices=s.SEVERITIES),
        Filter(
            "rule", lookup="rule", description="the rule's id, e.g. assets.secret_without_owner"
        ),
    )

    def get_queryset(self) -> QuerySet[Finding]:
        if getattr(self, "swagger_fake_view", False):
            return Finding.objects.none()
        return open_findings(user=self.request.user)

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.FindingSerializer(finding_views(page), many=True).data)


STAGE = OpenApiParameter(
    "stage", str, enum=s.STAGES, description="the stage to show (the company's by default)"
)


class ChecklistView(ProtectedAPIView):
    """The checklist of a stage: every row with its status, owner, due date, evidence
    count and what the registers say; rows of earlier stages left undone come last."""

    capability = Capability.PROGRAMME_VIEW

    @extend_schema(parameters=[STAGE], responses=s.ChecklistSerializer)
    def get(self, request: Request) -> Response:
        catalog = get_catalog()
        decision = stage_decision_current()
        stage_id = request.query_params.get("stage") or (
            decision.stage if decision else catalog.stages[0].id
        )
        if stage_id not in s.STAGES:
            choices = ", ".join(s.STAGES)
            raise ValidationError({"stage": [str(NOT_A_CHOICE % {"choices": choices})]})
        overview = stage_overview(catalog, stage_id)
        checks = derived_checks()
        language = translation.get_language() or "ja"
        rules = specs().rules
        rows = [
            (overview.stage, state) for group in overview.channels for state in group.rows
        ] + list(overview.carry_over)
        data = {
            "stage": stage_id,
            "stage_title": overview.stage.name.get(language),
            "company_stage": decision.stage if decision else None,
            "rows": [
                _row(stage, state, checks.get(state.row.id), rules, language)
                for stage, state in rows
            ],
        }
        return Response(s.ChecklistSerializer(data).data)


def _row(stage: Any, state: Any, check: Any, rules: Any, language: str) -> dict[str, Any]:
    answer = state.answer
    return {
        "id": state.row.id,
        "title": state.row.title.get(language),
        "channel": state.row.channel,
        "stage": stage.id,
        "status": state.status,
        "owner": answer.owner if answer else None,
        "due_date": answer.due_date if answer else None,
        "evidence_count": state.evidence_count,
        "derived": (
            {"satisfied": check.satisfied, "reasons": check.reasons(rules, language)}
            if check is not None
            else None
        ),
    }
