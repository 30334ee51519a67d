"""Evaluate the rules and bring the stored findings up to date; the work on findings.

Freshness without evaluating everything in a request:

- Every change of the registers is in the audit log. ``findings_catch_up`` reads the
  entries written since it last ran and asks each rule's ``reads`` (in its YAML) what
  follows: a change of a model the rule reads with a path re-evaluates the rule for the
  subjects the path leads to (a grant changed → its person), at once; a change the rule
  can only answer as a whole (``"*"``) queues the rule for a background run
  (``findings.tasks``). Pages call ``findings_ensure_fresh``, which catches up and, when
  the day turned, queues a full run (date-driven rules); it never runs every rule itself.
- A full run (``findings_refresh``) happens in the background, nightly
  (``mamori findings nightly``) and on the officer's "check again now".
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext

from mamori.audit.models import Action, AuditEntry, AuditHead
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress
from mamori.engines.rules import WHOLE_RULE
from mamori.engines.rules import Finding as EngineFinding
from mamori.findings.models import (
    UNRESOLVED,
    EventKind,
    Finding,
    FindingComment,
    FindingEvent,
    FindingObject,
    FindingsState,
    FindingStatus,
)
from mamori.findings.registry import RuleContext, owner_resolvers, registry, specs
from mamori.findings.signals import findings_evaluated

BATCH = 500
CHANGE_ACTIONS = (Action.CREATE, Action.UPDATE, Action.DELETE)
# Past these, a catch-up queues whole runs instead of targeting subjects one by one.
MAX_ENTRIES = 2000
MAX_SUBJECTS = 300


@dataclass(frozen=True)
class RefreshResult:
    open: int
    opened: int
    resolved: int
    duration_ms: int


@dataclass
class CatchUp:
    """What a catch-up did: rule -> subjects re-evaluated now, rules queued as a whole."""

    targeted: dict[str, set[str]] = field(default_factory=dict)
    queued: set[str] = field(default_factory=set)
    entries: int = 0
    duration_ms: int = 0


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _subject_of(finding: EngineFinding) -> tuple[str, str]:
    if not finding.objects:
        return "", ""
    return finding.objects[0].type, str(finding.objects[0].id)


def _refs(stored: Finding, finding: EngineFinding) -> list[FindingObject]:
    return [
        FindingObject(finding=stored, object_type=ref.type, object_id=str(ref.id))
        for ref in finding.objects
    ]


def _state_locked() -> FindingsState:
    FindingsState.objects.get_or_create(pk=1)
    return FindingsState.objects.select_for_update().get(pk=1)


def _head_seq() -> int:
    return AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def officer_id() -> int | None:
    """Return the officer who owns findings no one else owns (the first active one)."""
    from mamori.accounts.models import User
    from mamori.accounts.roles import Role

    return (
        User.objects.filter(role=Role.OFFICER, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _owners(rows: list[Finding]) -> None:
    """Set the owner of new findings by their rule's ``owner`` (the officer by default)."""
    fallback = officer_id()
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for row in rows:
        by_rule[row.rule].append(row)
    for rule_id, rule_rows in by_rule.items():
        resolver = owner_resolvers.get(specs().rules[rule_id].owner)
        found = resolver([row.subject_id for row in rule_rows]) if resolver else {}
        for row in rule_rows:
            row.owner_id = found.get(row.subject_id) or fallback


def _evaluate(rule_ids: Iterable[str], subjects: dict[str, set[str]] | None) -> list:
    """Run the rules (for ``subjects[rule]`` only, when given) and return their findings."""
    today = timezone.localdate()
    found: list[EngineFinding] = []
    rules = specs()
    for rule_id in rule_ids:
        targets = subjects.get(rule_id) if subjects is not None else None
        context = RuleContext(today=today, subjects=frozenset(targets) if targets else None)
        hits = registry.run(rules, context, only=[rule_id])
        if targets:
            hits = [hit for hit in hits if _subject_of(hit)[1] in targets]
        found.extend(hits)
    return found


@dataclass(slots=True)
class _Stored:
    """A stored finding as the reconciliation reads it: a few values, not a model instance
    (thousands are compared on every run; only the ones that change are loaded whole)."""

    pk: int
    rule: str
    subject_id: str
    params: str | None  # JSON text
    refs_data: str | None
    status: str
    owner_id: int | None
    owner_by_hand: bool


