"""Reads of the company profile and stage."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from mamori.company.models import Company, StageDecision


def company_get() -> Company | None:
    """Return the company, or ``None`` before its profile has been entered."""
    return Company.objects.select_related("officer").first()


def stage_decision_current() -> StageDecision | None:
    """Return the latest stage decision, or ``None`` when no stage has been confirmed."""
    return StageDecision.objects.select_related("decided_by").order_by("-decided_at", "-pk").first()


def stage_decision_history() -> QuerySet[StageDecision]:
    return StageDecision.objects.select_related("decided_by").order_by("-decided_at", "-pk")


@dataclass(frozen=True)
class CompanySummary:
    name: str
    stage: str | None

    def __bool__(self) -> bool:
        return bool(self.name)


def company_summary() -> CompanySummary:
    """Return the company's name and current stage for page headers (two small queries)."""
    company = Company.objects.values("name").first()
    decision = StageDecision.objects.order_by("-decided_at", "-pk").values("stage").first()
    return CompanySummary(
        name=company["name"] if company else "",
        stage=decision["stage"] if decision else None,
    )
