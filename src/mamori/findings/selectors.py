"""Reads of findings (brought up to date first with the changes since the last look)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from mamori.core.selectors import filter_given
from mamori.engines.rules import CheckResult, RuleSpec, Severity, resolve_params
from mamori.findings.models import (
    ACTIVE,
    UNRESOLVED,
    Finding,
    FindingsState,
    FindingStatus,
)
from mamori.findings.registry import RuleContext, object_aliases, registry, specs
from mamori.findings.services import findings_ensure_fresh

# The list's status filter: what each choice shows.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "": ACTIVE,
    "open": (FindingStatus.OPEN,),
    "in_progress": (FindingStatus.IN_PROGRESS,),
    "accepted": (FindingStatus.ACCEPTED,),
    "resolved": (FindingStatus.RESOLVED,),
    "all": tuple(FindingStatus.values),
}


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

    @property
    def status(self) -> FindingStatus:
        return FindingStatus(self.finding.status)

    @property
    def fix_url(self) -> str:
        """Return the page (and step) where the finding is fixed, or ``""``."""
        return fix_url(self.finding, self.rule)

    @property
    def fix_label(self) -> str:
        route = self.rule.route
        if route is not None and route.label is not None:
            return route.label.get(_language())
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.finding.rule,
            "severity": self.severity.label,
            "message": self.message,
            "fix": self.fix,
            "objects": self.finding.refs_data,
            "since": self.finding.first_seen.isoformat(timespec="seconds"),
            "status": self.finding.status,
            "owner": self.finding.owner.get_username() if self.finding.owner_id else None,
        }


def fix_url(finding: Finding, rule: RuleSpec) -> str:
    """Resolve a rule's fix route for ``finding``: arguments from its subject or from its
    objects of a named type; ``""`` when the finding lacks what the route needs."""
    route = rule.route
    if route is None:
        return ""
    kwargs: dict[str, Any] = {}
    for name, source in route.kwargs:
        if source == "subject":
            value: Any = finding.subject_id
        else:
            value = next(
                (ref["id"] for ref in finding.refs_data if ref.get("type") == source), None
            )
        if value in (None, ""):
            return ""
        kwargs[name] = value
    try:
        url = reverse(route.name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
    return f"{url}#{route.anchor}" if route.anchor else url


def _language() -> str:
    return translation.get_language() or "ja"


def _views(rows: QuerySet[Finding] | list[Finding]) -> list[FindingView]:
    rules = specs().rules
    if isinstance(rows, QuerySet):
        rows = rows.select_related("owner")
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
    *,
    rule: str = "",
    severity: int | None = None,
    user: Any = None,
    status: str = "",
    owner: Any = None,
) -> QuerySet[Finding]:
    """Return the findings ``user`` may see (all without a user), worst first: those that
    ask for work (open, in progress), or those of the ``status`` filter; of ``owner``
    only when given. Brings the findings up to date first."""
    findings_ensure_fresh()
    statuses = STATUS_FILTERS.get(status, ACTIVE)
    rows = Finding.objects.filter(status__in=statuses).exclude(rule__in=hidden_rules(user))
    rows = filter_given(rows, rule=rule, severity=severity)
    if owner is not None:
        rows = rows.filter(owner=owner)
    if status == "resolved":
        return rows.order_by("-resolved_at", "pk")
    return rows.order_by("-severity", "rule", "pk")


def my_findings(user: Any, limit: int | None = None) -> list[FindingView]:
    """Return the findings that ask ``user`` for work (they own them), worst first."""
    rows = open_findings(user=user, owner=user)
    return _views(rows[:limit] if limit else rows)


def finding_get(pk: Any, user: Any = None) -> Finding | None:
    """Return one finding, or ``None`` when there is none or ``user`` may not see its rule."""
    finding = Finding.objects.select_related("owner", "accepted_by").filter(pk=pk).first()
    if finding is None or finding.rule not in specs().rules:
        return None
    return None if finding.rule in hidden_rules(user) else finding


def findings_expire_on_read() -> None:
    """Reopen findings whose risk acceptance expired (also done nightly), when any did."""
    from mamori.findings.services import findings_expire_acceptances

    today = timezone.localdate()
    if Finding.objects.filter(status=FindingStatus.ACCEPTED, accepted_until__lt=today).exists():
        findings_expire_acceptances(today)


def evaluation_state() -> FindingsState | None:
    """Return when findings were last evaluated (and what is queued), for the pages."""
    return FindingsState.objects.filter(pk=1).first()


def finding_views(rows: QuerySet[Finding] | list[Finding]) -> list[FindingView]:
    return _views(rows)


def findings_for_object(object_type: str, object_id: Any, user: Any = None) -> list[FindingView]:
    """Return the unresolved findings that concern one object (a person, an asset...),
    without those ``user`` may not see (all without a user)."""
    findings_ensure_fresh()
    types = [object_type, *object_aliases.get(object_type, ())]
    rows = (
        Finding.objects.filter(
            status__in=UNRESOLVED,
            refs__object_type__in=types,
            refs__object_id=str(object_id),
        )
        .exclude(rule__in=hidden_rules(user))
        .distinct()
    )
    return _views(rows.order_by("-severity", "rule", "pk"))


def counts_by_severity(user: Any = None) -> dict[Severity, int]:
    findings_ensure_fresh()
    counts = (
        Finding.objects.filter(status__in=ACTIVE)
        .exclude(rule__in=hidden_rules(user))
        .values("severity")
        .annotate(total=Count("pk"))
    )
    ordered = sorted(counts, key=lambda row: -row["severity"])
    return {Severity(row["severity"]): row["total"] for row in ordered}


def open_counts_by_rule(*, refresh: bool = True) -> Counter:
    """Return the open findings by rule; ``refresh=False`` reads them as stored (for
    listeners of ``findings_evaluated``, which run right after an evaluation)."""
    if refresh:
        findings_ensure_fresh()
    rows = Finding.objects.filter(status__in=UNRESOLVED).values("rule").annotate(total=Count("pk"))
    return Counter({row["rule"]: row["total"] for row in rows})


def derived_check(row_id: str) -> CheckResult | None:
    """Return what the registers say about a checklist row, or ``None`` if they cannot say."""
    if row_id not in specs().checks:
        return None
    context = RuleContext(today=timezone.localdate())
    return registry.check(specs(), row_id, context, open_counts_by_rule())


def derived_checks(
    *, refresh: bool = True, rows: Iterable[str] | None = None
) -> dict[str, CheckResult]:
    """Return the derived status of every row that has a check, or of ``rows`` among them
    (one pass over the counts)."""
    checked = specs().checks
    wanted = list(checked) if rows is None else [row for row in rows if row in checked]
    if not wanted:
        return {}
    counts = open_counts_by_rule(refresh=refresh)
    context = RuleContext(today=timezone.localdate())
    met: dict[str, bool] = {}  # a requirement shared by rows is asked once
    return {
        row: registry.check(specs(), row, context, counts, met)  # type: ignore[misc]
        for row in wanted
    }
