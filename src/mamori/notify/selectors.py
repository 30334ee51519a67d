"""Reads for the digest: who gets one, and everything that may go into it, gathered once
per run in a fixed number of queries (whatever the number of users)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.approvals.models import ApprovalRequest
from mamori.approvals.selectors import approvals_pending
from mamori.audit.models import AuditHead
from mamori.company.models import Company
from mamori.findings.models import ACTIVE, Finding, FindingObject
from mamori.findings.services import findings_ensure_fresh
from mamori.notify.config import DueSource, config
from mamori.notify.models import DigestPreference, DigestState
from mamori.people.models import Person, PersonStatus, Pledge

__all__ = [
    "Collected",
    "DueRow",
    "OwnedRef",
    "digest_collect",
    "digest_enabled",
    "digest_last_sent",
    "digest_recipients",
    "officer_ids",
]

CHUNK = 500  # ids per IN (...) list, well under every database's parameter limit


@dataclass(frozen=True)
class DueRow:
    """A row of a due source: its date, label values, link argument and owners."""

    source: DueSource
    pk: Any
    date: datetime.date
    values: dict[str, Any]
    owners: frozenset[int]


@dataclass(frozen=True)
class OwnedRef:
    """An object a finding concerns that a user owns (or, for own findings, is)."""

    finding_id: int
    type: str
    id: str
    label: str


@dataclass
class Collected:
    """What the digests of one run are made of, before any language is chosen."""

    today: datetime.date
    horizon: datetime.date
    officers: frozenset[int]
    findings: dict[int, Finding] = field(default_factory=dict)
    owned: dict[int, list[OwnedRef]] = field(default_factory=lambda: defaultdict(list))
    own: dict[int, list[OwnedRef]] = field(default_factory=lambda: defaultdict(list))
    due: list[DueRow] = field(default_factory=list)
    pledges: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    # Every pending approval request; each digest lists those its user may decide.
    approvals: list[ApprovalRequest] = field(default_factory=list)
    # The audit log's head (number, hash) for the officer's summary.
    audit_head: tuple[int, str] = (0, "")


def digest_enabled(user: User) -> bool:
    """Return whether ``user`` wants the digest (yes, until they say otherwise)."""
    return not DigestPreference.objects.filter(user=user, digest_enabled=False).exists()


def digest_last_sent(user: User) -> datetime.datetime | None:
    return DigestState.objects.filter(user=user).values_list("last_sent_at", flat=True).first()


def officer_ids() -> frozenset[int]:
    """Return the active officers: everyone with the role, and the company's named officer."""
    ids = set(User.objects.filter(is_active=True, role=Role.OFFICER).values_list("pk", flat=True))
    named = Company.objects.filter(officer__is_active=True).values_list("officer_id", flat=True)
    return frozenset(ids | set(named))


def digest_recipients(username: str = "") -> QuerySet[User]:
    """Return the active users with an e-mail address (one of them with ``username``),
    each annotated with ``wants_digest``."""
    users = User.objects.filter(is_active=True).exclude(email="")
    if username:
        users = users.filter(username=username)
    opted_out = DigestPreference.objects.filter(user=OuterRef("pk"), digest_enabled=False)
    return users.annotate(opted_out=Exists(opted_out)).order_by("username")


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _open_refs(object_type: str, rules: Iterable[str] | None = None) -> list[tuple[int, str]]:
    refs = FindingObject.objects.filter(finding__status__in=ACTIVE, object_type=object_type)
    if rules is not None:
        refs = refs.filter(finding__rule__in=list(rules))
    return list(refs.values_list("finding_id", "object_id"))


def _labels(finding: Finding) -> dict[tuple[str, str], str]:
    return {(ref["type"], str(ref["id"])): ref.get("label", "") for ref in finding.refs_data}


