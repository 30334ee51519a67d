"""``mamori restore FILE [--force]``: put a backup back into an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamori.backup.management.commands.backup import size_text
from mamori.backup.services import backup_restore
from mamori.core.errors import ApplicationError
from mamori.core.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Restore a backup made by `mamori backup` into an empty installation (run "
        "`mamori migrate` first). The archive is verified before anything is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the backup archive (.tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace everything in an installation that is not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with progress_bar("restore", enabled=options["verbosity"] > 0) as bar:
            try:
                result = backup_restore(
                    path=Path(options["archive"]).expanduser(), force=options["force"], progress=bar
                )
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored the backup of {result.created_at}: {result.tables} tables, "
            f"{result.rows} rows, {result.files} files ({size_text(result.file_bytes)}) "
            f"in {result.seconds:.1f} s"
            + ("; the previous content was replaced" if result.replaced else "")
        )
        self.stdout.write("check the audit log with: mamori audit verify")
