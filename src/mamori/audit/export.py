"""The audit log as CSV rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.utils import timezone

from mamori.audit.models import AuditEntry
from mamori.core.progress import Progress

CSV_HEADER = [
    "seq",
    "at",
    "actor",
    "remote_addr",
    "action",
    "object_type",
    "object_id",
    "object",
    "parent_type",
    "parent_id",
    "changes",
    "prev_hash",
    "hash",
]


def entry_rows(
    entries: Iterable[AuditEntry], progress: Progress | None = None
) -> Iterator[list[str]]:
    """The header, then one row per entry; ``progress`` advances by one for each entry."""
    progress = progress or Progress()
    yield CSV_HEADER
    for entry in entries:
        yield [
            str(entry.seq),
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor_label,
            entry.remote_addr,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.object_repr,
            entry.parent_type,
            entry.parent_id,
            json.dumps(entry.changes, ensure_ascii=False, sort_keys=True),
            entry.prev_hash,
            entry.hash,
        ]
        progress.advance()
