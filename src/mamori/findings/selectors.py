"""Reads of findings (evaluated afresh first when the registers changed)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone, translation

from mamori.engines.rules import CheckResult, RuleSpec, Severity, resolve_params
from mamori.findings.models import Finding
from mamori.findings.registry import RuleContext, registry, specs
from mamori.findings.services import findings_ensure_fresh


@dataclass(frozen=True)
class FindingView:
    """A stored finding with its texts in the active language."""

    finding: Finding
    rule: RuleSpec

    @property
    def severity(self) -> Severity:
        return Severity(self.finding.severity)

    @property
    def message(self) -> str:
        language = _language()
        return self.rule.message.get(language).format(
            **resolve_params(self.finding.params, language)
        )

    @property
    def fix(self) -> str:
        return self.rule.fix.get(_language())

    @property
    def title(self) -> str:
        return self.rule.title.get(_language())

    @property
    def objects(self) -> list[dict[str, Any]]:
        return self.finding.refs_data

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.finding.rule,
            "severity": self.severity.label,
            "message": self.message,
            "fix": self.fix,
            "objects": self.finding.refs_data,
            "since": self.finding.first_seen.isoformat(timespec="seconds"),
        }


def _language() -> str:
    return translation.get_language() or "ja"


def _views(rows: QuerySet[Finding]) -> list[FindingView]:
    rules = specs().rules
    return [FindingView(finding=row, rule=rules[row.rule]) for row in rows if row.rule in rules]


def hidden_rules(user: Any) -> list[str]:
    """Return the rules whose findings ``user`` may not see (a rule may need a capability,
    e.g. the departure watch's, beyond reading the programme)."""
    if user is None:
        return []
    return [
        spec.id
        for spec in specs().rules.values()
        if spec.capability and not user.has_capability(spec.capability)
    ]


def open_findings(
    *, rule: str = "", severity: int | None = None, user: Any = None
) -> QuerySet[Finding]:
    """Return the open findings ``user`` may see (all without a user), worst first,
    re-evaluating first if anything changed."""
    findings_ensure_fresh()
    rows = Finding.objects.filter(resolved_at__isnull=True).exclude(rule__in=hidden_rules(user))
    if rule:
        rows = rows.filter(rule=rule)
    if severity:
        rows = rows.filter(severity=severity)
    return rows.order_by("-severity", "rule", "pk")


def finding_views(rows: QuerySet[Finding] | list[Finding]) -> list[FindingView]:
    return _views(rows)


def findings_for_object(object_type: str, object_id: Any) -> list[FindingView]:
    """Return the open findings that concern one object (a person, an asset...)."""
    findings_ensure_fresh()
    rows = Finding.objects.filter(
        resolved_at__isnull=True, refs__object_type=object_type, refs__object_id=str(object_id)
    ).distinct()
    return _views(rows.order_by("-severity", "rule", "pk"))


def counts_by_severity(user: Any = None) -> dict[Severity, int]:
    findings_ensure_fresh()
    counts = (
        Finding.objects.filter(resolved_at__isnull=True)
        .exclude(rule__in=hidden_rules(user))
        .values("severity")
        .annotate(total=Count("pk"))
    )
    ordered = sorted(counts, key=lambda row: -row["severity"])
    return {Severity(row["severity"]): row["total"] for row in ordered}


def open_counts_by_rule() -> Counter:
    findings_ensure_fresh()
    rows = (
        Finding.objects.filter(resolved_at__isnull=True).values("rule").annotate(total=Count("pk"))
    )
    return Counter({row["rule"]: row["total"] for row in rows})


def derived_check(row_id: str) -> CheckResult | None:
    """Return what the registers say about a checklist row, or ``None`` if they cannot say."""
    if row_id not in specs().checks:
        return None
    context = RuleContext(today=timezone.localdate())
    return registry.check(specs(), row_id, context, open_counts_by_rule())


def derived_checks() -> dict[str, CheckResult]:
    """Return the derived status of every row that has a check (one pass over the counts)."""
    counts = open_counts_by_rule()
    context = RuleContext(today=timezone.localdate())
    return {
        row: registry.check(specs(), row, context, counts)  # type: ignore[misc]
        for row in specs().checks
    }
