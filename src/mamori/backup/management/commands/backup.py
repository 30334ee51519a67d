"""``mamori backup -o FILE``: database content and uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamori.backup.services import backup_create
from mamori.core.actor import Actor, acting_as
from mamori.core.errors import ApplicationError
from mamori.core.progress import progress_bar


def size_text(size: float) -> str:
    """Return a byte count as people read it (12.3 MB)."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Command(BaseCommand):
    help = (
        "Write the database content and every uploaded file to one archive (.tar.gz) with a "
        "manifest and checksums; safe while the application runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="archive to write (.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]).expanduser().resolve()
        with (
            acting_as(Actor(user_id=None, label="cli:backup")),
            progress_bar("backup", enabled=options["verbosity"] > 0) as bar,
        ):
            try:
                result = backup_create(output=output, progress=bar)
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
        for missing in result.missing_files:
            self.stderr.write(
                f"missing file: {missing['name']} ({missing['model']} #{missing['pk']})"
            )
        self.stdout.write(
            f"{result.path}: {result.tables} tables, {result.rows} rows, {result.files} files "
            f"({size_text(result.file_bytes)}); archive {size_text(result.archive_bytes)}, "
            f"{result.seconds:.1f} s"
            + (f"; {len(result.missing_files)} file(s) missing" if result.missing_files else "")
        )
        self.stdout.write(f"SHA-256 {result.archive_sha256}")
