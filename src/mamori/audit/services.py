"""Writing to and verifying the audit log."""

from __future__ import annotations

import datetime
import decimal
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext

from mamori.audit.checkpoints import (
    Checkpoint,
    CheckpointError,
    checkpoint_journal,
    checkpoint_maybe,
    checkpoints_latest,
)
from mamori.audit.models import GENESIS_HASH, Action, AuditEntry, AuditHead
from mamori.core.actor import SYSTEM, Actor, current_actor
from mamori.core.progress import Progress

__all__ = [
    "VerifyResult",
    "audit_anchor",
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
        # Registered in the entry's own (savepoint) transaction: an entry rolled back is
        # never written to the file.
        transaction.on_commit(functools.partial(checkpoint_journal, entry.seq, entry.hash))
        transaction.on_commit(checkpoint_maybe)
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
    "content": "content does not match its keyed hash",
    "truncated": "newer entries have been removed",
    "unkeyed": "the log is not keyed with this installation's audit key",
    "checkpoint": "differs from the entry a checkpoint recorded",
    "checkpoint_file": "a checkpoint file has been altered or is signed with another key",
}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    failed_seq: int | None = None
    reason_code: str = ""
    # The newest checkpoint the log was checked against (``None``: there is none yet).
    checkpoint: Checkpoint | None = None
    detail: str = ""

    @property
    def reason(self) -> str:
        return VERIFY_REASONS.get(self.reason_code, "")

    def __str__(self) -> str:
        if self.ok:
            if self.checkpoint is None:
                return (
                    f"audit log intact: {self.checked} entries verified; no checkpoint yet, "
                    "so removed newest entries could not be noticed (mamori audit checkpoint)"
                )
            return (
                f"audit log intact: {self.checked} entries verified, up to and beyond the "
                f"checkpoint of entry #{self.checkpoint.seq} at {self.checkpoint.at}"
            )
        text = f"audit log broken at entry #{self.failed_seq}: {self.reason}"
        return f"{text} ({self.detail})" if self.detail else text


def _checkpoints() -> tuple[list[Checkpoint], str]:
    try:
        return checkpoints_latest(), ""
    except CheckpointError as exc:
        return [], str(exc)


def audit_verify(
    entries: Iterable[AuditEntry] | None = None, *, progress: Progress | None = None
) -> VerifyResult:
    """Check the whole chain and return where it first fails, if anywhere.

    An entry fails when its stored hash differs from the keyed hash of its content (it was
    edited, or the chain was recomputed without the key), when it does not point to the
    previous entry's hash, or when numbers are missing (an entry was removed). Entries
    written before the audit key existed carry a plain hash and must be followed by the
    keyed anchor entry. The head must point to the last entry, and the log must reach every
    checkpoint written outside the database with the same hashes: removing the newest
    entries and moving the head is caught there ("truncated"). ``progress`` advances by one
    for each entry.
    """
    if progress is not None:
        total = AuditEntry.objects.count() if entries is None else None
        progress.step(gettext("Verifying entries"), total=total)
    progress = progress or Progress()
    checkpoints, checkpoint_problem = _checkpoints()
    if checkpoint_problem:
        return VerifyResult(False, 0, None, "checkpoint_file", detail=checkpoint_problem)
    wanted = {c.seq: c for c in checkpoints}
    newest = checkpoints[-1] if checkpoints else None
    if entries is None:
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    expected_seq, previous_hash, checked = 1, GENESIS_HASH, 0
    keyed_seen = plain_before = False
    for entry in entries:
        progress.advance()
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, "missing", newest)
        if entry.prev_hash != previous_hash:
            return VerifyResult(False, checked, entry.seq, "link", newest)
        if entry.compute_hash() == entry.hash:
            if plain_before and not keyed_seen and entry.action != Action.ANCHOR:
                return VerifyResult(False, checked, entry.seq, "unkeyed", newest)
            keyed_seen = True
        elif not keyed_seen and entry.plain_hash() == entry.hash:
            plain_before = True
        else:
            return VerifyResult(False, checked, entry.seq, "content", newest)
        checkpoint = wanted.get(entry.seq)
        if checkpoint is not None and checkpoint.hash != entry.hash:
            return VerifyResult(
                False, checked, entry.seq, "checkpoint", newest, detail=checkpoint.at
            )
        previous_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    if checked and not keyed_seen:
        return VerifyResult(False, checked, 1, "unkeyed", newest)
    if newest is not None and newest.seq > checked:
        return VerifyResult(
            False,
            checked,
            checked + 1,
            "truncated",
            newest,
            detail=f"checkpoint of #{newest.seq} at {newest.at}",
        )
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != previous_hash:
        return VerifyResult(False, checked, checked + 1, "truncated", newest)
    return VerifyResult(True, checked, checkpoint=newest)


def audit_anchor() -> AuditEntry | None:
    """Key a log written before the audit key: append the anchor entry, keyed, after the
    last plain entry (``None`` when the newest entry is keyed already or the log is empty).

    The migration that introduced the key does this; run it again (``mamori audit anchor``)
    after restoring a backup made before that version.
    """
    with transaction.atomic():
        last = AuditEntry.objects.order_by("-seq").first()
        if last is None or last.compute_hash() == last.hash:
            return None
        return audit_record(
            action=Action.ANCHOR,
            object_type="audit.auditentry",
            object_id=last.seq,
            object_repr=f"#{last.seq}",
            changes={"previous_head": last.hash, "entries": last.seq, "scheme": "hmac-sha256"},
            actor=SYSTEM,
        )
