"""``mamori watch``: import access logs, run the analysis, print a person's report.

mamori watch import FILE --format m365|gws|windows|generic [--date-order dmy|mdy]
mamori watch run [--before DAYS] [--after DAYS] [--today YYYY-MM-DD]
mamori watch report PERSON        (employee number, e-mail, account alias or id)
"""

from __future__ import annotations

import datetime
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.core.actor import Actor, acting_as
from mamori.core.commands import SubcommandCommand
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress, progress_bar
from mamori.people.models import Person
from mamori.watch import selectors, services
from mamori.watch.models import AccountAlias

ERRORS_PRINTED = 50


class Command(SubcommandCommand):
    help = "Departure watch: import access logs, analyse them, report on a person."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="import a log file into the log store")
        importer.add_argument("file", help="the log file (CSV, JSON lines; .gz allowed)")
        importer.add_argument(
            "--format",
            required=True,
            choices=["m365", "gws", "windows", "generic", "winusb"],
            help="winusb is the former name of windows",
        )
        importer.add_argument(
            "--date-order",
            choices=["dmy", "mdy"],
            help="order of day and month in dates such as 03/02/2026 (default: detect)",
        )
        importer.add_argument(
            "--quiet", action="store_true", help="no progress on stderr (as --verbosity 0)"
        )
        runner = sub.add_parser("run", help="analyse the logs and store the results")
        runner.add_argument("--before", type=int, help="days watched before the notice")
        runner.add_argument("--after", type=int, help="days watched after the notice")
        runner.add_argument("--today", help="analyse as of this day (YYYY-MM-DD)")
        report = sub.add_parser("report", help="print a watched person's latest result")
        report.add_argument("person", help="employee number, e-mail, account alias or id")
        for command in (importer, runner, report):
            command.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args: Any, **options: Any) -> None:
        with (
            translation.override(options["language"]),
            acting_as(Actor(user_id=None, label=f"cli:watch-{options['action']}")),
        ):
            try:
                getattr(self, f"_{options['action']}")(options)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc

    def _bar(self, options: dict[str, Any]) -> AbstractContextManager[Progress]:
        # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
        return progress_bar(
            _("Departure watch"),
            total=100,
            unit="%",
            stream=self.stderr._out,
            enabled=options["verbosity"] > 0 and not options.get("quiet"),
        )

    # --- import ---------------------------------------------------------------------------

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Cannot open %(file)s.") % {"file": path})
        with self._bar(options) as progress:
            record = services.log_import(
                path=path,
                fmt=options["format"],
                progress=progress,
                date_order=options.get("date_order"),
            )
        if record.status == "already":
            self.stdout.write(
                _("%(file)s was imported before (same content); nothing was added.")
                % {"file": path.name}
            )
            return
        self.stdout.write(
            _(
                "%(file)s: %(records)d records read, %(added)d events added, %(duplicates)d "
                "already stored, %(skipped)d lines skipped (%(seconds).1f s)."
            )
            % {
                "file": path.name,
                "records": record.records,
                "added": record.added,
                "duplicates": record.duplicates,
                "skipped": record.skipped,
                "seconds": record.seconds,
            }
        )
        language = translation.get_language() or "ja"
        for error in record.errors[:ERRORS_PRINTED]:
            text = error["en"] if language.startswith("en") else error["ja"]
            self.stdout.write(
                _("  line %(line)d: %(problem)s") % {"line": error["line"], "problem": text}
            )
        if record.skipped > ERRORS_PRINTED:
            self.stdout.write(
                _("  …and %(count)d more skipped lines.")
                % {"count": record.skipped - ERRORS_PRINTED}
            )

    # --- run ---------------------------------------------------------------------------------

    def _run(self, options: dict[str, Any]) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(_("--today must be a date such as 2026-04-01.")) from exc
        for name in ("before", "after"):
            if options[name] is not None and not 0 <= options[name] <= 365:
                raise CommandError(_("--%(name)s must be 0 to 365 days.") % {"name": name})
        with self._bar(options) as progress:
            run = services.analysis_run(
                today=today,
                before_days=options["before"],
                after_days=options["after"],
                progress=progress,
            )
        self.stdout.write(
            _(
                "Analysed %(events)d events (%(matched)d matched to people) in %(seconds).1f s: "
                "%(watched)d people watched, %(flagged)d at or above %(threshold)d, "
                "%(unmatched)d unmatched accounts."
            )
            % {
                "events": run.events,
                "matched": run.matched_events,
                "seconds": run.seconds,
                "watched": run.watched,
                "flagged": run.flagged,
                "threshold": run.threshold,
                "unmatched": run.unmatched,
            }
        )
        language = translation.get_language() or "ja"
        for row in selectors.watched_people(run)[:20]:
            marker = "!" if row.score >= run.threshold else " "
            self.stdout.write(
                f"{marker} {row.score:3d}  {row.person.name}  "
                f"({row.anchor.isoformat()})  {selectors.behaviours(row, language)}"
            )

    # --- report ------------------------------------------------------------------------------

    def _report(self, options: dict[str, Any]) -> None:
        person = _find_person(options["person"])
        run = selectors.latest_run()
        risk = selectors.person_risk(run, person)
        audit_record(
            action=Action.VIEW,
            object_type="watch.person",
            object_id=person.pk,
            object_repr=person.name,
        )
        if risk is None:
            self.stdout.write(
                _("%(name)s was not watched in the last analysis.") % {"name": person.name}
            )
            return
        self.stdout.write(
            _("%(name)s — risk score %(score)d (reported from %(threshold)d)")
            % {"name": person.name, "score": risk.score, "threshold": run.threshold}
        )
        self.stdout.write(
            _("Notice %(notice)s; window %(start)s – %(end)s")
            % {
                "notice": risk.anchor.isoformat(),
                "start": risk.window_start.isoformat(),
                "end": risk.window_end.isoformat(),
            }
        )
        self.stdout.write("")
        for number, reason in enumerate(selectors.reasons_of(risk), start=1):
            self.stdout.write(f"{number}. {reason.text}")
        self.stdout.write("")
        for row in selectors.indicator_rows(risk):
            peak = f"{row.peak} ({row.peak_day.isoformat()})" if row.peak_day else "-"
            self.stdout.write(
                f"  {row.label}: {row.total} / {_('unusual days')} {row.unusual_days} / "
                f"{_('highest day')} {peak}"
            )
        events = selectors.top_events(risk)
        if events:
            self.stdout.write("")
            for event in events:
                asset = f" [{event['asset_name']}]" if event["asset_name"] else ""
                self.stdout.write(
                    f"  {event['time']:%Y-%m-%d %H:%M}  {event['action']}  {event['object']}"
                    f"{asset}  {event['device']}"
                )


def _find_person(key: str) -> Person:
    key = key.strip()
    query = Q(employee_number=key) | Q(email__iexact=key)
    if key.isdigit():
        query |= Q(pk=int(key))
    people = list(Person.objects.filter(query)[:2])
    if not people:
        alias = AccountAlias.objects.select_related("person").filter(account=key.lower()).first()
        if alias:
            return alias.person
    if len(people) != 1:
        raise CommandError(
            _("No single person matches %(key)s (employee number, e-mail, alias or id).")
            % {"key": key}
        )
    return people[0]
