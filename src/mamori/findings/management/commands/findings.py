"""``mamori findings``: evaluate every rule and list what is wrong.

``mamori findings nightly`` is the nightly run (cron): every rule, for the rules that
depend on today's date, and risk acceptances that expired reopen their findings.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mamori.core.actor import Actor, acting_as
from mamori.core.progress import progress_bar
from mamori.findings.selectors import finding_views, open_findings
from mamori.findings.services import findings_nightly, findings_refresh


class Command(BaseCommand):
    help = "Evaluate the rules and list the open findings (text or JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "mode",
            nargs="?",
            choices=["list", "nightly"],
            default="list",
            help="nightly: the nightly run (quiet; reopens expired risk acceptances)",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["mode"] == "nightly":
            with acting_as(Actor(user_id=None, label="cli:findings nightly")):
                result, expired = findings_nightly()
            self.stdout.write(
                f"{result.open} open finding(s); {result.opened} new, {result.resolved} "
                f"resolved, {expired} risk acceptance(s) expired ({result.duration_ms} ms)"
            )
            return
        with (
            acting_as(Actor(user_id=None, label="cli:findings")),
            translation.override(options["language"]),
        ):
            # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
            with progress_bar(
                _("Findings"),
                unit=pgettext("progress unit", "rules"),
                stream=self.stderr._out,
                enabled=options["verbosity"] > 0,
            ) as progress:
                result = findings_refresh(progress=progress)
            views = finding_views(open_findings())
            if options["format"] == "json":
                self.stdout.write(
                    json.dumps([view.as_dict() for view in views], ensure_ascii=False, indent=2)
                )
                return
            for view in views:
                self.stdout.write(f"[{view.severity.label}] {view.message}")
                self.stdout.write(f"    → {view.fix}")
            self.stdout.write(
                f"{result.open} open finding(s); {result.opened} new, {result.resolved} resolved "
                f"({result.duration_ms} ms)"
            )
