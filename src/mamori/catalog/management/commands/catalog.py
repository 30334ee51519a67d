"""``mamori catalog check|export``: validate the handbook catalog or print it."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.core.management.base import CommandError, CommandParser

from mamori.catalog.export import catalog_as_dict
from mamori.catalog.loader import CatalogError, load_catalog
from mamori.catalog.selectors import get_catalog
from mamori.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Validate the handbook catalog (check) or print it as JSON or YAML (export)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate the catalog files")
        check.add_argument("--path", help="catalog directory (default: the one in use)")
        export = sub.add_parser("export", help="print the catalog")
        export.add_argument("--format", choices=["json", "yaml"], default="json")
        export.add_argument("--path", help="catalog directory (default: the one in use)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            catalog = load_catalog(options["path"]) if options.get("path") else get_catalog()
        except CatalogError as exc:
            for problem in exc.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(f"the catalog has {len(exc.problems)} problem(s)") from exc
        if options["action"] == "check":
            counts = ", ".join(
                f"{stage.id} {len(catalog.rows_for_stage(stage.id))} rows"
                for stage in catalog.stages
            )
            self.stdout.write(
                f"catalog ok: {counts}; {len(catalog.cases)} cases, "
                f"{len(catalog.contacts)} contacts, {len(catalog.related_systems)} related systems"
            )
            return
        data = catalog_as_dict(catalog)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
