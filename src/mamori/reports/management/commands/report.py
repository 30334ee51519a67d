"""``mamori report pdf -o FILE [--language ja|en] [--outside] [--user NAME]``: the
programme report as a PDF, with the Japanese font embedded."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.company.selectors import company_get
from mamori.core.actor import Actor, acting_as
from mamori.core.commands import SubcommandCommand
from mamori.core.errors import ApplicationError
from mamori.core.progress import progress_bar
from mamori.reports.services import REPORT_LANGUAGES, report_pdf_create


class Command(SubcommandCommand):
    help = "Write the programme report as a PDF (Japanese by default, English selectable)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        pdf = sub.add_parser("pdf", help="write the programme report as a PDF")
        pdf.add_argument("-o", "--output", required=True, help="the PDF file to write")
        pdf.add_argument("--language", choices=REPORT_LANGUAGES, default="ja")
        pdf.add_argument(
            "--outside",
            action="store_true",
            help="the edition for outside readers: no names of people or counterparties",
        )
        pdf.add_argument(
            "--user",
            default="",
            help="make the report as this user sees the programme (default: the officer)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._pdf(options)

    def _reader(self, username: str) -> User | None:
        """Return whose view the report shows: the named user, else the officer, else
        ``None`` (everything) before an officer is appointed."""
        if not username:
            company = company_get()
            return company.officer if company else None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user is called %(name)s.") % {"name": username})
        if not user.has_capability(Capability.PROGRAMME_VIEW):
            raise CommandError(
                _("%(name)s may not read the programme, so cannot be given its report.")
                % {"name": username}
            )
        return user

    def _pdf(self, options: dict[str, Any]) -> None:
        target = Path(options["output"])
        if not target.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": target.parent}
            )
        reader = self._reader(options["user"])
        # The raw stream for the bar: Django's wrapper would end each redraw with a newline.
        bar = progress_bar(
            _("PDF report"),
            unit=_("pages"),
            stream=self.stderr._out,
            enabled=options["verbosity"] > 0,
        )
        with acting_as(Actor(user_id=None, label="cli:report")), bar as progress:
            try:
                report = report_pdf_create(
                    user=reader,
                    language=options["language"],
                    outside=options["outside"],
                    progress=progress,
                )
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
        # Write beside the target and rename, so that a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".pdf.part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(report.data)
            os.replace(temporary, target)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(
                _("Cannot write %(file)s: %(problem)s") % {"file": target, "problem": exc.strerror}
            ) from exc
        edition = _("for outside readers") if report.outside else _("internal")
        self.stdout.write(
            _("Wrote %(file)s: %(pages)s pages, %(size)s (%(edition)s, %(language)s).")
            % {
                "file": target,
                "pages": report.pages,
                "size": filesizeformat(report.size),
                "edition": edition,
                "language": report.language,
            }
        )