_UPDATED_FIELDS = [
    "params",
    "refs_data",
    "changed_at",
    "first_seen",
    "resolved_at",
    "status",
    "owner",
    "accepted_until",
    "accepted_reason",
    "accepted_by",
]


def _reconcile(
    found: list[EngineFinding], rule_ids: list[str], subjects: dict[str, set[str]] | None
) -> tuple[int, int]:
    """Store ``found`` as the findings of ``rule_ids`` (of their ``subjects`` only, when
    given): open new ones, reopen returning ones, resolve those no longer found."""
    now = timezone.now()
    current = {f.key: f for f in found}
    if subjects is None:
        scope = Q(rule__in=rule_ids)
    else:
        scope = Q(pk__in=[])
        for rule_id in rule_ids:
            scope |= Q(rule=rule_id, subject_id__in=sorted(subjects.get(rule_id, ())))
    stored, unresolved = _stored(list(current), scope)

    to_create: list[tuple[EngineFinding, Finding]] = []
    # Stored findings to write: those whose params or objects changed (the objects as
    # stored), and those reopened.
    changed: dict[str, list[dict]] = {}
    reopened: set[str] = set()
    for key, finding in current.items():
        params, objects = finding.params, [ref.as_dict() for ref in finding.objects]
        row = stored.get(key)
        if row is None:
            subject_type, subject_id = _subject_of(finding)
            row = Finding(
                key=key,
                rule=finding.rule.id,
                severity=int(finding.severity),
                params=params,
                refs_data=objects,
                subject_type=subject_type,
                subject_id=subject_id,
                first_seen=now,
                changed_at=now,
                status=FindingStatus.OPEN,
            )
            to_create.append((finding, row))
            continue
        if row.status == FindingStatus.RESOLVED:
            reopened.add(key)
        if (
            row.status == FindingStatus.RESOLVED
            or not _same_json(row.params, params)
            or not _same_json(row.refs_data, objects)
        ):
            changed[key] = objects

    gone = sorted(unresolved - set(current))
    # Owners follow the rule (a new manager takes over), unless chosen by hand.
    kept = {key: row for key, row in stored.items() if key in current and not row.owner_by_hand}
    before = {key: row.owner_id for key, row in kept.items()}
    _owners([row for _, row in to_create] + list(kept.values()))
    updating = set(changed) | {key for key, row in kept.items() if row.owner_id != before[key]}
    to_update = _updated_rows(
        {key: stored[key] for key in updating}, current, changed, reopened, now
    )
    events: list[FindingEvent] = []
    for chunk in _chunks(gone):
        ids = list(Finding.objects.filter(key__in=chunk).values_list("pk", flat=True))
        Finding.objects.filter(pk__in=ids).update(
            resolved_at=now, status=FindingStatus.RESOLVED, changed_at=now
        )
        events += [
            FindingEvent(finding_id=pk, at=now, kind=EventKind.RESOLVED, status="resolved")
            for pk in ids
        ]
    for chunk in _chunks(to_create):
        Finding.objects.bulk_create([row for _, row in chunk])
        FindingObject.objects.bulk_create(
            [ref for finding, row in chunk for ref in _refs(row, finding)]
        )
        events += [
            FindingEvent(finding=row, at=now, kind=EventKind.OPENED, status="open")
            for _, row in chunk
        ]
    if to_update:
        Finding.objects.bulk_update(to_update, _UPDATED_FIELDS, batch_size=BATCH)
        for chunk in _chunks([row.pk for row in to_update]):
            FindingObject.objects.filter(finding_id__in=chunk).delete()
        FindingObject.objects.bulk_create(
            [ref for row in to_update for ref in _refs(row, current[row.key])], batch_size=BATCH
        )
        events += [
            FindingEvent(finding=row, at=now, kind=EventKind.REOPENED, status="open")
            for row in to_update
            if row.key in reopened
        ]
    FindingEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(to_create) + len(reopened), len(gone)


