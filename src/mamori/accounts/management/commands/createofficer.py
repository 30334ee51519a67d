"""``mamori createofficer``: create the officer's account from the command line."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamori.accounts import services
from mamori.accounts.roles import Role
from mamori.core.actor import Actor, acting_as
from mamori.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Create an officer account. The password is read from MAMORI_OFFICER_PASSWORD "
        "or asked for interactively."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", default="", help="display name, e.g. 佐藤 美咲")
        parser.add_argument("--email", default="")
        parser.add_argument("--language", default="ja", choices=["ja", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("MAMORI_OFFICER_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("set MAMORI_OFFICER_PASSWORD or run interactively")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the two passwords differ")
        with acting_as(Actor(user_id=None, label="cli:createofficer")):
            try:
                user = services.user_create(
                    username=options["username"],
                    password=password,
                    role=Role.OFFICER,
                    display_name=options["name"],
                    email=options["email"],
                    language=options["language"],
                    must_change_password=False,
                )
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"officer '{user.username}' created"))
