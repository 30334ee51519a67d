"""``mamori import FILE``: import registers from Excel or CSV, every row or none.

``mamori import --template NAME -o FILE`` writes an import template instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from mamori.core.actor import acting_as
from mamori.core.commands import import_file_read
from mamori.core.progress import progress_bar
from mamori.core.tabular import FileError
from mamori.exchange.blanks import template_csv, template_workbook
from mamori.exchange.management.commands._common import officer_and_actor, registers_named
from mamori.exchange.planning import ImportPlan, RowError, plan_import
from mamori.exchange.services import ExchangeImportError, exchange_import
from mamori.exchange.writers import CREATED, UNCHANGED, UPDATED


class Command(BaseCommand):
    help = (
        "Import registers from an Excel workbook or a CSV file: every row of every sheet is "
        "checked first and written in one transaction, or nothing is. "
        "--template NAME -o FILE writes an import template (NAME: a register, or all)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the .xlsx or .csv file to import")
        parser.add_argument("--register", metavar="NAME", help="the register of a CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; write nothing"
        )
        parser.add_argument("--template", metavar="NAME", help="write a template instead")
        parser.add_argument("-o", "--output", help="where to write the template")
        parser.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            if options["template"]:
                self._template(options)
                return
            if not options["file"]:
                raise CommandError(_("Name the file to import, or --template NAME -o FILE."))
            self._import(Path(options["file"]), options)

    def _template(self, options: dict[str, Any]) -> None:
        if options["file"] or not options["output"]:
            raise CommandError(_("Write a template with --template NAME -o FILE only."))
        output = Path(options["output"])
        language = options["language"]
        name = options["template"]
        register = None if name == "all" else registers_named([name])[0]
        if register is not None and not register.importable:
            raise CommandError(
                _("%(register)s is exported only; it has no import template.")
                % {"register": register.name}
            )
        if output.suffix.lower() == ".csv":
            if register is None:
                raise CommandError(_("A CSV template holds one register; name it."))
            content = template_csv(register, language)
        elif output.suffix.lower() == ".xlsx":
            content = template_workbook(None if register is None else [register], language)
        else:
            raise CommandError(_("Write the template to a .xlsx or a .csv file."))
        output.write_bytes(content)
        self.stdout.write(_("Wrote the template %(file)s.") % {"file": output})

    def _import(self, path: Path, options: dict[str, Any]) -> None:
        content = import_file_read(path)
        try:
            plan = plan_import(content, path.name, register=options["register"])
        except FileError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        if plan.errors:
            self._fail(path, plan.errors)
        if options["dry_run"]:
            self._report_plan(path, plan)
            return
        officer, actor = officer_and_actor("cli:import")
        enabled = options["verbosity"] > 0
        with (
            acting_as(actor),
            progress_bar(_("Import"), total=plan.row_count, unit=_("rows"), enabled=enabled) as bar,
        ):
            try:
                result = exchange_import(plan=plan, user=officer, progress=bar)
            except ExchangeImportError as exc:
                self._fail(path, exc.errors)
        for sheet in plan.sheets:
            counts = result.counts[sheet.register.name]
            self.stdout.write(
                _("  %(sheet)s: %(created)d added, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "sheet": sheet.register.sheet(options["language"]),
                    "created": counts[CREATED],
                    "updated": counts[UPDATED],
                    "unchanged": counts[UNCHANGED],
                }
            )
        self.stdout.write(
            _("Imported %(file)s: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "file": path,
                "created": result.total(CREATED),
                "updated": result.total(UPDATED),
                "unchanged": result.total(UNCHANGED),
            }
        )

    def _report_plan(self, path: Path, plan: ImportPlan) -> None:
        for sheet in plan.sheets:
            self.stdout.write(
                _("  %(sheet)s: %(create)d to add, %(update)d to update")
                % {
                    "sheet": sheet.register.sheet(translation.get_language() or "ja"),
                    "create": sheet.to_create,
                    "update": sheet.to_update,
                }
            )
        self.stdout.write(
            _("%(file)s has no errors: %(rows)d rows. Nothing was written (--dry-run).")
            % {"file": path, "rows": plan.row_count}
        )

    def _fail(self, path: Path, errors: list[RowError]) -> None:
        for error in errors:
            self.stderr.write(
                _("%(file)s, sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s")
                % {
                    "file": path,
                    "sheet": error.sheet,
                    "row": error.row if error.row is not None else "—",
                    "column": error.column,
                    "message": error.message,
                }
            )
        raise CommandError(
            _("%(count)d error(s); nothing was imported.") % {"count": len(errors)}, returncode=1
        )
