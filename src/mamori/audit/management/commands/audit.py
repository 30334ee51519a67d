"""``mamori audit verify|export``: check the hash chain, or write the log as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mamori.audit.checkpoints import checkpoint_write
from mamori.audit.export import entry_rows
from mamori.audit.models import Action, AuditEntry
from mamori.audit.services import audit_record, audit_verify
from mamori.core.actor import Actor, acting_as
from mamori.core.cells import csv_writer
from mamori.core.commands import SubcommandCommand
from mamori.core.progress import Progress, progress_bar


class Command(SubcommandCommand):
    help = (
        "Verify the audit log's keyed hash chain against its checkpoints (exit 1 naming the "
        "first bad entry), write a checkpoint, or export the log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify", help="check every entry's keyed hash and link, against the checkpoints"
        )
        sub.add_parser(
            "checkpoint", help="write a signed checkpoint of the log's head outside the database"
        )
        export = sub.add_parser("export", help="write the log as CSV")
        export.add_argument("--output", "-o", help="file to write (default: standard output)")

    def _bar(
        self, label: str, enabled: bool, total: int | None = None
    ) -> AbstractContextManager[Progress]:
        # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
        return progress_bar(
            label,
            total=total,
            unit=pgettext("progress unit", "entries"),
            stream=self.stderr._out,
            enabled=enabled,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        enabled = options["verbosity"] > 0
        if options["action"] == "checkpoint":
            checkpoint = checkpoint_write()
            if checkpoint is None:
                raise CommandError(
                    _("No checkpoint written: the log is empty or its head does not verify."),
                    returncode=1,
                )
            self.stdout.write(
                _("Checkpoint of entry #%(seq)s written (%(hash)s).")
                % {"seq": checkpoint.seq, "hash": checkpoint.hash}
            )
            return
        if options["action"] == "verify":
            with self._bar(_("Audit log"), enabled) as progress:
                result = audit_verify(progress=progress)
            if not result.ok:
                raise CommandError(str(result), returncode=1)
            self.stdout.write(str(result))
            return
        with acting_as(Actor(user_id=None, label="cli:audit-export")):
            audit_record(action=Action.EXPORT, object_type="audit.auditentry", object_repr="CSV")
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
        output = options.get("output")
        written = 0

        def counted() -> Iterator[AuditEntry]:
            nonlocal written
            for entry in entries:
                written += 1
                yield entry

        total = AuditEntry.objects.count()
        with self._bar(_("Audit log export"), enabled, total) as progress:
            rows = entry_rows(counted(), progress)
            if output:
                with open(output, "w", newline="", encoding="utf-8-sig") as handle:
                    csv_writer(handle).writerows(rows)
            else:
                # The raw stream: the CSV goes out exactly as the writer makes it.
                csv_writer(self.stdout._out).writerows(rows)
        if output:
            self.stdout.write(
                _("%(count)d audit log entries written to %(file)s.")
                % {"count": written, "file": output}
            )
        elif enabled:
            # Standard output holds the CSV alone; the summary goes beside the bar.
            self.stderr.write(
                _("%(count)d audit log entries written to standard output.") % {"count": written}
            )
