"""The contract checker inside the app: run the engine on an uploaded file, keep the report,
and bring a contract's clause checklist in line with what the file holds.

The engine (``mamori.engines.clauses``) reads the file and grades each clause; this module
turns its errors into messages in the user's language, stores the report as a
``ContractCheck`` and, for a contract in the register, records each clause found (with its
article, ``source=checker``, and whether it is weak) and removes the clauses the file lacks,
so that the findings (``contracts.missing_clause``, ``contracts.weak_clause``) follow.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.catalog.schema import Clause
from mamori.catalog.selectors import get_catalog
from mamori.contracts.models import (
    ClauseSource,
    Contract,
    ContractCheck,
    ContractClause,
    ContractKind,
)
from mamori.core.errors import ApplicationError
from mamori.core.validation import validate_instance
from mamori.engines.clauses import (
    CheckReport,
    ClauseCheckError,
    Requirements,
    build_requirements,
    check_document,
)

ARTICLE_LENGTH = 100
EMPTY_FILE = gettext_lazy("“%(name)s” is empty; there is nothing to check.")
TOO_LARGE = gettext_lazy("“%(name)s” is larger than the limit of %(limit)s; it was not checked.")
UNKNOWN_TYPE = gettext_lazy("Unknown contract type “%(kind)s”.")
DOCUMENT_ERRORS = {
    "no_text": gettext_lazy(
        "“%(name)s” has no text layer — it looks like a scanned image. mamori reads text, not "
        "pictures: upload the Word file, or a PDF saved from Word (not scanned)."
    ),
    "encrypted": gettext_lazy(
        "“%(name)s” is protected by a password. Remove the password (or save an unprotected "
        "copy) and upload it again."
    ),
    "corrupt": gettext_lazy(
        "“%(name)s” is damaged or is not the kind of file its name says; it could not be read. "
        "Open it in Word and save it again, or upload the PDF."
    ),
    "unsupported": gettext_lazy(
        "“%(name)s” is not in a format the checker reads. Upload Word (.docx), PDF with text, "
        "or text / Markdown."
    ),
    "too_large": gettext_lazy(
        "“%(name)s” is too large to check (too many pages, or too much once unpacked)."
    ),
}
UNREADABLE = gettext_lazy("“%(name)s” could not be read.")


@functools.cache
def _requirements(catalog_id: int) -> Requirements:
    catalog = get_catalog()
    return build_requirements(catalog.clauses, catalog.contract_types)


def requirements() -> Requirements:
    """Return the checker's requirements, compiled once from the current catalog."""
    return _requirements(id(get_catalog()))


def document_error_message(error: ClauseCheckError, name: str) -> str:
    """Return the message, in the active language, for a file the checker cannot read."""
    template = DOCUMENT_ERRORS.get(error.code, UNREADABLE)
    return str(template) % {"name": name}


def contract_check_run(*, data: bytes, name: str, kind: str | None = None) -> CheckReport:
    """Check a file's bytes against the requirements of ``kind`` (guessed when ``None``).

    Raise ``ApplicationError`` (field ``file``) with a message naming the file when it
    cannot be read, or (field ``kind``) for an unknown type.
    """
    rules = requirements()
    if kind:
        try:
            rules.type_named(kind)
        except ClauseCheckError as exc:
            raise ApplicationError(UNKNOWN_TYPE % {"kind": kind}, field="kind") from exc
    try:
        return check_document(data, name=name, requirements=rules, kind=kind or None)
    except ClauseCheckError as exc:
        raise ApplicationError(document_error_message(exc, name), field="file") from exc


