"""Template helpers for showing audit entries in plain words (``mamori.audit.reading``)."""

from __future__ import annotations

from django import template

from mamori.audit.models import AuditEntry
from mamori.audit.reading import ChangeRow, EntryReader, ReadEntry

register = template.Library()


@register.filter
def read_entry(entry: AuditEntry) -> ReadEntry:
    """Return one entry as read (names looked up for this entry alone)."""
    return EntryReader().read([entry])[0]


@register.filter
def change_rows(entry: AuditEntry) -> list[ChangeRow]:
    """Return an entry's field changes as (label, before, after) in the reader's language."""
    return read_entry(entry).rows


@register.filter
def changed_fields(entry: AuditEntry) -> list[str]:
    """Return the labels of the fields an entry changed."""
    return EntryReader().labels(entry)
