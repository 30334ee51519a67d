"""A base for ``mamori`` commands with subcommands (``mamori people import FILE``).

Django adds ``-v/--verbosity`` to the command's own parser only, so ``mamori people import
FILE -v 0`` would be refused as an unknown argument; people put options at the end. Every
subcommand here accepts it too, and the value reaches ``options["verbosity"]`` as usual.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mamori.core.tabular import RowError

__all__ = ["SubcommandCommand", "import_file_read"]


def import_file_read(path: Path) -> bytes:
    """Return the content of a file to import, within the upload limit the pages keep.

    Raise ``CommandError`` when it cannot be opened or is too large (nothing is imported).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CommandError(
            _("Cannot open %(file)s: %(problem)s") % {"file": path, "problem": exc.strerror}
        ) from exc
    if size > settings.MAMORI_MAX_UPLOAD_BYTES:
        raise CommandError(
            _("%(file)s is larger than the limit of %(limit)s; nothing was imported.")
            % {"file": path, "limit": filesizeformat(settings.MAMORI_MAX_UPLOAD_BYTES)}
        )
    return path.read_bytes()


class SubcommandCommand(BaseCommand):
    def refuse_import(self, name: Any, errors: Sequence[RowError]) -> NoReturn:
        """Write each problem of a file to import, then stop: nothing was imported."""
        for error in errors:
            self.stderr.write(
                _("%(file)s, row %(row)d, column “%(column)s”: %(message)s")
                % {"file": name, "row": error.row, "column": error.column, "message": error.message}
            )
        raise CommandError(
            _("%(count)d error(s); nothing was imported.") % {"count": len(errors)}, returncode=1
        )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _accept_verbosity_in_subcommands(parser)
        return parser


def _accept_verbosity_in_subcommands(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:  # argparse offers no public walk over subparsers
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for subparser in action.choices.values():
            if not any("--verbosity" in known.option_strings for known in subparser._actions):
                subparser.add_argument(
                    "-v",
                    "--verbosity",
                    type=int,
                    choices=[0, 1, 2, 3],
                    # Absent here, the value given before the subcommand (or the default) stays.
                    default=argparse.SUPPRESS,
                    help="0: no progress bar, 1: normal, 2 and 3: more",
                )
            _accept_verbosity_in_subcommands(subparser)