def _updated_rows(
    rows: dict[str, _Stored],
    current: dict[str, EngineFinding],
    changed: dict[str, list[dict]],
    reopened: set[str],
    now: datetime.datetime,
) -> list[Finding]:
    """Load the stored findings ``rows`` whole and give them their new values: params and
    objects (``changed``, as found now), open again (``reopened``), and the owner."""
    updated: list[Finding] = []
    by_pk = {row.pk: (key, row) for key, row in rows.items()}
    for chunk in _chunks(sorted(by_pk)):
        for finding in Finding.objects.filter(pk__in=chunk).only("pk", "key", *_UPDATED_FIELDS):
            key, row = by_pk[finding.pk]
            if key in reopened:
                finding.first_seen, finding.resolved_at = now, None
                finding.status = FindingStatus.OPEN
                finding.accepted_until, finding.accepted_reason = None, ""
                finding.accepted_by_id = None
            if key in changed:
                finding.params, finding.refs_data = current[key].params, changed[key]
                finding.changed_at = now
            finding.owner_id = row.owner_id
            updated.append(finding)
    return updated


def _same_json(stored: str | None, value: Any) -> bool:
    """Return whether the stored JSON text holds ``value``: compared as text first (SQLite
    keeps the text as written, and decoding thousands costs more than the rules), decoded
    when the text differs (PostgreSQL writes it its own way)."""
    try:
        if stored == json.dumps(value):
            return True
    except (TypeError, ValueError):
        pass
    return stored is not None and json.loads(stored) == value


def _stored(keys: list[str], scope: Q) -> tuple[dict[str, _Stored], set[str]]:
    """Return the stored findings of ``keys`` and the unresolved ones in ``scope`` (their
    params and objects as JSON text), and the keys of the latter.

    The unresolved ones are read by their rules, the rest (new or resolved) by key: a run
    that finds what it found before names no key."""
    text = {"params_text": Cast("params", TextField()), "refs_text": Cast("refs_data", TextField())}
    fields = ("key", "pk", "rule", "subject_id", "params_text", "refs_text", "status", "owner_id")
    rows = Finding.objects.annotate(**text)
    stored: dict[str, _Stored] = {}
    for key, pk, *values in (
        rows.filter(scope, status__in=UNRESOLVED).values_list(*fields, "owner_by_hand").iterator()
    ):
        stored[key] = _Stored(pk, *values)
    unresolved = set(stored)
    for chunk in _chunks([key for key in keys if key not in unresolved]):
        for key, pk, *values in rows.filter(key__in=chunk).values_list(*fields, "owner_by_hand"):
            stored[key] = _Stored(pk, *values)
    return stored, unresolved


@transaction.atomic
def findings_refresh(
    *, rules: Iterable[str] | None = None, progress: Progress | None = None
) -> RefreshResult:
    """Run every rule (or ``rules``) now and store the result; return what changed.

    New problems are opened, problems that went away are resolved, and problems that
    persist keep their first-seen time. Runs under a lock so that two runs never
    interleave. ``progress`` advances by one for each rule evaluated. This is the
    background task's work and the nightly run's; pages never call it.
    """
    started = time.perf_counter()
    now = timezone.now()
    state = _state_locked()
    head = _head_seq()
    known = specs().rules
    rule_ids = [rule for rule in (known if rules is None else rules) if rule in known]
    progress = progress or Progress()
    progress.step(gettext("Evaluating rules"), total=len(rule_ids))
    found = registry.run(
        specs(),
        RuleContext(today=timezone.localdate()),
        only=rule_ids,
        evaluated=lambda rule_id: progress.advance(),
    )
    opened, resolved = _reconcile(found, rule_ids, None)
    duration = round((time.perf_counter() - started) * 1000)
    state.pending_rules = [rule for rule in state.pending_rules if rule not in rule_ids]
    state.updated_at = now
    if rules is None:
        # Everything was evaluated against the registers as they are now.
        state.audit_seq, state.evaluated_on, state.evaluated_at = head, timezone.localdate(), now
        state.duration_ms = duration
    state.save()
    result = RefreshResult(open=len(found), opened=opened, resolved=resolved, duration_ms=duration)
    findings_evaluated.send(sender=Finding, result=result)
    return result


