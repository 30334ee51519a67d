"""``mamori demo``: build the fictional demo company and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mamori.accounts.models import User
from mamori.core.actor import Actor, acting_as
from mamori.core.progress import progress_bar
from mamori.demo.builder import DEMO_PASSWORD, DEMO_USERS, build_demo, demo_exists


class Command(BaseCommand):
    help = "Build the demo company (株式会社ルミナス素材研究所) with a user for each role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the logins) when the database already has users",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists():
            if not options["if_empty"]:
                raise CommandError("the database already has users; the demo needs an empty one")
            if demo_exists():
                self._print_logins()
            else:
                self.stdout.write("the database already has data; demo not loaded")
            return
        # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
        with (
            acting_as(Actor(user_id=None, label="cli:demo")),
            progress_bar(
                _("Demo"),
                unit=pgettext("progress unit", "steps"),
                stream=self.stderr._out,
                enabled=options["verbosity"] > 0,
            ) as progress,
        ):
            build_demo(progress=progress)
        self.stdout.write(self.style.SUCCESS("demo company created"))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<10} {spec.role.label:<10} {spec.display_name}")
        self.stdout.write("")
