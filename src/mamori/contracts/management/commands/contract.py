"""``mamori contract check FILE [--type TYPE] [--format json]``: the contract checker on the
command line; ``mamori contract redline FILE -o OUT.docx [--type TYPE]``: the negotiation
draft.

Exit status of ``check``: 0 when every clause the type requires is present (weak ones are
reported), 1 when one is missing, 2 when the file cannot be read or the arguments are
wrong. ``redline`` exits 0 when the draft is written and 2 when the file cannot be read
(then nothing is written).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from mamori.contracts.checker import (
    contract_redline,
    document_error_message,
    ocr_reader,
    requirements,
)
from mamori.contracts.statuses import load_statuses
from mamori.core.commands import SubcommandCommand
from mamori.core.errors import ApplicationError
from mamori.engines.clauses import CheckReport, ClauseCheckError, check_document


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
        draft = sub.add_parser(
            "redline",
            help="write the negotiation draft: missing clauses as tracked changes, weak ones "
            "commented (Word), or a list of proposals (PDF, text)",
        )
        draft.add_argument("file", type=Path)
        draft.add_argument("-o", "--output", type=Path, required=True, help="the .docx to write")
        draft.add_argument("--type", dest="kind", choices=names, help="the contract's type")
        draft.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "redline":
            with translation.override(options["language"]):
                self.redline(options["file"], options["output"], options["kind"])
            return
        path: Path = options["file"]
        with translation.override(options["language"]):
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2) from exc
            try:
                report = check_document(
                    data,
                    name=path.name,
                    requirements=requirements(),
                    kind=options["kind"],
                    ocr=ocr_reader(),
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

    def redline(self, path: Path, output: Path, kind: str | None) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2) from exc
        try:
            draft = contract_redline(data=data, name=path.name, kind=kind)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        partial = output.with_name(f".{output.name}.part")
        try:
            partial.write_bytes(draft.data)
            partial.replace(output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{output}: {exc.strerror or exc}", returncode=2) from exc
        inserted = ", ".join(item.label for item in draft.draft.inserted) or "—"
        self.stdout.write(
            f"{output}: {len(draft.draft.inserted)} clause(s) inserted ({inserted}), "
            f"{len(draft.draft.commented)} commented"
        )
        if draft.draft.changed_parts:
            self.stdout.write("changed parts: " + ", ".join(draft.draft.changed_parts))

    def write_text(self, report: CheckReport, language: str) -> None:
        english = language == "en"
        guessed = "" if report.type_given else f" (guessed, {report.type_confidence:.0%})"
        self.stdout.write(f"{report.title or '—'}: {report.type_name}{guessed}")
        if report.ocr_confidence is not None:
            self.stdout.write(
                f"text read by OCR from a scan, confidence {report.ocr_confidence:.0f}%"
                if english
                else f"スキャン画像からOCRで読み取った文章（信頼度 {report.ocr_confidence:.0f}%）"
            )
        statuses = load_statuses()
        ordered = sorted(report.required, key=lambda result: statuses[str(result.status)].order)
        for result in ordered:
            title = result.title_en if english else result.title_ja
            where = f"  {result.article}" if result.article else ""
            status = statuses[str(result.status)]
            self.stdout.write(f"{status.mark} {title} [{status.get(language)}]{where}")
            if result.quote and str(result.status) != "missing":
                self.stdout.write(
                    f"    「{result.quote}」" if not english else f"    “{result.quote}”"
                )
            for reason in result.reasons:
                self.stdout.write(f"    → {reason.get(language)}")
        counts = {key: 0 for key in statuses}
        for result in report.required:
            counts[str(result.status)] += 1
        summary = ", ".join(
            f"{statuses[key].get(language)} {counts[key]}" for key in ("missing", "weak", "present")
        )
        total = len(report.required)
        self.stdout.write(
            f"{summary} of {total} required" if english else f"必須 {total} 条項中 {summary}"
        )