def findings_reevaluate(subjects: dict[str, set[str]]) -> tuple[int, int]:
    """Re-evaluate each rule for the given subject ids only; return (opened, resolved)."""
    rule_ids = [rule for rule, ids in subjects.items() if ids and rule in specs().rules]
    if not rule_ids:
        return 0, 0
    with transaction.atomic():
        found = _evaluate(rule_ids, subjects)
        return _reconcile(found, rule_ids, subjects)


# --- the change journal ----------------------------------------------------------------------


def _dependents() -> dict[str, list[tuple[str, str]]]:
    """Return model label -> [(rule id, path to its subject or WHOLE_RULE)]."""
    index: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for spec in specs().rules.values():
        for label, path in spec.reads:
            index[label].append((spec.id, path))
    return index


def _changed_values(entry: dict[str, Any], name: str) -> list[Any] | None:
    """Return the values field ``name`` had before and after the change, as the audit entry
    recorded them, or ``None`` when the entry does not say."""
    change = (entry["changes"] or {}).get(name)
    if entry["action"] == Action.CREATE:
        return [change[1]] if isinstance(change, list) else None
    if not isinstance(change, list):
        return None
    return [value for value in change if value is not None]


def _subjects_for(label: str, path: str, entries: list[dict[str, Any]]) -> set[str] | None:
    """Return the subject ids the changed rows of ``label`` lead to by ``path``, or ``None``
    when they cannot be told (a deleted row whose path goes through another row)."""
    if path in ("id", "pk"):
        return {entry["object_id"] for entry in entries}
    subjects: set[str] = set()
    lookup: list[str] = []
    for entry in entries:
        values = _changed_values(entry, path) if "__" not in path else None
        if entry["action"] == Action.DELETE and values is None:
            if "__" in path:
                return None
            continue  # the deleted row had no such value
        if values is not None:
            subjects.update(str(value) for value in values if value not in (None, ""))
        if entry["action"] == Action.UPDATE or (
            values is None and entry["action"] == Action.CREATE
        ):
            # The value may not have changed, or the path goes through other rows: read it.
            lookup.append(entry["object_id"])
    if lookup:
        model = apps.get_model(label)
        for chunk in _chunks(lookup):
            rows = model._default_manager.filter(pk__in=chunk).values_list(path, flat=True)
            subjects.update(str(value) for value in rows if value is not None)
    return subjects


def _plan(entries: list[dict[str, Any]]) -> tuple[dict[str, set[str]], set[str]]:
    dependents = _dependents()
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        if entry["object_type"] in dependents:
            by_label[entry["object_type"]].append(entry)
    targeted: dict[str, set[str]] = defaultdict(set)
    whole: set[str] = set()
    for label, changed in by_label.items():
        for rule_id, path in dependents[label]:
            if rule_id in whole:
                continue
            subjects = None if path == WHOLE_RULE else _subjects_for(label, path, changed)
            if subjects is None:
                whole.add(rule_id)
            else:
                targeted[rule_id] |= subjects
    for rule_id in list(targeted):
        if rule_id in whole or len(targeted[rule_id]) > MAX_SUBJECTS:
            whole.add(rule_id)
            del targeted[rule_id]
    return {rule: ids for rule, ids in targeted.items() if ids}, whole


def _queue(rule_ids: set[str] | None, state: FindingsState) -> None:
    """Queue a background run of ``rule_ids`` (every rule for ``None``)."""
    from mamori.findings.tasks import findings_refresh_task

    names = sorted(specs().rules) if rule_ids is None else sorted(rule_ids)
    state.pending_rules = sorted(set(state.pending_rules) | set(names))
    state.save(update_fields=["pending_rules"])
    findings_refresh_task.enqueue(rules=None if rule_ids is None else names)


# The audit head (its hash) at which this process last saw no change waiting. Pages call
# ``findings_ensure_fresh`` several times each; while the head stays there, they read one
# row and take no lock. A hash, not a number: a rolled-back or restored log reuses numbers.
_quiet_head = ""


