"""``mamori screening import FILE | run | check NAME [--country CC] [--format json]``."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mamori.core.commands import SubcommandCommand
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress, progress_bar
from mamori.exportcontrol.services import screening


class Command(SubcommandCommand):
    help = "Import the end-user list, screen every counterparty, or check one name."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imported = commands.add_parser("import", help="import a list file (CSV or .xlsx)")
        imported.add_argument("file")
        imported.add_argument("--label", help="the list's version (default: the file name)")
        runner = commands.add_parser(
            "run", help="screen every counterparty against the list in force"
        )
        check = commands.add_parser("check", help="screen one name; nothing is written")
        check.add_argument("name")
        check.add_argument("--country", default="", help="two-letter country code, e.g. CN")
        check.add_argument("--threshold", type=float, default=None)
        check.add_argument("--format", choices=["text", "json"], default="text")
        for command in (imported, runner, check):
            command.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with translation.override(options["language"]):
                getattr(self, f"do_{options['action']}")(options)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc

    def _bar(self, options: dict[str, Any]) -> AbstractContextManager[Progress]:
        # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
        return progress_bar(
            _("Screening"),
            unit=pgettext("progress unit", "entries"),
            stream=self.stderr._out,
            enabled=options["verbosity"] > 0,
        )

    def _summary(self, result: screening.RunResult) -> str:
        return _(
            "Screened %(screened)d counterparties: %(new)d new hit(s), %(open)d to decide."
        ) % {"screened": result.screened, "new": result.new_hits, "open": result.open_hits}

    def do_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            with self._bar(options) as progress:
                end_user_list, result = screening.end_user_list_import(
                    content=content,
                    filename=path.name,
                    label=options.get("label") or path.name,
                    user=None,
                    progress=progress,
                )
        except screening.ListHasErrors as exc:
            lines = [
                f"{path.name}: row {e.row}, {e.column}: {e.message}" for e in exc.parsed.errors
            ]
            raise CommandError("\n".join([str(exc), *lines])) from exc
        self.stdout.write(
            _("Imported %(count)d entries as “%(label)s”.")
            % {"count": end_user_list.entry_count, "label": end_user_list.label}
        )
        self.stdout.write(self._summary(result))

    def do_run(self, options: dict[str, Any]) -> None:
        with self._bar(options) as progress:
            result = screening.screening_run(progress=progress)
        self.stdout.write(self._summary(result))

    def do_check(self, options: dict[str, Any]) -> None:
        matches = screening.screening_check(
            options["name"], country=options["country"], threshold=options["threshold"]
        )
        if options["format"] == "json":
            rows = [{**m.as_dict(), "entry": m.entry.names[0]} for m in matches]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not matches:
            self.stdout.write("no hit")
        for match in matches:
            entry = match.entry
            self.stdout.write(
                f"{match.score:5.1f}  {match.matched_name} [{entry.country or '-'}] "
                f"(entry {entry.key}): {match.reason}"
            )
