"""What the PDF report says, read once from the apps' selectors into plain values.

Everything here is resolved to text in the active language, and, for outside readers,
already stripped of names of people and counterparties, so that the layout code cannot
leak what the content left out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from mamori.accounts.roles import Role
from mamori.assessment.models import Status
from mamori.assessment.selectors import RowState, StageOverview, stage_overview
from mamori.audit.services import VerifyResult, audit_verify
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import company_get, stage_decision_current
from mamori.engines.rules import Severity
from mamori.findings.registry import specs
from mamori.findings.selectors import (
    counts_by_severity,
    finding_views,
    hidden_rules,
    open_counts_by_rule,
    open_findings,
)
from mamori.reports.models import ProgressSnapshot
from mamori.reports.pdf.redaction import redacted_message
from mamori.reports.selectors import (
    RegistersSummary,
    derived_row_checks,
    registers_summary,
    snapshots_since,
)

__all__ = [
    "ChannelBar",
    "ChecklistLine",
    "FindingLine",
    "ReportContent",
    "RuleCount",
    "report_content",
]

FINDINGS_LISTED = 200  # the worst ones; the rest are counted, so thousands stay readable
TREND_DAYS = 182

SEVERITY_NAMES = {
    Severity.CRITICAL: gettext_lazy("Critical"),
    Severity.HIGH: gettext_lazy("High"),
    Severity.MEDIUM: gettext_lazy("Medium"),
    Severity.LOW: gettext_lazy("Low"),
}


@dataclass(frozen=True)
class ChecklistLine:
    channel: str
    title: str
    status: str
    status_label: str
    owner: str
    evidence: int
    due: datetime.date | None
    registers: str  # what the registers say, or "" where they cannot say


@dataclass(frozen=True)
class ChannelBar:
    name: str
    done: int
    in_progress: int
    not_applicable: int
    open: int

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.not_applicable + self.open


@dataclass(frozen=True)
class FindingLine:
    severity: Severity
    severity_name: str
    title: str
    message: str
    fix: str


@dataclass(frozen=True)
class RuleCount:
    title: str
    severity: Severity
    severity_name: str
    count: int


@dataclass(frozen=True)
class ReportContent:
    language: str
    outside: bool
    generated_at: datetime.datetime
    company_name: str
    officer: str
    officer_appointed_on: datetime.date | None
    prepared_by: str
    stage_name: str
    stage_definition: str
    percent_done: int | None
    rows_done: int
    rows_applicable: int
    channels: list[ChannelBar]
    checklist: list[ChecklistLine]
    carry_over: list[ChecklistLine]
    severity_counts: dict[Severity, int]
    rule_counts: list[RuleCount]
    findings: list[FindingLine]
    findings_total: int
    registers: RegistersSummary
    trend: list[ProgressSnapshot]
    audit: VerifyResult

    @property
    def findings_not_listed(self) -> int:
        return self.findings_total - len(self.findings)

    @property
    def trend_has_demo_points(self) -> bool:
        return any(point.is_demo for point in self.trend)


def _person(user: Any, outside: bool) -> str:
    """Return how the report names a user: the name, or for outside readers the role."""
    if user is None:
        return ""
    if outside:
        return str(Role(user.role).label) if user.role in Role.values else _("Person in charge")
    return str(user)


def _company_name(company: Any, language: str) -> str:
    if company is None:
        return ""
    return company.name_en if language.startswith("en") and company.name_en else company.name


def _officer(user: Any, outside: bool) -> str:
    if user is None:
        return ""
    return _("Appointed (name not shown)") if outside else str(user)


def _lines(
    states: list[RowState], checks: dict[str, bool], outside: bool, language: str
) -> list[ChecklistLine]:
    catalog = get_catalog()
    lines = []
    for state in states:
        answer = state.answer
        check = checks.get(state.row.id)
        lines.append(
            ChecklistLine(
                channel=catalog.channel(state.row.channel).short_name.get(language),
                title=state.row.title.get(language),
                status=state.status,
                status_label=str(Status(state.status).label),
                owner=_person(answer.owner if answer else None, outside),
                evidence=state.evidence_count,
                due=answer.due_date if answer else None,
                registers="" if check is None else (_("Supported") if check else _("Not yet")),
            )
        )
    return lines


def _channels(overview: StageOverview, language: str) -> list[ChannelBar]:
    return [
        ChannelBar(
            name=group.channel.short_name.get(language),
            done=group.done,
            in_progress=group.in_progress,
            not_applicable=group.not_applicable,
            open=group.total - group.done - group.in_progress - group.not_applicable,
        )
        for group in overview.channels
    ]


def _rule_counts(user: Any, language: str) -> list[RuleCount]:
    rules, hidden = specs().rules, set(hidden_rules(user))
    counts = [
        (rules[rule_id], total)
        for rule_id, total in open_counts_by_rule().items()
        if total and rule_id in rules and rule_id not in hidden
    ]
    counts.sort(key=lambda item: (-item[0].severity, -item[1], item[0].id))
    return [
        RuleCount(
            title=rule.title.get(language),
            severity=rule.severity,
            severity_name=str(SEVERITY_NAMES[rule.severity]),
            count=total,
        )
        for rule, total in counts
    ]


def _findings(user: Any, outside: bool, language: str) -> tuple[list[FindingLine], int]:
    rows = open_findings(user=user)
    total = rows.count()
    lines = []
    for view in finding_views(rows[:FINDINGS_LISTED]):
        message = (
            redacted_message(view.rule, view.finding.params, view.finding.refs_data, language)
            if outside
            else view.message
        )
        lines.append(
            FindingLine(
                severity=view.severity,
                severity_name=str(SEVERITY_NAMES[view.severity]),
                title=view.title,
                message=message,
                fix=view.fix,
            )
        )
    return lines, total


def report_content(*, user: Any, outside: bool, language: str) -> ReportContent:
    """Read everything the report shows, as ``user`` may see it (``None``: everything),
    in ``language``; for outside readers without names of people or counterparties."""
    with override(language):
        catalog = get_catalog()
        company = company_get()
        decision = stage_decision_current()
        overview = stage_overview(catalog, decision.stage) if decision else None
        checks = derived_row_checks()
        checklist = carry_over = []
        if overview is not None:
            states = [state for group in overview.channels for state in group.rows]
            checklist = _lines(states, checks, outside, language)
            carried = [state for _, state in overview.carry_over]
            carry_over = _lines(carried, checks, outside, language)
        findings, total = _findings(user, outside, language)
        since = timezone.localdate() - datetime.timedelta(days=TREND_DAYS)
        officer = company.officer if company else None
        return ReportContent(
            language=language,
            outside=outside,
            generated_at=timezone.localtime(),
            company_name=_company_name(company, language),
            officer=_officer(officer, outside),
            officer_appointed_on=company.officer_appointed_on if company else None,
            prepared_by="" if outside else _person(user, outside=False),
            stage_name=overview.stage.name.get(language) if overview else "",
            stage_definition=overview.stage.definition.get(language) if overview else "",
            percent_done=overview.percent if overview else None,
            rows_done=overview.done if overview else 0,
            rows_applicable=overview.applicable if overview else 0,
            channels=_channels(overview, language) if overview else [],
            checklist=checklist,
            carry_over=carry_over,
            severity_counts=counts_by_severity(user),
            rule_counts=_rule_counts(user, language),
            findings=findings,
            findings_total=total,
            registers=registers_summary(),
            trend=snapshots_since(since),
            audit=audit_verify(),
        )