def _nothing_waits() -> tuple[bool, str]:
    """Return whether no change entry waits to be taken into account (read without a
    lock, so that a page that only reads never queues for SQLite's write lock), and the
    head's hash."""
    head = AuditHead.objects.filter(pk=1).values("seq", "hash").first()
    if head is None:
        return False, ""
    if head["hash"] == _quiet_head:
        return True, head["hash"]
    seen = FindingsState.objects.filter(pk=1).values_list("audit_seq", flat=True).first()
    if seen is None:
        return False, head["hash"]
    waiting = AuditEntry.objects.filter(
        seq__gt=seen, seq__lte=head["seq"], action__in=CHANGE_ACTIONS
    ).exists()
    return not waiting, head["hash"]


def findings_catch_up() -> CatchUp | None:
    """Take the changes written since the last catch-up into account (see the module's
    docstring); return what was done, or ``None`` when another process is at it.

    Views, exports and sign-ins in the log change nothing: when only those were written
    since, nothing is locked nor written."""
    global _quiet_head
    started = time.perf_counter()
    result = CatchUp()
    quiet, head_hash = _nothing_waits()
    if quiet:
        _quiet_head = head_hash
        return result
    with _catch_up_claim() as claimed:
        if not claimed:
            return None  # someone else is catching up: read what is stored
        _catch_up_locked(result)
    result.duration_ms = round((time.perf_counter() - started) * 1000)
    return result


