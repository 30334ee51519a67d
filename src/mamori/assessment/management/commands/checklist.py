"""``mamori checklist recheck``: hold the done checklist rows to their register checks.

Run it every night (cron or a systemd timer) so that date-driven checks — a training
overdue since midnight, a grant past its end — turn a done row into "needs review" even
on a day nobody opens mamori. It evaluates the findings first; the re-check itself also
runs after every evaluation.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from mamori.assessment.models import StatusChange
from mamori.assessment.services import checklist_recheck
from mamori.catalog.selectors import get_catalog
from mamori.core.actor import Actor, acting_as
from mamori.findings.services import findings_refresh


class Command(BaseCommand):
    help = "Re-check the done checklist rows against the registers."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("recheck", help="Evaluate the findings, then re-check the rows.")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor(user_id=None, label="cli:checklist")), translation.override("ja"):
            before = StatusChange.objects.order_by("-pk").values_list("pk", flat=True).first()
            # The evaluation re-checks the rows (``findings_evaluated``); the explicit pass
            # makes the command independent of that wiring and changes nothing twice.
            findings_refresh()
            checklist_recheck()
            changes = list(
                StatusChange.objects.filter(pk__gt=before or 0)
                .select_related("answer")
                .order_by("pk")
            )
            catalog = get_catalog()
            for change in changes:
                row = change.answer.row_id
                title = catalog.row(row).title.ja if catalog.has_row(row) else row
                self.stdout.write(
                    f"{title}: {change.get_from_status_display()} → "
                    f"{change.get_to_status_display()} ({change.reason})"
                )
            self.stdout.write(f"{len(changes)} row(s) changed status.")
