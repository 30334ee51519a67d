"""The audit log as CSV rows, for people first and machines last.

One column per concern, headers and cells in the reader's language (names, labels, the
local time); the raw change as JSON only in the last column, for machines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from mamori.audit.models import AuditEntry
from mamori.audit.reading import EntryReader
from mamori.core.progress import Progress

CSV_HEADER = [
    _("Entry no."),
    _("When"),
    _("By"),
    _("Username"),
    _("IP address"),
    _("Action"),
    _("Object type"),
    _("Object"),
    _("Object ID"),
    _("Part of"),
    _("Changes"),
    _("Summary"),
    _("Hash of the previous entry"),
    _("Hash"),
    _("Changes (JSON, for machines)"),
]


def entry_rows(
    entries: Iterable[AuditEntry], progress: Progress | None = None
) -> Iterator[list[str]]:
    """The header, then one row per entry; ``progress`` advances by one for each entry."""
    progress = progress or Progress()
    yield [str(header) for header in CSV_HEADER]
    for read in EntryReader().read_stream(entries):
        entry = read.entry
        yield [
            str(entry.seq),
            formats.date_format(read.when, "Y/m/d H:i:s"),
            read.actor,
            read.username,
            entry.remote_addr,
            entry.get_action_display(),
            read.kind,
            read.name,
            entry.object_id,
            read.parent,
            read.changes_text,
            read.sentence,
            entry.prev_hash,
            entry.hash,
            json.dumps(entry.changes, ensure_ascii=False, sort_keys=True),
        ]
        progress.advance()
