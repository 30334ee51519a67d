"""``mamori blackbox``: sanitize, scan and restore documents; import the codename dictionary.

    mamori blackbox sanitize IN -o OUT [--to COUNTERPARTY] [--contract ID] [--purpose TEXT]
    mamori blackbox scan FILE [--format json] [--secrets-only]
    mamori blackbox restore IN -o OUT
    mamori blackbox terms import FILE [--dry-run]
    mamori blackbox terms export -o FILE
    mamori blackbox purge

``scan`` exits with 1 when it finds something (0 when the document is clean), and every
subcommand with 2 when a file cannot be read. The original is only ever read; an output
file is written only when everything else succeeded, and never over the input.
"""

from __future__ import annotations

import functools
import io
import json
import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mamori.accounts.models import User
from mamori.assets.models import InformationAsset
from mamori.blackbox import selectors, services
from mamori.blackbox.importer import TermsFileError, parse_terms_file
from mamori.company.selectors import company_get
from mamori.contracts.models import Contract
from mamori.core.actor import Actor, acting_as
from mamori.core.cells import csv_writer
from mamori.core.commands import SubcommandCommand
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress, progress_bar
from mamori.disclosures.models import Method
from mamori.disclosures.services.ledger import DisclosureNeedsConfirmation
from mamori.engines import codenames as engine
from mamori.partners.models import Counterparty

UNREADABLE = 2


