"""``mamori export -o FILE``: every register (or some) as an Excel workbook or CSV files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from mamori.core.actor import acting_as
from mamori.core.errors import ApplicationError
from mamori.core.progress import progress_bar
from mamori.exchange import export as exporting
from mamori.exchange.management.commands._common import officer_and_actor, registers_named
from mamori.exchange.spec import get_registry


class Command(BaseCommand):
    help = (
        "Export registers to an Excel workbook (one sheet per register) or to CSV: "
        "-o FILE.xlsx, -o FILE.csv for one register, -o DIRECTORY or FILE.zip for several."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="the file or directory to write")
        parser.add_argument(
            "--register",
            action="append",
            metavar="NAME",
            help="a register to export (repeatable; default: every register)",
        )
        parser.add_argument("--format", choices=["xlsx", "csv"], help="default: from -o")
        parser.add_argument("--language", choices=["ja", "en"], default="ja")
        parser.add_argument(
            "--encoding",
            choices=sorted(exporting.ENCODINGS),
            default="utf-8",
            help="CSV encoding: utf-8 (with a BOM, default) or cp932 (Shift_JIS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._export(options)

    def _export(self, options: dict[str, Any]) -> None:
        output = Path(options["output"])
        registers = registers_named(options["register"])
        fmt = options["format"] or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
        if fmt == "xlsx" and output.suffix.lower() not in (".xlsx", ""):
            raise CommandError(_("An Excel export is written to a .xlsx file."))
        if fmt == "xlsx" and not output.suffix:
            output = output.with_suffix(".xlsx")
        _officer, actor = officer_and_actor("cli:export")
        chosen = registers or list(get_registry())
        enabled = options["verbosity"] > 0
        try:
            with (
                acting_as(actor),
                progress_bar(_("Export"), unit=_("rows"), enabled=enabled) as bar,
            ):
                # The command line shows everything the officer may see.
                common = {"user": None, "language": options["language"], "progress": bar}
                if fmt == "xlsx":
                    result = exporting.export_workbook(registers=chosen, **common)
                    self._write(output, result.content)
                elif output.suffix.lower() == ".csv":
                    if len(chosen) != 1:
                        raise CommandError(
                            _(
                                "A .csv file holds one register; give --register once, or write "
                                "to a directory or a .zip file."
                            )
                        )
                    result = exporting.export_csv(
                        register=chosen[0], encoding=options["encoding"], **common
                    )
                    self._write(output, result.content)
                elif output.suffix.lower() == ".zip":
                    result = exporting.export_csv_zip(
                        registers=chosen, encoding=options["encoding"], **common
                    )
                    self._write(output, result.content)
                else:
                    files, result = exporting.export_csv_files(
                        registers=chosen, encoding=options["encoding"], **common
                    )
                    output.mkdir(parents=True, exist_ok=True)
                    for name, content in files.items():
                        self._write(output / name, content)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        registry = get_registry()
        for name, count in result.rows.items():
            self.stdout.write(f"  {registry[name].sheet(options['language'])}: {count}")
        self.stdout.write(
            _("Wrote %(file)s: %(registers)d registers, %(rows)d rows.")
            % {"file": output, "registers": len(result.rows), "rows": sum(result.rows.values())}
        )

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(problem)s") % {"file": path, "problem": exc.strerror}
            ) from exc
