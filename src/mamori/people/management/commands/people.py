"""``mamori people import FILE [--dry-run]``: import people from CSV or Excel, all or none."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from mamori.core.actor import Actor, acting_as
from mamori.core.commands import SubcommandCommand, import_file_read
from mamori.core.progress import Progress, progress_bar
from mamori.people import services
from mamori.people.importer import PeopleFileError, parse_people_file


class Command(SubcommandCommand):
    help = "Import people from a CSV or Excel (.xlsx) file: every row is written, or none."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="import a people file (CSV or .xlsx)")
        importer.add_argument("file", help="the file to import")
        importer.add_argument(
            "--dry-run", action="store_true", help="check the file and report; write nothing"
        )
        importer.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._import(
                Path(options["file"]), dry_run=options["dry_run"], bar=options["verbosity"] > 0
            )

    def _bar(self, enabled: bool) -> AbstractContextManager[Progress]:
        # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
        return progress_bar(
            _("People import"), unit=_("rows"), stream=self.stderr._out, enabled=enabled
        )

    def _import(self, path: Path, *, dry_run: bool, bar: bool) -> None:
        content = import_file_read(path)
        try:
            with self._bar(bar) as progress:
                parsed = parse_people_file(content, path.name, progress=progress)
        except PeopleFileError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        if parsed.errors:
            self.refuse_import(path, parsed.errors)
        if dry_run:
            self.stdout.write(
                _(
                    "%(file)s has no errors: %(create)d to add, %(update)d to update. "
                    "Nothing was written (--dry-run)."
                )
                % {"file": path, "create": parsed.to_create, "update": parsed.to_update}
            )
            return
        # The bar is closed before any error is printed, so that the two do not mix.
        try:
            with (
                acting_as(Actor(user_id=None, label="cli:people-import")),
                self._bar(bar) as progress,
            ):
                result = services.people_import(parsed=parsed, progress=progress)
        except services.PeopleImportError as exc:
            self.refuse_import(path, exc.errors)
        self.stdout.write(
            _(
                "Imported %(file)s: %(created)d added, %(updated)d updated, %(unchanged)d "
                "unchanged, %(transferred)d transfers recorded."
            )
            % {
                "file": path,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "transferred": result.transferred,
            }
        )
