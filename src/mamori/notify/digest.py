"""One user's digest, in their language, from what ``digest_collect`` gathered.

Need-to-know holds in the mail as on the pages: findings of rules the user may not see
stay out, and someone who cannot read the programme (an employee) gets a finding's title
and the object they own, not the message that may name other people's things.
"""

from __future__ import annotations

import dataclasses
import datetime
import string
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mamori.accounts.roles import Capability
from mamori.approvals.registry import UnknownKind, kind_get
from mamori.approvals.selectors import approvals_to_decide
from mamori.assessment.selectors import stage_overview
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import stage_decision_current
from mamori.core.links import object_url
from mamori.engines.rules import Severity
from mamori.findings.models import Finding
from mamori.findings.registry import specs
from mamori.findings.selectors import FindingView, hidden_rules
from mamori.findings.templatetags.findings import SEVERITY_NAMES
from mamori.notify.config import DueSource, config
from mamori.notify.selectors import Collected, DueRow, OwnedRef, digest_last_sent
from mamori.notify.texts import (
    APPROVAL_ASKED_BY,
    APPROVAL_WAITING,
    DUE_TEXTS,
    PLEDGE_WAITING,
    REQUESTED_ON,
    SECTION_TITLES,
)

__all__ = ["Digest", "Item", "Section", "Summary", "absolute_url", "digest_build"]


@dataclass(frozen=True)
class Item:
    title: str
    detail: str = ""
    url: str = ""
    when: str = ""
    severity: str = ""  # critical, high... (for styling)
    severity_name: str = ""
    overdue: bool = False
    new: bool = False
    fix: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Summary:
    """The officer's overview: progress, open findings by severity, what is new."""

    stage: str
    percent_done: int
    rows_done: int
    rows_applicable: int
    counts: tuple[tuple[str, str, int], ...]  # (severity, its name, open findings)
    open_total: int
    new_count: int
    since: str
    # The audit log's head when the digest was made: a copy outside the server, to compare
    # with what ``mamori audit verify`` later finds.
    audit_seq: int = 0
    audit_hash: str = ""


@dataclass(frozen=True)
class Digest:
    user: Any
    language: str
    today: datetime.date
    sections: tuple[Section, ...]
    summary: Summary | None = None

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0

    def items(self, key: str) -> tuple[Item, ...]:
        return next((s.items for s in self.sections if s.key == key), ())


def absolute_url(name: str, *args: Any) -> str:
    """Return the link to a page as people open mamori (``MAMORI_BASE_URL``)."""
    try:
        path = reverse(name, args=list(args))
    except NoReverseMatch:
        return ""
    return settings.MAMORI_BASE_URL + path


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _when(day: datetime.date, today: datetime.date) -> tuple[str, bool]:
    delta = (day - today).days
    if delta == 0:
        relative = _("today")
    elif delta > 0:
        relative = ngettext("in %(days)s day", "in %(days)s days", delta) % {"days": delta}
    else:
        relative = ngettext("%(days)s day overdue", "%(days)s days overdue", -delta) % {
            "days": -delta
        }
    return _("%(date)s (%(relative)s)") % {"date": _day(day), "relative": relative}, delta < 0


class _LabelFormatter(string.Formatter):
    """Fill a source's label; ``{field:row}`` shows a checklist row id as its title."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "row":
            catalog = get_catalog()
            if isinstance(value, str) and catalog.has_row(value):
                return catalog.row(value).title.get(self.language)
        return "" if value is None else str(value)


def _label(source: DueSource, values: dict[str, Any], language: str) -> str:
    return _LabelFormatter(language).vformat(source.label, (), values)


def _due_item(row: DueRow, today: datetime.date, language: str) -> Item:
    source = row.source
    when, overdue = _when(row.date, today)
    args = [row.values[source.url_arg]] if source.url_arg else []
    return Item(
        title=_label(source, row.values, language),
        detail=str(DUE_TEXTS[source.key]),
        url=absolute_url(source.url, *args),
        when=when,
        overdue=overdue,
    )


def _goes_to(row: DueRow, user_id: int, is_officer: bool) -> bool:
    if user_id in row.owners:
        return True
    if not is_officer:
        return False
    mode = row.source.officer
    return mode == "always" or (mode == "unowned" and not row.owners)


def _object_url(ref_type: str, ref_id: Any) -> str:
    path = object_url(ref_type, ref_id)
    return settings.MAMORI_BASE_URL + path if path else ""


def _severity(finding: Finding) -> tuple[str, str]:
    severity = Severity(finding.severity)
    return severity.label, str(SEVERITY_NAMES[severity])


def _finding_item(
    finding: Finding,
    refs: list[OwnedRef],
    *,
    full: bool,
    new: bool = False,
    with_fix: bool = False,
) -> Item | None:
    rule = specs().rules.get(finding.rule)
    if rule is None:
        return None
    view = FindingView(finding=finding, rule=rule)
    severity, severity_name = _severity(finding)
    if full:
        detail = view.message
        first = refs[0] if refs else None
        if first is None and finding.refs_data:
            head = finding.refs_data[0]
            url = _object_url(head["type"], head["id"])
        else:
            url = _object_url(first.type, first.id) if first else ""
        url = url or absolute_url("findings:finding_list")
    else:
        separator = "、" if (translation.get_language() or "ja").startswith("ja") else ", "
        detail = separator.join(r.label for r in refs if r.label)
        url = absolute_url("people:me")
    return Item(
        title=view.title,
        detail=detail,
        url=url,
        severity=severity,
        severity_name=severity_name,
        new=new,
        fix=view.fix if with_fix else "",
    )


def _findings_section(
    data: Collected, user: Any, hidden: set[str], full: bool, shown: set[int]
) -> tuple[Item, ...]:
    by_finding: dict[int, list[OwnedRef]] = {}
    for ref in [*data.own.get(user.pk, []), *data.owned.get(user.pk, [])]:
        by_finding.setdefault(ref.finding_id, []).append(ref)
    findings = [data.findings[pk] for pk in by_finding if pk in data.findings]
    findings = [f for f in findings if f.rule not in hidden and f.pk not in shown]
    findings.sort(key=lambda f: (-f.severity, f.rule, f.pk))
    items = (_finding_item(f, by_finding[f.pk], full=full, with_fix=True) for f in findings)
    return tuple(item for item in items if item is not None)


def _approval_item(request: Any) -> Item:
    try:
        kind = kind_get(request.kind)
        label, description = str(kind.label), kind.describe(request)
    except UnknownKind:
        label, description = request.kind, request.subject_repr
    return Item(
        title=APPROVAL_WAITING % {"label": label, "description": description},
        detail=APPROVAL_ASKED_BY
        % {"name": str(request.requested_by), "date": _day(timezone.localdate(request.created_at))},
        url=absolute_url("approvals:request", request.pk),
    )


def _mine_section(
    data: Collected, user: Any, hidden: set[str], full: bool, shown: set[int]
) -> tuple[Item, ...]:
    """The findings ``user`` owns (works), worst first, linking to each finding's page."""
    mine = [
        f
        for f in data.findings.values()
        if f.owner_id == user.pk and f.rule not in hidden and f.pk not in shown
    ]
    mine.sort(key=lambda f: (-f.severity, f.rule, f.pk))
    items = []
    for finding in mine[: config().top_findings]:
        item = _finding_item(finding, [], full=full, with_fix=True)
        if item is not None and full:
            item = dataclasses.replace(item, url=absolute_url("findings:finding", finding.pk))
        if item is not None:
            items.append(item)
    return tuple(items)


