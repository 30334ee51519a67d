"""``mamori audit verify|export``: check the hash chain, or write the log as CSV."""

from __future__ import annotations

import csv
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamori.audit.context import Actor, acting_as
from mamori.audit.export import entry_rows
from mamori.audit.models import Action, AuditEntry
from mamori.audit.services import audit_record, audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (exit 1 naming the first bad entry) or export it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every entry's hash and link")
        export = sub.add_parser("export", help="write the log as CSV")
        export.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            result = audit_verify()
            if not result.ok:
                raise CommandError(str(result), returncode=1)
            self.stdout.write(str(result))
            return
        with acting_as(Actor(user_id=None, label="cli:audit-export")):
            audit_record(action=Action.EXPORT, object_type="audit.auditentry", object_repr="CSV")
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
        if options.get("output"):
            with open(options["output"], "w", newline="", encoding="utf-8-sig") as handle:
                csv.writer(handle).writerows(entry_rows(entries))
        else:
            csv.writer(sys.stdout).writerows(entry_rows(entries))
