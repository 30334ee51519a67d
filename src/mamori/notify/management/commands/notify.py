"""``mamori notify``: e-mail each person what needs their attention (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamori.core.actor import Actor, acting_as
from mamori.core.errors import ApplicationError
from mamori.core.progress import progress_bar
from mamori.findings.services import findings_refresh
from mamori.notify.digest import Digest
from mamori.notify.services import digests_send
from mamori.reports.services import snapshot_record


class Command(BaseCommand):
    help = (
        "Send the e-mail digest: each user's findings, due dates and waiting pledges, and "
        "the officer's summary. Users with nothing to be told get no mail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="send nothing; list who would get what (the whole text with -v 2)",
        )
        parser.add_argument("--user", default="", help="only this user (user name)")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        dry_run = options["dry_run"]

        def show(digest: Digest) -> None:
            if not dry_run:
                return
            self.stdout.write(
                f"{digest.user.username} <{digest.user.email}> [{digest.language}]: "
                f"{digest.item_count} item(s)"
            )
            if verbosity >= 2:
                for section in digest.sections:
                    self.stdout.write(f"  ■ {section.title}")
                    for item in section.items:
                        when = f" — {item.when}" if item.when else ""
                        self.stdout.write(f"    - {item.title}{when}")

        with acting_as(Actor(user_id=None, label="cli:notify")):
            refreshed = findings_refresh()
            snapshot = snapshot_record()
            with progress_bar("digest", unit="user", enabled=verbosity > 0) as bar:
                try:
                    result = digests_send(
                        dry_run=dry_run, username=options["user"], progress=bar, on_digest=show
                    )
                except ApplicationError as exc:
                    raise CommandError(str(exc)) from exc
        for username, reason in result.failed:
            self.stderr.write(f"not sent to {username}: {reason}")
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{verb} {len(result.sent)} digest(s) with {result.items} item(s); "
            f"{result.nothing_to_say} user(s) had nothing to be told, "
            f"{result.opted_out} turned the digest off"
            + (f", {len(result.failed)} failed" if result.failed else "")
            + f" ({result.seconds:.1f} s; {refreshed.open} open finding(s), "
            f"progress {snapshot.percent_done}%)"
        )
        if result.failed:
            raise CommandError(f"{len(result.failed)} digest(s) could not be sent", returncode=1)
