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
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy, pgettext

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
from mamori.contracts.statuses import load_statuses, status_label, status_labels, status_order
from mamori.core.errors import ApplicationError
from mamori.core.uploads import save_with_file
from mamori.core.validation import validate_instance, validated_save
from mamori.engines.clauses import (
    CheckReport,
    ClauseCheckError,
    Requirements,
    build_requirements,
    check_contract,
    check_document,
    read_document,
    split_contract,
)
from mamori.engines.clauses.redline import ClauseText, Draft, redline

ARTICLE_LENGTH = 100
EMPTY_FILE = gettext_lazy("“%(name)s” is empty; there is nothing to check.")
TOO_LARGE = gettext_lazy("“%(name)s” is larger than the limit of %(limit)s; it was not checked.")
UNKNOWN_TYPE = gettext_lazy("Unknown contract type “%(kind)s”.")
DOCUMENT_ERRORS = {
    "no_text": gettext_lazy(
        "“%(name)s” has no text layer — it looks like a scanned image, and OCR (tesseract) is "
        "not installed on this server, so its pictures cannot be read. Upload the Word file, "
        "or ask the administrator to install tesseract-ocr and tesseract-ocr-jpn."
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
NO_SOURCE = gettext_lazy(
    "This check did not keep the file, so no negotiation draft can be made from it. Check the "
    "file again."
)


@functools.cache
def _requirements(catalog_id: int) -> Requirements:
    catalog = get_catalog()
    return build_requirements(catalog.clauses, catalog.contract_types)


def requirements() -> Requirements:
    """Return the checker's requirements, compiled once from the current catalog."""
    return _requirements(id(get_catalog()))


def ocr_reader() -> Callable[[Any], Any] | None:
    """Return what reads the text of a scanned page (tesseract), ``None`` when it is not
    installed: a scan then gets the "no text layer" message."""
    from mamori.engines.codenames import ocr

    return ocr.read if ocr.available() else None


def document_error_message(error: ClauseCheckError, name: str) -> str:
    """Return the message, in the active language, for a file the checker cannot read."""
    template = DOCUMENT_ERRORS.get(error.code, UNREADABLE)
    return str(template) % {"name": name}


def _requirements_for(kind: str | None) -> Requirements:
    """Return the clause requirements; raise ``ApplicationError`` (field ``kind``) when
    ``kind`` names no contract type."""
    rules = requirements()
    if kind:
        try:
            rules.type_named(kind)
        except ClauseCheckError as exc:
            raise ApplicationError(UNKNOWN_TYPE % {"kind": kind}, field="kind") from exc
    return rules


def contract_check_run(*, data: bytes, name: str, kind: str | None = None) -> CheckReport:
    """Check a file's bytes against the requirements of ``kind`` (guessed when ``None``).

    Raise ``ApplicationError`` (field ``file``) with a message naming the file when it
    cannot be read, or (field ``kind``) for an unknown type.
    """
    rules = _requirements_for(kind)
    try:
        return check_document(
            data, name=name, requirements=rules, kind=kind or None, ocr=ocr_reader()
        )
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
        ocr_confidence=report.ocr_confidence,
        results=report_results(report),
        checked_by=user,
    )
    validate_instance(check, exclude=["contract", "checked_by", "source"])
    # Kept under a generated name, for the negotiation draft; removed if the row is not saved.
    save_with_file(check, check.source, uuid.uuid4().hex, ContentFile(data))
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
        validated_save(row, exclude=["contract"])
    return AppliedCheck(found=found, weak=weak, removed=removed, overridden=overridden)


# --- reading a stored report ------------------------------------------------------------------


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
        """Return the status's label in the active language (``clause_statuses.yaml``)."""
        return status_label(self.status)

    @property
    def badge(self) -> str:
        return load_statuses()[self.status].badge

    @property
    def needs_model(self) -> bool:
        """Return whether the report should give the model wording (missing or weak)."""
        return self.status != "present"

    def reason_texts(self, language: str) -> list[str]:
        key = "en" if language.startswith("en") else "ja"
        return [reason[key] for reason in self.reasons]


def check_lines(check: ContractCheck, *, required_only: bool = False) -> list[CheckLine]:
    """Return the report's clauses, those the type requires first; within each, what needs
    work first (missing, then weak, then present), in catalog order."""
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
    lines.sort(key=lambda line: status_order(line.status))
    required = [line for line in lines if line.required]
    if required_only:
        return required
    return required + [line for line in lines if not line.required]


def check_needing_work(lines: list[CheckLine]) -> dict[str, list[CheckLine]]:
    """Return the required clauses that are missing and those that are weak, by status."""
    return {
        status: [line for line in lines if line.required and line.status == status]
        for status in ("missing", "weak")
    }


def check_summary(lines: list[CheckLine]) -> dict[str, int]:
    """Return how many required clauses are present, weak and missing."""
    counts = {"present": 0, "weak": 0, "missing": 0}
    for line in lines:
        if line.required:
            counts[line.status] += 1
    return counts


# --- the negotiation draft (redline) -----------------------------------------------------------


def clause_texts() -> dict[str, ClauseText]:
    """Return, by clause key, the catalog's title, model wording, reason and weakness text
    that the negotiation draft writes into the contract."""
    return {clause.key: ClauseText.from_catalog(clause) for clause in get_catalog().clauses}


@dataclass(frozen=True)
class NegotiationDraft:
    """A negotiation draft ready to download: its bytes, file name and what it proposes."""

    data: bytes
    filename: str
    draft: Draft


def draft_filename(name: str) -> str:
    """Return the draft's file name: <file>_mamori修正案.docx (in the active language)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    suffix = pgettext("file name", "mamori proposal")
    return f"{stem or 'contract'}_{suffix}.docx"


def contract_redline(
    *, data: bytes, name: str, kind: str | None = None, now: datetime | None = None
) -> NegotiationDraft:
    """Check a contract file and return its negotiation draft: for Word, the original with
    the missing clauses as tracked insertions and the weak ones commented; for PDF and text,
    a new Word file listing the proposals. Nothing is stored.

    Raise ``ApplicationError`` (field ``file``) when the file cannot be read, (field
    ``kind``) for an unknown type.
    """
    rules = _requirements_for(kind)
    try:
        document = read_document(data, name, ocr=ocr_reader())
        contract = split_contract(document)
        report = check_contract(contract, rules, kind or None, document.format)
        language = report.language if report.language in ("ja", "en") else "ja"
        draft = redline(
            data,
            name=name,
            report=report,
            contract=contract,
            texts=clause_texts(),
            labels=status_labels(language),
            now=now,
        )
    except ClauseCheckError as exc:
        raise ApplicationError(document_error_message(exc, name), field="file") from exc
    return NegotiationDraft(data=draft.data, filename=draft_filename(name), draft=draft)


def contract_check_redline(*, check: ContractCheck) -> NegotiationDraft:
    """Return the negotiation draft of a stored check, made from the file it kept, against
    the check's type.

    Raise ``ApplicationError`` when the check kept no file (checked before files were kept)
    or the file can no longer be read.
    """
    if not check.source:
        raise ApplicationError(str(NO_SOURCE), field="file")
    try:
        with check.source.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ApplicationError(str(NO_SOURCE), field="file") from exc
    kind = check.kind if check.kind != ContractKind.OTHER else None
    return contract_redline(data=data, name=check.file_name, kind=kind)