@contextlib.contextmanager
def _catch_up_claim() -> Iterator[bool]:
    """Yield whether this process may catch up now, without waiting for another that is.

    PostgreSQL skips the locked state row (``SKIP LOCKED``). SQLite has no such thing: its
    write lock is taken at the start of a transaction, so a page would wait for another
    process's catch-up, and under load waiters starve. There, a lock file beside the
    database, taken without blocking, tells the same (SQLite is always on one host)."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.features.has_select_for_update_skip_locked or not _on_disk(name):
        yield True
        return
    with open(f"{name}.catch-up.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _on_disk(name: str) -> bool:
    return (
        bool(name)
        and name != ":memory:"
        and not name.startswith("file:")
        and ("mode=memory" not in name)
    )


def _catch_up_locked(result: CatchUp) -> None:
    with transaction.atomic():
        FindingsState.objects.get_or_create(pk=1)
        locked = FindingsState.objects.select_for_update(
            skip_locked=connection.features.has_select_for_update_skip_locked
        ).filter(pk=1)
        state = locked.first()
        if state is None:
            return  # someone else is catching up: read what is stored
        head = _head_seq()
        if head <= state.audit_seq:
            return
        entries = list(
            AuditEntry.objects.filter(
                seq__gt=state.audit_seq, seq__lte=head, action__in=CHANGE_ACTIONS
            )
            .order_by("seq")
            .values("object_type", "object_id", "action", "changes")[: MAX_ENTRIES + 1]
        )
        result.entries = len(entries)
        if len(entries) > MAX_ENTRIES:
            result.queued = set(specs().rules)
            _queue(None, state)
        else:
            result.targeted, whole = _plan(entries)
            if result.targeted:
                findings_reevaluate(result.targeted)
            if whole:
                result.queued = whole
                _queue(whole, state)
        state.audit_seq = head
        state.updated_at = timezone.now()
        state.save(update_fields=["audit_seq", "updated_at"])
        # Changes were taken into account: listeners (the checklist) look again.
        findings_evaluated.send(sender=Finding, result=result)


def findings_are_stale() -> bool:
    """Return whether changes are waiting to be taken into account (or the day turned
    since the last full run)."""
    state = FindingsState.objects.filter(pk=1).first()
    if state is None or state.evaluated_on != timezone.localdate():
        return True
    return AuditEntry.objects.filter(seq__gt=state.audit_seq, action__in=CHANGE_ACTIONS).exists()


# (head hash, day): the findings were up to date at that head on that day. A page asks
# several times; while the head stays there the same day, each ask is one indexed read.
_fresh_at: tuple[str, datetime.date | None] = ("", None)


def findings_ensure_fresh() -> None:
    """Bring the findings up to date with the changes since the last look, cheaply: the
    rules a change concerns are re-evaluated for the objects it touched; whole runs (a
    new day, rules that cannot be targeted) are queued for the background."""
    global _fresh_at
    today = timezone.localdate()
    # Asked whenever a look was taken today (even one that found changes waiting), so
    # that a page costs the same number of queries whatever this process saw before.
    if _fresh_at[1] == today:
        head = AuditHead.objects.filter(pk=1).values_list("hash", flat=True).first()
        if head == _fresh_at[0]:
            return
    state = FindingsState.objects.filter(pk=1).values("evaluated_on", "full_requested_on").first()
    if state is None or (state["evaluated_on"] != today and state["full_requested_on"] != today):
        with transaction.atomic():
            locked = _state_locked()
            if locked.evaluated_on != today and locked.full_requested_on != today:
                locked.full_requested_on = today
                locked.save(update_fields=["full_requested_on"])
                _queue(None, locked)
        _fresh_at = ("", today)
        return
    findings_catch_up()
    # The head at which nothing waited (this call's, or an older one the head has moved
    # past, which never matches again).
    _fresh_at = (_quiet_head, today)


def findings_request_full_run() -> None:
    """Queue a run of every rule (the officer's "check again now")."""
    with transaction.atomic():
        _queue(None, _state_locked())


# --- the work on a finding -------------------------------------------------------------------


def _event(finding: Finding, kind: str, actor: Any, note: str = "") -> None:
    FindingEvent.objects.create(
        finding=finding,
        at=timezone.now(),
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        status=finding.status,
        note=note,
    )


@transaction.atomic
def finding_status_set(*, finding: Finding, status: str, actor: Any, note: str = "") -> Finding:
    """Mark an unresolved finding open or in progress (acceptance has its own service;
    resolution comes from the registers)."""
    if status not in (FindingStatus.OPEN, FindingStatus.IN_PROGRESS):
        raise ApplicationError(gettext("Choose open or in progress."), field="status")
    if finding.status == FindingStatus.RESOLVED:
        raise ApplicationError(gettext("This finding is resolved."))
    finding.status = status
    finding.accepted_until, finding.accepted_reason, finding.accepted_by = None, "", None
    finding.save()
    _event(finding, EventKind.STATUS, actor, note.strip())
    return finding


@transaction.atomic
def finding_accept(*, finding: Finding, until: datetime.date, reason: str, actor: Any) -> Finding:
    """Record the officer's acceptance of the risk until ``until``, with the reason."""
    if finding.status == FindingStatus.RESOLVED:
        raise ApplicationError(gettext("This finding is resolved."))
    if until is None or until <= timezone.localdate():
        raise ApplicationError(gettext("Choose a date after today."), field="accepted_until")
    if not (reason or "").strip():
        raise ApplicationError(gettext("Say why the risk is accepted."), field="accepted_reason")
    finding.status = FindingStatus.ACCEPTED
    finding.accepted_until, finding.accepted_reason = until, reason.strip()
    finding.accepted_by = actor
    finding.save()
    _event(finding, EventKind.ACCEPTED, actor, finding.accepted_reason)
    return finding


@transaction.atomic
def finding_owner_set(*, finding: Finding, owner: Any, actor: Any) -> Finding:
    """Give the finding to ``owner`` by hand (the rule's owner no longer applies)."""
    finding.owner, finding.owner_by_hand = owner, True
    finding.save()
    _event(finding, EventKind.OWNER, actor, owner.get_username() if owner else "")
    return finding


@transaction.atomic
def finding_comment_add(*, finding: Finding, text: str, author: Any) -> FindingComment:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(gettext("Write a comment."), field="text")
    return FindingComment.objects.create(finding=finding, text=text, author=author)


def findings_expire_acceptances(today: datetime.date | None = None) -> int:
    """Reopen the findings whose risk acceptance has expired; return how many."""
    today = today or timezone.localdate()
    expired = list(Finding.objects.filter(status=FindingStatus.ACCEPTED, accepted_until__lt=today))
    for finding in expired:
        with transaction.atomic():
            finding.status = FindingStatus.OPEN
            finding.save()
            _event(finding, EventKind.EXPIRED, None, str(finding.accepted_until))
    return len(expired)


def findings_nightly() -> tuple[RefreshResult, int]:
    """The nightly work: every rule (dates moved on) and acceptances that expired."""
    expired = findings_expire_acceptances()
    return findings_refresh(), expired