def _read_upload(upload: UploadedFile) -> tuple[str, bytes]:
    name = (upload.name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    if not upload.size:
        raise ApplicationError(EMPTY_FILE % {"name": name}, field="file")
    if upload.size > settings.MAMORI_MAX_UPLOAD_BYTES:
        limit = filesizeformat(settings.MAMORI_MAX_UPLOAD_BYTES)
        raise ApplicationError(TOO_LARGE % {"name": name, "limit": limit}, field="file")
    upload.seek(0)
    return name, upload.read()


def report_results(report: CheckReport) -> list[dict[str, Any]]:
    """Return the report's clauses as stored on a ``ContractCheck`` (JSON)."""
    return [
        {
            "id": result.id,
            "key": result.key,
            "required": result.required,
            "status": str(result.status),
            "article": result.article,
            "quote": result.quote,
            "reasons": [
                {"code": reason.code, "ja": reason.ja, "en": reason.en} for reason in result.reasons
            ],
        }
        for result in report.clauses
    ]


@transaction.atomic
def contract_check_file(
    *,
    upload: UploadedFile,
    user: User | None,
    contract: Contract | None = None,
    kind: str | None = None,
) -> ContractCheck:
    """Check an uploaded contract file and keep the report.

    For a ``contract`` of the register the file is checked against the contract's type and
    its clause checklist is brought in line (see ``contract_apply_check``); on its own the
    file is checked against ``kind``, or the type the checker guesses. Raise
    ``ApplicationError`` for an empty, oversized or unreadable file; nothing is stored then.
    """
    name, data = _read_upload(upload)
    if contract is not None:
        kind = contract.kind
    report = contract_check_run(data=data, name=name, kind=kind)
    check = ContractCheck(
        contract=contract,
        file_name=name,
        file_size=len(data),
        kind=report.kind if report.kind in ContractKind.values else ContractKind.OTHER,
        kind_guessed=not report.type_given,
        type_confidence=report.type_confidence,
        language=report.language,
        title=report.title[:200],
        article_count=report.article_count,
        results=report_results(report),
        checked_by=user,
    )
    validate_instance(check, exclude=["contract", "checked_by"])
    check.save()
    if contract is not None:
        contract_apply_check(contract=contract, check=check)
    return check


@dataclass(frozen=True)
class AppliedCheck:
    """What a check changed in a contract's clause checklist (catalog clauses)."""

    found: list[Clause]
    weak: list[Clause]
    removed: list[Clause]  # ticked before, not in the file
    overridden: list[Clause]  # of those, ticked by a person


@transaction.atomic
def contract_apply_check(*, contract: Contract, check: ContractCheck) -> AppliedCheck:
    """Record the clauses the checked file holds on the contract (article, weak or not,
    ``source=checker``) and remove those it lacks, ticked by a person or not: the file is
    the contract's text. Clauses whose article and weakness are unchanged are left alone."""
    catalog = get_catalog()
    existing = {row.clause: row for row in ContractClause.objects.filter(contract=contract)}
    found, weak, removed, overridden = [], [], [], []
    for result in check.results:
        try:
            clause = catalog.clause(result["id"])
        except KeyError:
            continue  # a clause dropped from the catalog since the check
        row = existing.get(clause.id)
        if result["status"] == "missing":
            if row is not None:
                removed.append(clause)
                if row.source == ClauseSource.MANUAL:
                    overridden.append(clause)
                row.delete()
            continue
        is_weak = result["status"] == "weak"
        article = (result.get("article") or "")[:ARTICLE_LENGTH]
        found.append(clause)
        if is_weak:
            weak.append(clause)
        if row is None:
            row = ContractClause(contract=contract, clause=clause.id)
        elif (row.article, row.weak, row.source) == (article, is_weak, ClauseSource.CHECKER):
            continue
        row.article, row.weak, row.source = article, is_weak, ClauseSource.CHECKER
        validate_instance(row, exclude=["contract"])
        row.save()
    return AppliedCheck(found=found, weak=weak, removed=removed, overridden=overridden)


# --- reading a stored report ------------------------------------------------------------------

STATUS_LABELS = {
    "present": gettext_lazy("Present"),
    "weak": gettext_lazy("Weak"),
    "missing": gettext_lazy("Missing"),
}
STATUS_BADGES = {
    "present": "status-done",
    "weak": "status-in_progress",
    "missing": "status-not_started overdue",
}


@dataclass(frozen=True)
class CheckLine:
    """One clause of a stored report, with the catalog's texts for it."""

    clause: Clause
    required: bool
    status: str
    article: str | None
    quote: str | None
    reasons: list[dict[str, str]]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def needs_model(self) -> bool:
        """Return whether the report should give the model wording (missing or weak)."""
        return self.status != "present"

    def reason_texts(self, language: str) -> list[str]:
        key = "en" if language.startswith("en") else "ja"
        return [reason[key] for reason in self.reasons]


def check_lines(check: ContractCheck, *, required_only: bool = False) -> list[CheckLine]:
    """Return the report's clauses in catalog order: those the type requires first."""
    catalog = get_catalog()
    lines = []
    for result in check.results:
        try:
            clause = catalog.clause(result["id"])
        except KeyError:
            continue
        lines.append(
            CheckLine(
                clause=clause,
                required=bool(result.get("required")),
                status=result["status"],
                article=result.get("article"),
                quote=result.get("quote"),
                reasons=list(result.get("reasons") or []),
            )
        )
    required = [line for line in lines if line.required]
    if required_only:
        return required
    return required + [line for line in lines if not line.required]


def check_summary(lines: list[CheckLine]) -> dict[str, int]:
    """Return how many required clauses are present, weak and missing."""
    counts = {"present": 0, "weak": 0, "missing": 0}
    for line in lines:
        if line.required:
            counts[line.status] += 1
    return counts
