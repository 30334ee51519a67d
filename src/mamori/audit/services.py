"""Writing to and verifying the audit log."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext

from mamori.audit.models import GENESIS_HASH, Action, AuditEntry, AuditHead
from mamori.core.actor import Actor, current_actor
from mamori.core.progress import Progress

__all__ = [
    "VerifyResult",
    "audit_record",
    "audit_record_object",
    "audit_value",
    "audit_verify",
    "object_type_of",
]


def audit_value(value: Any) -> Any:
    """Return ``value`` in a JSON form that reads back identically from any database."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dict):
        return {str(k): audit_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [audit_value(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def object_type_of(obj_or_model: Any) -> str:
    return obj_or_model._meta.label_lower


def audit_record(
    *,
    action: str,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    actor: Actor | None = None,
    parent: models.Model | None = None,
) -> AuditEntry:
    """Append an entry to the log and return it.

    Runs in the caller's transaction when there is one, so a change that is rolled
    back leaves no entry behind.
    """
    actor = actor or current_actor()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor.user_id,
            actor_label=actor.label[:200],
            remote_addr=actor.remote_addr[:64],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:100],
            object_repr=str(object_repr)[:200],
            parent_type=object_type_of(parent) if parent is not None else "",
            parent_id=str(parent.pk) if parent is not None else "",
            changes=audit_value(changes or {}),
            prev_hash=head.hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def audit_record_object(
    obj: models.Model, *, action: str = Action.VIEW, changes: dict[str, Any] | None = None
) -> AuditEntry:
    """Append an entry about ``obj`` (a view of its details, an export...)."""
    label = obj.audit_label() if hasattr(obj, "audit_label") else str(obj)
    return audit_record(
        action=action,
        object_type=object_type_of(obj),
        object_id=obj.pk,
        object_repr=label,
        changes=changes,
        parent=obj.audit_parent() if hasattr(obj, "audit_parent") else None,
    )


# Why an entry fails verification: code -> English text (views translate the code).
VERIFY_REASONS = {
    "missing": "entry is missing",
    "link": "does not link to the previous entry's hash",
    "content": "content does not match its hash",
    "truncated": "newer entries have been removed",
}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    failed_seq: int | None = None
    reason_code: str = ""

    @property
    def reason(self) -> str:
        return VERIFY_REASONS.get(self.reason_code, "")

    def __str__(self) -> str:
        if self.ok:
            return f"audit log intact: {self.checked} entries verified"
        return f"audit log broken at entry #{self.failed_seq}: {self.reason}"


def audit_verify(
    entries: Iterable[AuditEntry] | None = None, *, progress: Progress | None = None
) -> VerifyResult:
    """Check the whole chain and return where it first fails, if anywhere.

    An entry fails when its stored hash differs from the hash of its content (it was
    edited), when it does not point to the previous entry's hash, or when numbers are
    missing (an entry was removed). The head must point to the last entry, so removing
    the newest entries is caught as well. ``progress`` advances by one for each entry.
    """
    if progress is not None:
        total = AuditEntry.objects.count() if entries is None else None
        progress.step(gettext("Verifying entries"), total=total)
    progress = progress or Progress()
    if entries is None:
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    expected_seq, previous_hash, checked = 1, GENESIS_HASH, 0
    for entry in entries:
        progress.advance()
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, "missing")
        if entry.prev_hash != previous_hash:
            return VerifyResult(False, checked, entry.seq, "link")
        if entry.compute_hash() != entry.hash:
            return VerifyResult(False, checked, entry.seq, "content")
        previous_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != previous_hash:
        return VerifyResult(False, checked, checked + 1, "truncated")
    return VerifyResult(True, checked)