class Command(SubcommandCommand):
    help = "Black-boxing: sanitize, scan and restore documents; import the codename dictionary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", choices=["ja", "en"], default="ja")
        sub = parser.add_subparsers(dest="action", required=True)

        sanitize = sub.add_parser("sanitize", help="replace dictionary terms with codenames")
        sanitize.add_argument("input", help="the document (text, Markdown, CSV, Word, Excel, PDF…)")
        sanitize.add_argument("-o", "--output", required=True, help="where to write the result")
        sanitize.add_argument("--to", help="the recipient counterparty (id or exact name)")
        sanitize.add_argument("--contract", type=int, help="the contract's id")
        sanitize.add_argument("--purpose", default="", help="why the document is given")
        sanitize.add_argument(
            "--method", choices=Method.values, default=Method.EMAIL, help="how it is given"
        )
        sanitize.add_argument(
            "--asset",
            type=int,
            action="append",
            default=None,
            help="an information asset disclosed (id; repeat); default: the assets linked "
            "to the replaced terms",
        )
        sanitize.add_argument("--user", help="who sends it (username; default: the officer)")
        sanitize.add_argument(
            "--confirm-warnings",
            action="store_true",
            help="record the disclosure despite the ledger's warnings",
        )
        sanitize.add_argument("--override-reason", default="", help="the officer's reason (極秘)")
        sanitize.add_argument("--force", action="store_true", help="replace an existing OUT")

        scan = sub.add_parser("scan", help="list what should not leave; exit 1 when found")
        scan.add_argument("file")
        scan.add_argument("--format", choices=["text", "json"], default="text")
        scan.add_argument(
            "--secrets-only",
            action="store_true",
            help="ignore what is only to review (authors, comments, hidden content…)",
        )

        restore = sub.add_parser("restore", help="turn codenames back into the real names")
        restore.add_argument("input")
        restore.add_argument("-o", "--output", required=True)
        restore.add_argument("--force", action="store_true", help="replace an existing OUT")

        terms = sub.add_parser("terms", help="the codename dictionary")
        terms_sub = terms.add_subparsers(dest="terms_action", required=True)
        importer = terms_sub.add_parser("import", help="import terms from CSV or Excel")
        importer.add_argument("file")
        importer.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        exporter = terms_sub.add_parser("export", help="write the dictionary as CSV")
        exporter.add_argument("-o", "--output", required=True)

        sub.add_parser("purge", help="delete kept sanitized files whose time is up")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            action = options["action"]
            if action == "terms":
                action = f"terms_{options['terms_action']}"
            getattr(self, f"_{action}")(options)

    # --- helpers ------------------------------------------------------------------------

    def _read(self, name: str) -> bytes:
        path = Path(name)
        try:
            size = path.stat().st_size
            if size > settings.MAMORI_MAX_UPLOAD_BYTES * 10:
                raise CommandError(
                    _("%(file)s is larger than the limit of %(limit)s.")
                    % {
                        "file": path,
                        "limit": filesizeformat(settings.MAMORI_MAX_UPLOAD_BYTES * 10),
                    },
                    returncode=UNREADABLE,
                )
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(file)s: %(problem)s") % {"file": path, "problem": exc.strerror},
                returncode=UNREADABLE,
            ) from exc

    def _target(self, options: dict[str, Any]) -> Path:
        source, target = Path(options["input"]), Path(options["output"])
        if target.exists() and source.exists() and target.resolve() == source.resolve():
            raise CommandError(_("The output must not be the input: the original is kept."))
        if target.exists() and not options.get("force"):
            raise CommandError(
                _("%(file)s exists; give another name, or --force to replace it.")
                % {"file": target}
            )
        return target

    def _write(self, target: Path, data: bytes) -> None:
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)

    def _bar(
        self, options: dict[str, Any], label: str, total: int | None = None
    ) -> AbstractContextManager[Progress]:
        # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
        return progress_bar(
            label,
            total=total,
            unit=pgettext("progress unit", "terms"),
            stream=self.stderr._out,
            enabled=options["verbosity"] > 0,
        )

    def _fail(self, exc: ApplicationError, name: str) -> CommandError:
        return CommandError(f"{name}: {exc.message}", returncode=UNREADABLE)

    def _user(self, username: str | None) -> User | None:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(_("No active user “%(name)s”.") % {"name": username})
            return user
        company = company_get()
        return company.officer if company is not None else None

    # --- sanitize, scan, restore --------------------------------------------------------

    def _sanitize(self, options: dict[str, Any]) -> None:
        target = self._target(options)
        data = self._read(options["input"])
        counterparty = self._counterparty(options.get("to"))
        contract = None
        if options.get("contract") is not None:
            contract = Contract.objects.filter(pk=options["contract"]).first()
            if contract is None:
                raise CommandError(_("No contract %(id)s.") % {"id": options["contract"]})
            if counterparty is None:
                raise CommandError(_("Give the recipient (--to) of the contract's document."))
        user = self._user(options.get("user"))
        try:
            dictionary = services.compiled_dictionary()
            result = services.run_engine(data, options["input"], dictionary)
        except ApplicationError as exc:
            raise self._fail(exc, options["input"]) from exc
        report = engine.scan(result.data, target.name, dictionary)
        term_ids = [term.key for term, _count in result.counts]
        if options.get("asset"):
            assets = list(InformationAsset.objects.filter(pk__in=options["asset"]))
            missing = set(options["asset"]) - {asset.pk for asset in assets}
            if missing:
                raise CommandError(
                    _("No information asset %(ids)s.") % {"ids": ", ".join(map(str, missing))}
                )
        else:
            assets = list(selectors.linked_assets(term_ids))
        if counterparty is not None and not assets:
            raise CommandError(
                _(
                    "No replaced term is linked to an information asset; say what is "
                    "disclosed with --asset ID, or link the terms to assets."
                )
            )
        actor = Actor(user_id=user.pk if user else None, label=f"cli:{user or 'blackbox'}")
        record = functools.partial(
            services.sanitization_record,
            user=user,
            file_name=options["input"],
            output_name=target.name,
            data=data,
            result=result,
            report=report,
            counterparty=counterparty,
            contract=contract,
            assets=assets,
            purpose=options["purpose"],
            method=options["method"],
            override_reason=options["override_reason"],
        )
        with acting_as(actor):
            try:
                sanitization = record(confirmed=())
            except DisclosureNeedsConfirmation as exc:
                if not options["confirm_warnings"] or (
                    exc.blocked and not options["override_reason"]
                ):
                    self._warnings(exc)
                    raise CommandError(
                        str(exc.message)
                        + " "
                        + _("Nothing was written. Run again with --confirm-warnings%(override)s.")
                        % {"override": " --override-reason …" if exc.blocked else ""}
                    ) from exc
                sanitization = record(confirmed=[warning.key for warning in exc.warnings])
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
        self._write(target, result.data)
        self.stdout.write(
            _("%(output)s written: %(count)d replaced (%(format)s). SHA-256 %(sha)s")
            % {
                "output": target,
                "count": result.total,
                "format": result.format,
                "sha": sanitization.output_sha256,
            }
        )
        for term, count in result.counts:
            self.stdout.write(f"  {term.codename} ← {term.text}: {count}")
        for note in services.result_notes(result):
            self.stderr.write(note)
        if sanitization.disclosure_id:
            self.stdout.write(
                _("Disclosure to %(counterparty)s recorded (ledger entry %(id)d).")
                % {"counterparty": counterparty.name, "id": sanitization.disclosure_id}
            )
        if report.secrets:
            self.stderr.write(
                _("Still in the file, must not leave: %(count)d (run “mamori blackbox scan”).")
                % {"count": len(report.secrets)}
            )

    def _warnings(self, exc: DisclosureNeedsConfirmation) -> None:
        language = translation.get_language() or "ja"
        for warning in exc.warnings:
            self.stderr.write("  - " + warning.message.get(language, warning.message["en"]))

    def _counterparty(self, value: str | None) -> Counterparty | None:
        if not value:
            return None
        found = Counterparty.objects.filter(
            Q(pk=int(value)) if value.isdigit() else Q(name=value)
        ).first()
        if found is None:
            raise CommandError(_("No counterparty “%(name)s”.") % {"name": value})
        return found

    def _scan(self, options: dict[str, Any]) -> None:
        data = self._read(options["file"])
        with acting_as(Actor(user_id=None, label="cli:blackbox-scan")):
            try:
                report = services.document_scan(file_name=options["file"], data=data)
            except ApplicationError as exc:
                raise self._fail(exc, options["file"]) from exc
        language = translation.get_language() or "ja"
        findings = report.secrets if options["secrets_only"] else report.findings
        if options["format"] == "json":
            document = report.as_dict(language)
            if options["secrets_only"]:
                document["findings"] = [
                    f for f in document["findings"] if f["severity"] == engine.SECRET
                ]
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            for finding in findings:
                detail = f" ({finding.detail})" if finding.detail else ""
                codename = getattr(finding.term, "codename", "")
                if codename:
                    detail = f" → {codename}"
                self.stdout.write(
                    f"{finding.severity}\t{finding.title(language)}\t"
                    f"{finding.location.describe(language)}\t{finding.text}{detail}"
                )
            self.stdout.write(
                _("%(secrets)d finding(s) that must not leave, %(reviews)d to review.")
                % {"secrets": len(report.secrets), "reviews": len(report.reviews)}
            )
        if findings:
            raise SystemExit(1)

    def _restore(self, options: dict[str, Any]) -> None:
        target = self._target(options)
        data = self._read(options["input"])
        with acting_as(Actor(user_id=None, label="cli:blackbox-restore")):
            try:
                _sanitization, result = services.sanitization_restore(
                    user=None, file_name=options["input"], data=data, via_cli=True
                )
            except ApplicationError as exc:
                raise self._fail(exc, options["input"]) from exc
        self._write(target, result.data)
        self.stdout.write(
            _("%(output)s written: %(count)d codename(s) restored.")
            % {"output": target, "count": result.total}
        )

    # --- the dictionary --------------------------------------------------------------

    def _terms_import(self, options: dict[str, Any]) -> None:
        name = options["file"]
        try:
            parsed = parse_terms_file(self._read(name), name)
        except TermsFileError as exc:
            raise CommandError(f"{name}: {exc.message}", returncode=UNREADABLE) from exc
        if parsed.errors:
            self.refuse_import(name, parsed.errors)
        if options["dry_run"]:
            self.stdout.write(
                _("%(file)s has no errors: %(count)d rows. Nothing was written (--dry-run).")
                % {"file": name, "count": len(parsed.rows)}
            )
            return
        # The bar is closed before any error is printed, so that the two do not mix.
        try:
            with (
                acting_as(Actor(user_id=None, label="cli:blackbox-terms-import")),
                self._bar(options, _("Dictionary import")) as progress,
            ):
                result = services.terms_import(parsed=parsed, progress=progress)
        except services.TermsImportError as exc:
            self.refuse_import(name, exc.errors)
        self.stdout.write(
            _("Imported %(file)s: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "file": name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )

    def _terms_export(self, options: dict[str, Any]) -> None:
        buffer = io.StringIO()
        writer = csv_writer(buffer, lineterminator="\r\n")
        writer.writerow(["term", "category", "codename", "variants"])
        count = 0
        terms = selectors.term_list()
        with self._bar(options, _("Dictionary export"), total=terms.count()) as progress:
            for term in terms:
                writer.writerow([term.text, term.category, term.codename, ";".join(term.variants)])
                count += 1
                progress.advance()
        self._write(Path(options["output"]), buffer.getvalue().encode("utf-8-sig"))
        with acting_as(Actor(user_id=None, label="cli:blackbox-terms-export")):
            services.terms_exported(format="csv", rows=count)
        self.stdout.write(
            _("%(count)d terms written to %(file)s.") % {"count": count, "file": options["output"]}
        )

    def _purge(self, options: dict[str, Any]) -> None:
        count = services.sanitization_purge_expired()
        self.stdout.write(_("%(count)d kept file(s) deleted.") % {"count": count})