def _waiting_section(data: Collected, user: Any) -> tuple[Item, ...]:
    approvals = tuple(
        _approval_item(request) for request in approvals_to_decide(user, data.approvals)
    )
    return approvals + tuple(
        Item(
            title=PLEDGE_WAITING % {"title": row["title"]},
            detail=REQUESTED_ON % {"date": _day(row["requested_on"])},
            url=absolute_url("people:me"),
        )
        for row in data.pledges.get(user.pk, [])
    )


def _summary(
    data: Collected, user: Any, hidden: set[str], language: str
) -> tuple[Summary, tuple[Item, ...], set[int]]:
    cfg = config()
    since = digest_last_sent(user) or (
        timezone.now() - datetime.timedelta(days=cfg.first_digest_new_days)
    )
    visible = [f for f in data.findings.values() if f.rule not in hidden]
    counts = {severity: 0 for severity in Severity}
    for finding in visible:
        counts[Severity(finding.severity)] += 1
    new = {f.pk for f in visible if f.first_seen > since}
    ordered = sorted(visible, key=lambda f: (f.pk not in new, -f.severity, f.rule, f.pk))
    shown = ordered[: cfg.top_findings]
    top = (_finding_item(f, [], full=True, new=f.pk in new) for f in shown)
    decision = stage_decision_current()
    stage, done, applicable, percent = "", 0, 0, 0
    if decision is not None:
        catalog = get_catalog()
        overview = stage_overview(catalog, decision.stage)
        stage = catalog.stage(decision.stage).name.get(language)
        done, applicable, percent = overview.done, overview.applicable, overview.percent
    summary = Summary(
        stage=stage,
        percent_done=percent,
        rows_done=done,
        rows_applicable=applicable,
        counts=tuple(
            (severity.label, str(SEVERITY_NAMES[severity]), counts[severity])
            for severity in sorted(Severity, reverse=True)
        ),
        open_total=len(visible),
        new_count=len(new),
        since=date_format(timezone.localtime(since), "DATETIME_FORMAT"),
        audit_seq=data.audit_head[0],
        audit_hash=data.audit_head[1],
    )
    return summary, tuple(item for item in top if item is not None), {f.pk for f in shown}


def digest_build(user: Any, data: Collected) -> Digest:
    """Return ``user``'s digest in their language; empty when there is nothing to say."""
    language = user.language or settings.LANGUAGE_CODE
    is_officer = user.pk in data.officers
    hidden = set(hidden_rules(user))
    full = user.has_capability(Capability.PROGRAMME_VIEW)
    with translation.override(language):
        sections: list[Section] = []
        summary, shown = None, set()
        if is_officer:
            summary, top, shown = _summary(data, user, hidden, language)
            sections.append(Section("top", str(SECTION_TITLES["top"]), top))
        sections.append(
            Section("waiting", str(SECTION_TITLES["waiting"]), _waiting_section(data, user))
        )

        sections.append(
            Section(
                "findings",
                str(SECTION_TITLES["findings"]),
                _findings_section(data, user, hidden, full, shown),
            )
        )
        # What they work on besides what they own (their people's, the officer's share).
        owned = {
            ref.finding_id for ref in [*data.own.get(user.pk, []), *data.owned.get(user.pk, [])]
        }
        mine = _mine_section(data, user, hidden, full, shown | owned)
        sections.append(Section("mine", str(SECTION_TITLES["mine"]), mine))
        due = tuple(
            _due_item(row, data.today, language)
            for row in sorted(data.due, key=lambda r: (r.date, r.source.key, str(r.pk)))
            if _goes_to(row, user.pk, is_officer)
        )
        sections.append(
            Section("due", str(SECTION_TITLES["due"] % {"days": config().horizon_days}), due)
        )
    return Digest(
        user=user,
        language=language,
        today=data.today,
        sections=tuple(s for s in sections if s.items),
        summary=summary,
    )
