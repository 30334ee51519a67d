"""``mamori contract check FILE [--type TYPE] [--format json]``: the contract checker on the
command line.

Exit status: 0 when every clause the type requires is present (weak ones are reported),
1 when one is missing, 2 when the file cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from mamori.contracts.checker import document_error_message, requirements
from mamori.core.commands import SubcommandCommand
from mamori.engines.clauses import CheckReport, ClauseCheckError, check_document

STATUS_MARKS = {"present": "○", "weak": "△", "missing": "×"}


class Command(SubcommandCommand):
    help = "Check a contract file for the clauses its type requires."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="check one contract file (Word, PDF, text)")
        check.add_argument("file", type=Path)
        names = [name for rule in requirements().types for name in rule.names]
        check.add_argument(
            "--type",
            dest="kind",
            choices=names,
            help="the contract's type; guessed from the contract when left out",
        )
        check.add_argument("--format", choices=["text", "json"], default="text")
        check.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with translation.override(options["language"]):
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2) from exc
            try:
                report = check_document(
                    data, name=path.name, requirements=requirements(), kind=options["kind"]
                )
            except ClauseCheckError as exc:
                raise CommandError(document_error_message(exc, path.name), returncode=2) from exc
            if options["format"] == "json":
                self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            else:
                self.write_text(report, options["language"])
        if report.missing:
            raise CommandError(
                f"{len(report.missing)} required clause(s) missing: "
                + ", ".join(result.key for result in report.missing),
                returncode=1,
            )

    def write_text(self, report: CheckReport, language: str) -> None:
        english = language == "en"
        guessed = "" if report.type_given else f" (guessed, {report.type_confidence:.0%})"
        self.stdout.write(f"{report.title or '—'}: {report.type_name}{guessed}")
        for result in report.required:
            title = result.title_en if english else result.title_ja
            where = f"  {result.article}" if result.article else ""
            self.stdout.write(
                f"{STATUS_MARKS[str(result.status)]} {title} [{result.status}]{where}"
            )
            if result.quote and str(result.status) != "missing":
                self.stdout.write(
                    f"    「{result.quote}」" if not english else f"    “{result.quote}”"
                )
            for reason in result.reasons:
                self.stdout.write(f"    → {reason.get(language)}")
        present = sum(1 for r in report.required if str(r.status) == "present")
        self.stdout.write(
            f"{present} present, {len(report.weak)} weak, {len(report.missing)} missing "
            f"of {len(report.required)} required"
        )
