"""``mamori screening import FILE | run | check NAME [--country CC] [--format json]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamori.core.errors import ApplicationError
from mamori.exportcontrol.services import screening


class Command(BaseCommand):
    help = "Import the end-user list, screen every counterparty, or check one name."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imported = commands.add_parser("import", help="import a list file (CSV or .xlsx)")
        imported.add_argument("file")
        imported.add_argument("--label", help="the list's version (default: the file name)")
        commands.add_parser("run", help="screen every counterparty against the list in force")
        check = commands.add_parser("check", help="screen one name; nothing is written")
        check.add_argument("name")
        check.add_argument("--country", default="", help="two-letter country code, e.g. CN")
        check.add_argument("--threshold", type=float, default=None)
        check.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc

    def do_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            end_user_list, result = screening.end_user_list_import(
                content=content,
                filename=path.name,
                label=options.get("label") or path.name,
                user=None,
            )
        except screening.ListHasErrors as exc:
            lines = [
                f"{path.name}: row {e.row}, {e.column}: {e.message}" for e in exc.parsed.errors
            ]
            raise CommandError("\n".join([str(exc), *lines])) from exc
        self.stdout.write(
            f"imported {end_user_list.entry_count} entries as “{end_user_list.label}”; "
            f"screened {result.screened} counterparties: {result.new_hits} new hit(s), "
            f"{result.open_hits} to decide"
        )

    def do_run(self, options: dict[str, Any]) -> None:
        result = screening.screening_run()
        self.stdout.write(
            f"screened {result.screened} counterparties: {result.new_hits} new hit(s), "
            f"{result.open_hits} to decide"
        )

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
