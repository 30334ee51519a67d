"""Evaluate every rule and bring the stored findings up to date."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mamori.audit.models import Action, AuditEntry, AuditHead
from mamori.core.progress import Progress
from mamori.engines.rules import Finding as EngineFinding
from mamori.findings.models import Finding, FindingObject, FindingsState
from mamori.findings.registry import RuleContext, registry, specs

BATCH = 500
CHANGE_ACTIONS = (Action.CREATE, Action.UPDATE, Action.DELETE)


@dataclass(frozen=True)
class RefreshResult:
    open: int
    opened: int
    resolved: int
    duration_ms: int


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _refs(stored: Finding, finding: EngineFinding) -> list[FindingObject]:
    return [
        FindingObject(finding=stored, object_type=ref.type, object_id=str(ref.id))
        for ref in finding.objects
    ]


@transaction.atomic
def findings_refresh(*, progress: Progress | None = None) -> RefreshResult:
    """Run every rule now and store the result; return what changed.

    New problems are opened, problems that went away are resolved, and problems that
    persist keep their first-seen time. Runs under a lock so that two refreshes never
    interleave. ``progress`` advances by one for each rule evaluated.
    """
    started = time.perf_counter()
    now = timezone.now()
    state, _ = FindingsState.objects.select_for_update().get_or_create(pk=1)
    head = AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    rules = specs()
    progress = progress or Progress()
    progress.step(gettext("Evaluating rules"), total=len(rules.rules))
    found = registry.run(
        rules,
        RuleContext(today=timezone.localdate()),
        evaluated=lambda rule_id: progress.advance(),
    )
    current = {f.key: f for f in found}
    stored = _stored_by_key(list(current))
    open_keys = set(Finding.objects.filter(resolved_at__isnull=True).values_list("key", flat=True))

    to_create: list[tuple[EngineFinding, Finding]] = []
    to_update: list[Finding] = []
    reopened = 0
    for key, finding in current.items():
        params, objects = finding.params, [ref.as_dict() for ref in finding.objects]
        row = stored.get(key)
        if row is None:
            row = Finding(
                key=key,
                rule=finding.rule.id,
                severity=int(finding.severity),
                params=params,
                refs_data=objects,
                first_seen=now,
                changed_at=now,
            )
            to_create.append((finding, row))
            continue
        changed = row.params != params or row.refs_data != objects
        if row.resolved_at is not None:
            row.first_seen, row.resolved_at = now, None
            reopened += 1
            changed = True
        if changed:
            row.params, row.refs_data, row.changed_at = params, objects, now
            to_update.append(row)

    gone = sorted(open_keys - set(current))
    for chunk in _chunks(gone):
        Finding.objects.filter(key__in=chunk).update(resolved_at=now)
    for chunk in _chunks(to_create):
        Finding.objects.bulk_create([row for _, row in chunk])
        FindingObject.objects.bulk_create(
            [ref for finding, row in chunk for ref in _refs(row, finding)]
        )
    if to_update:
        fields = ["params", "refs_data", "changed_at", "first_seen", "resolved_at"]
        Finding.objects.bulk_update(to_update, fields, batch_size=BATCH)
        for chunk in _chunks([row.pk for row in to_update]):
            FindingObject.objects.filter(finding_id__in=chunk).delete()
        FindingObject.objects.bulk_create(
            [ref for row in to_update for ref in _refs(row, current[row.key])], batch_size=BATCH
        )

    duration = round((time.perf_counter() - started) * 1000)
    state.audit_seq, state.evaluated_on, state.evaluated_at = head, timezone.localdate(), now
    state.duration_ms = duration
    state.save()
    return RefreshResult(
        open=len(current),
        opened=len(to_create) + reopened,
        resolved=len(gone),
        duration_ms=duration,
    )


def _stored_by_key(keys: list[str]) -> dict[str, Finding]:
    stored: dict[str, Finding] = {}
    for chunk in _chunks(keys):
        for row in Finding.objects.filter(key__in=chunk).only(
            "pk", "key", "params", "refs_data", "resolved_at"
        ):
            stored[row.key] = row
    return stored


def findings_are_stale() -> bool:
    """Return whether anything changed (or the day turned) since the last evaluation."""
    state = FindingsState.objects.filter(pk=1).first()
    if state is None or state.evaluated_on != timezone.localdate():
        return True
    return AuditEntry.objects.filter(seq__gt=state.audit_seq, action__in=CHANGE_ACTIONS).exists()


def findings_ensure_fresh() -> None:
    """Re-evaluate the rules when the registers changed since the last evaluation."""
    if findings_are_stale():
        findings_refresh()