def _collect_owned(data: Collected) -> None:
    for spec in config().owned_objects:
        refs = _open_refs(spec.type)
        ids = sorted({object_id for _, object_id in refs if object_id.isdigit()}, key=int)
        owners: dict[str, int] = {}
        for chunk in _chunks(ids):
            rows = spec.model._default_manager.filter(
                pk__in=[int(i) for i in chunk], **{f"{spec.owner}__isnull": False}
            ).values_list("pk", spec.owner)
            owners.update((str(pk), owner) for pk, owner in rows)
        for finding_id, object_id in refs:
            if object_id in owners and finding_id in data.findings:
                label = _labels(data.findings[finding_id]).get((spec.type, object_id), "")
                data.owned[owners[object_id]].append(
                    OwnedRef(finding_id, spec.type, object_id, label)
                )


def _collect_own(data: Collected) -> None:
    refs = _open_refs(Person._meta.label_lower, config().own_findings)
    ids = sorted({object_id for _, object_id in refs if object_id.isdigit()}, key=int)
    users: dict[str, int] = {}
    for chunk in _chunks(ids):
        rows = Person.objects.filter(pk__in=[int(i) for i in chunk], user__isnull=False)
        users.update((str(pk), user_id) for pk, user_id in rows.values_list("pk", "user_id"))
    for finding_id, object_id in refs:
        if object_id in users and finding_id in data.findings:
            data.own[users[object_id]].append(
                OwnedRef(finding_id, Person._meta.label_lower, object_id, "")
            )


def _due_rows(source: DueSource, today: datetime.date, horizon: datetime.date, user: Any):
    manager = source.model._default_manager
    rows = manager.filter(**source.filter, **{f"{source.date}__lte": horizon})
    if source.exclude:
        rows = rows.exclude(**source.exclude)
    if not source.overdue:
        rows = rows.filter(**{f"{source.date}__gte": today})
    if source.latest_group:
        newer = manager.filter(
            **{
                source.latest_group: OuterRef(source.latest_group),
                f"{source.latest_by}__gt": OuterRef(source.latest_by),
            }
        )
        rows = rows.exclude(Exists(newer))
    if user is not None:
        # One user's preview: only what they own.
        if not source.owner:
            return []
        rows = rows.filter(**{source.owner: user.pk})
    return rows.order_by(source.date, "pk").values(*source.values_fields())


def _collect_due(data: Collected, user: Any) -> None:
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    for source in config().due:
        grouped: dict[Any, tuple[dict[str, Any], set[int]]] = {}
        for row in _due_rows(source, data.today, data.horizon, user):
            values, owners = grouped.setdefault(row["pk"], (row, set()))
            owner = row.get(source.owner) if source.owner else None
            if owner is not None and owner in active:
                owners.add(owner)
        for pk, (values, owners) in grouped.items():
            data.due.append(DueRow(source, pk, values[source.date], values, frozenset(owners)))


def _collect_pledges(data: Collected, user: Any) -> None:
    pledges = Pledge.objects.filter(signed_on__isnull=True, person__user__isnull=False).exclude(
        person__status=PersonStatus.DEPARTED
    )
    if user is not None:
        pledges = pledges.filter(person__user=user)
    for row in pledges.order_by("requested_on", "pk").values(
        "pk", "title", "requested_on", "person__user_id"
    ):
        data.pledges[row["person__user_id"]].append(row)


def digest_collect(*, today: datetime.date | None = None, user: Any = None) -> Collected:
    """Gather the open findings, due dates and waiting pledges for every digest (or, with
    ``user``, for that user's alone), re-evaluating findings first if anything changed."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=config().horizon_days)
    findings_ensure_fresh()
    officers = officer_ids()
    data = Collected(today=today, horizon=horizon, officers=officers)
    data.findings = {finding.pk: finding for finding in Finding.objects.filter(status__in=ACTIVE)}
    _collect_owned(data)
    _collect_own(data)
    is_officer = user is not None and user.pk in officers
    _collect_due(data, None if user is None or is_officer else user)
    _collect_pledges(data, user)
    data.approvals = list(approvals_pending())
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    data.audit_head = (head[0], head[1]) if head else (0, "")
    return data
