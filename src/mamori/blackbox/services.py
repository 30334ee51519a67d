"""Writes of the black-boxing area: the codename dictionary, sanitizing and restoring
documents, and recording what left as a disclosure.

The original document is never stored: it is read from the upload (memory or Django's
temporary file, deleted when the request ends), sanitized, and only the sanitized file
is kept — for download, until ``expires_at`` — with its SHA-256. The kept file is
deleted on expiry (``sanitization_purge_expired``); the history row stays.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.assets.models import InformationAsset
from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.blackbox import selectors
from mamori.blackbox.importer import ParsedTerms, RowError, TermRow, problem_message
from mamori.blackbox.models import Sanitization, SanitizationKind, Term, TermCategory
from mamori.contracts.models import Contract
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.progress import Progress
from mamori.core.uploads import save_with_file
from mamori.disclosures.services.ledger import disclosure_record
from mamori.engines import codenames as engine
from mamori.partners.models import Counterparty
from mamori.people.selectors import person_for_user

TERM_TAKEN = gettext_lazy("“%(value)s” is already in the dictionary as “%(other)s”.")
CODENAME_TAKEN = gettext_lazy("The codename “%(value)s” is already used for “%(other)s”.")
CODENAME_IS_TERM = gettext_lazy(
    "The codename “%(value)s” contains the term “%(other)s”; it would be replaced again."
)
TERM_IN_CODENAME = gettext_lazy(
    "“%(value)s” appears in the codename of “%(other)s”; that codename would be replaced."
)
NOT_RESTORE = gettext_lazy("Only the officer can turn codenames back into the real names.")
ALREADY_CONFIRMED = gettext_lazy("This sanitization has already been confirmed.")
EXPIRED = gettext_lazy(
    "The sanitized file is no longer kept (it expired); upload the document again."
)
EMPTY_FILE = gettext_lazy("The file is empty.")
PDF_NO_RESTORE = gettext_lazy(
    "Codenames cannot be turned back in a PDF; restore the source document (Word, Excel, "
    "PowerPoint or text) instead."
)
# What mamori did to a sanitized PDF besides replacing the terms (engine.Note codes).
PDF_NOTES = {
    "rasterised": gettext_lazy(
        "Pages %(pages)s were turned into pictures: their text could not be rewritten "
        "safely. Their text can no longer be selected or searched."
    ),
    "pictures": gettext_lazy(
        "Pages %(pages)s: names read by OCR in pictures were painted out and their codenames "
        "drawn over them; these pages are now pictures. Names OCR could not read are listed "
        "below if the check finds them."
    ),
    "info": gettext_lazy("Document information: %(count)d values rewritten."),
    "bookmark": gettext_lazy("Bookmarks: %(count)d titles rewritten."),
    "annotation": gettext_lazy(
        "Annotations and links: %(count)d texts rewritten; the viewer redraws them."
    ),
    "form": gettext_lazy("Form fields: %(count)d values rewritten; the viewer redraws them."),
    "other": gettext_lazy("Other text in the document's structure: %(count)d strings rewritten."),
    "xmp": gettext_lazy("XMP metadata removed (%(count)d held a term)."),
    "attachments": gettext_lazy(
        "Attached files removed (%(count)d): mamori cannot check what is inside them."
    ),
}

DOCUMENT_ERRORS = {
    "corrupt": gettext_lazy("The file is damaged or incomplete and cannot be read."),
    "encrypted": gettext_lazy(
        "The file is password-protected (encrypted). Remove the password and upload it again."
    ),
    "legacy": gettext_lazy(
        "This is an old binary Office file (.doc, .xls, .ppt). Save it as .docx, .xlsx or "
        ".pptx and upload it again."
    ),
    "bomb": gettext_lazy(
        "The file would unpack to far more data than a document holds; it was refused (it "
        "may be a zip bomb)."
    ),
    "too_many_entries": gettext_lazy(
        "The file holds far more parts than a document has; it was refused (it may be a zip bomb)."
    ),
    "xml_entities": gettext_lazy(
        "The file contains XML entity declarations, which Office never writes; it was "
        "refused (it could be an entity-expansion attack)."
    ),
    "binary": gettext_lazy(
        "The file is neither text nor a Word, Excel, PowerPoint or PDF document."
    ),
    "unsupported": gettext_lazy(
        "The file is neither text nor a Word, Excel, PowerPoint or PDF document."
    ),
    "encoding": gettext_lazy(
        "The file's character encoding cannot be recognised; save it as UTF-8, Shift_JIS or EUC-JP."
    ),
    "unencodable": gettext_lazy(
        "A codename cannot be written in the file's character encoding; use codenames made "
        "of characters that encoding has, or save the file as UTF-8."
    ),
    "pdf": PDF_NO_RESTORE,
    "font": gettext_lazy(
        "The Japanese font for codenames is missing: reinstall matplotlib-fontja."
    ),
    "too_large": gettext_lazy("The file is too large to read."),
}


def document_error_message(exc: engine.CodenameError) -> str:
    """Return the user's-language message for an engine error, naming the part at fault."""
    if isinstance(exc, engine.DocumentError):
        message = str(DOCUMENT_ERRORS.get(exc.code, str(exc)))
        if exc.part:
            message += " " + _("(part: %(part)s)") % {"part": exc.part}
        return message
    return _(
        "The codenames keep forming dictionary terms with the text around them; change the "
        "codenames that start or end like a term."
    )


def result_notes(result: engine.SanitizeResult) -> list[str]:
    """Return what the user should know about a sanitized file, in their language."""
    texts = []
    for note in result.notes:
        template = PDF_NOTES.get(getattr(note, "code", ""))
        if template is None:
            texts.append(str(note))
            continue
        texts.append(
            str(template) % {"count": note.count, "pages": ", ".join(map(str, note.pages))}
        )
    return texts


def dictionary_error_message(exc: engine.DictionaryError) -> str:
    """Return the problems of a stored dictionary, in the user's language."""
    texts = []
    for problem in exc.problems[:5]:
        if problem.code in {"codename_taken", "codename_is_term", "codename_contains_term"}:
            texts.append(str(CODENAME_IS_TERM % {"value": problem.value, "other": problem.other}))
        elif problem.code == "duplicate":
            texts.append(str(TERM_TAKEN % {"value": problem.value, "other": problem.other}))
        else:
            texts.append(problem_message(problem.code, problem.value))
    return _("The codename dictionary has problems: %(problems)s") % {"problems": " ".join(texts)}


def compiled_dictionary() -> engine.Dictionary:
    """Return the dictionary compiled for the engine; ``ApplicationError`` when broken."""
    try:
        return selectors.engine_dictionary()
    except engine.DictionaryError as exc:
        raise ApplicationError(dictionary_error_message(exc)) from exc


# --- the dictionary ------------------------------------------------------------------------


def _spellings(text: str, variants: Iterable[str]) -> list[tuple[str, str]]:
    """Return (spelling key, as written) for the term and its variants."""
    return [(engine.spelling_key(value), value.strip()) for value in (text, *variants)]


class _Cursor:
    def __init__(self, names: Iterator[str]):
        self._names = names
        self._current = next(names)

    def peek(self) -> str:
        return self._current

    def advance(self) -> None:
        self._current = next(self._names)


@dataclass
class _Existing:
    """The dictionary's spellings and codenames, folded, to check a term against."""

    spellings: dict[str, str]  # folded spelling -> the term it belongs to
    codenames: dict[str, str]  # folded codename -> its term
    all_codenames: set[str]
    # Every part (two characters or more) of every folded codename -> the terms whose
    # codename has it: a new spelling must not be one.
    codename_parts: dict[str, list[str]] = field(default_factory=dict)
    _cursors: dict[str, _Cursor] = field(default_factory=dict)

    def next_codename(self, category: str) -> str:
        """Return the category's first generated codename not taken (素材A, 素材B…).

        The names before it are taken for good (the dictionary only grows while one
        import runs), so the search goes on from there the next time."""
        cursor = self._cursors.get(category)
        if cursor is None:
            cursor = self._cursors[category] = _Cursor(iter(engine.codename_sequence(category)))
        while True:
            name = cursor.peek()
            if engine.spelling_key(name) not in self.codenames:
                return name
            cursor.advance()

    def add(self, text: str, variants: Iterable[str], codename: str) -> None:
        for folded, _written in _spellings(text, variants):
            self.spellings.setdefault(folded, text)
        key = engine.spelling_key(codename)
        self.codenames[key] = text
        self.all_codenames.add(codename)
        for part in _parts(key):
            self.codename_parts.setdefault(part, []).append(text)

    def remove(self, text: str, variants: Iterable[str], codename: str) -> None:
        for folded, _written in _spellings(text, variants):
            if self.spellings.get(folded) == text:
                del self.spellings[folded]
        key = engine.spelling_key(codename)
        self.codenames.pop(key, None)
        self.all_codenames.discard(codename)
        for part in _parts(key):
            owners = self.codename_parts.get(part, [])
            if text in owners:
                owners.remove(text)


def _parts(folded: str) -> set[str]:
    """Return the parts of a folded text of two characters or more."""
    return {
        folded[start:end]
        for start in range(len(folded))
        for end in range(start + 2, len(folded) + 1)
    }


def _existing(exclude: int | None = None) -> _Existing:
    existing = _Existing({}, {}, set())
    rows = Term.objects.exclude(pk=exclude).values_list("text", "variants", "codename")
    for text, variants, codename in rows:
        existing.add(text, variants or (), codename)
    return existing


def _check_term(*, text: str, variants: Sequence[str], codename: str, existing: _Existing) -> None:
    """Raise ``ApplicationError`` (with the field) when the term cannot be saved."""
    for name, values in (("text", [text]), ("variants", variants)):
        for value in values:
            if code := engine.text_problem(value):
                raise ApplicationError(problem_message(code, value), field=name)
    if codename and (code := engine.text_problem(codename)):
        raise ApplicationError(problem_message(code, codename), field="codename")
    own = _spellings(text, variants)
    folded_own = [folded for folded, _ in own]
    for index, (folded, written) in enumerate(own):
        other = existing.spellings.get(folded)
        if other is not None or folded in folded_own[:index]:
            raise ApplicationError(
                TERM_TAKEN % {"value": written, "other": other or text},
                field="text" if index == 0 else "variants",
            )
        owners = existing.codename_parts.get(folded)
        if owners:
            raise ApplicationError(
                TERM_IN_CODENAME % {"value": written, "other": owners[0]},
                field="text" if index == 0 else "variants",
            )
    if not codename:
        return
    folded_codename = engine.spelling_key(codename)
    if folded_codename in existing.codenames:
        raise ApplicationError(
            CODENAME_TAKEN % {"value": codename, "other": existing.codenames[folded_codename]},
            field="codename",
        )
    own_spellings = dict.fromkeys(folded_own, text)
    for part in sorted(_parts(folded_codename), key=len, reverse=True):
        owner = existing.spellings.get(part) or own_spellings.get(part)
        if owner is not None:
            raise ApplicationError(
                CODENAME_IS_TERM % {"value": codename, "other": owner}, field="codename"
            )


@transaction.atomic
def term_save(
    *,
    text: str,
    category: str,
    codename: str = "",
    variants: Sequence[str] = (),
    assets: Iterable[InformationAsset] | None = None,
    note: str = "",
    term: Term | None = None,
) -> Term:
    """Add a term (``term`` is None) or change one. A blank codename is generated from
    the category (素材A, 供給元B…; an existing term keeps its own).

    Raise ``ApplicationError`` naming the field: a text that cannot be a term, a spelling
    already in the dictionary (ignoring width, case and hyphens), a codename taken or
    containing a term.
    """
    existing = _existing(exclude=term.pk if term else None)
    return _term_write(
        existing,
        text=text,
        category=category,
        codename=codename,
        variants=variants,
        assets=assets,
        note=note,
        term=term,
    )


def _term_write(
    existing: _Existing,
    *,
    text: str,
    category: str,
    codename: str,
    variants: Sequence[str],
    assets: Iterable[InformationAsset] | None,
    note: str,
    term: Term | None,
) -> Term:
    text = text.strip()
    variants = [v.strip() for v in variants if v.strip()]
    codename = codename.strip()
    if category not in TermCategory.values:
        raise ApplicationError(_("Choose a category."), field="category")
    if not codename and term is not None and term.category == category:
        codename = term.codename
    _check_term(text=text, variants=variants, codename=codename, existing=existing)
    if not codename:
        codename = existing.next_codename(category)
        _check_term(text=text, variants=variants, codename=codename, existing=existing)
    term = term or Term()
    term.text, term.category, term.codename = text, category, codename
    term.variants, term.note = variants, note.strip()
    term.normalized = engine.normalize(text)
    term.codename_normalized = engine.normalize(codename)
    term.save()
    if assets is not None:
        term.assets.set(list(assets))
    return term


@transaction.atomic
def term_delete(*, term: Term) -> None:
    """Remove a term from the dictionary; the history keeps its codename and counts."""
    term.delete()


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


class TermsImportError(ApplicationError):
    """Rows that cannot be written; nothing was."""

    def __init__(self, errors: list[RowError]):
        super().__init__(_("%(count)d error(s); nothing was imported.") % {"count": len(errors)})
        self.errors = errors


@transaction.atomic
def terms_import(*, parsed: ParsedTerms, progress: Progress | None = None) -> ImportResult:
    """Write every row of a checked dictionary file, or none: a row whose term is in the
    dictionary updates it, other rows add terms. Raise ``TermsImportError`` with every
    row that collides with the dictionary or another row. ``progress`` advances by one
    for each row."""
    progress = progress or Progress()
    progress.step(_("Writing terms"), total=len(parsed.rows))
    stored = {term.normalized: term for term in Term.objects.all()}
    existing = _Existing({}, {}, set())
    for term in stored.values():
        existing.add(term.text, term.variants or (), term.codename)
    errors: list[RowError] = []
    created = updated = unchanged = 0
    for row in parsed.rows:
        progress.advance()
        current = stored.get(engine.normalize(row.text))
        if current is not None and _same(current, row):
            unchanged += 1
            continue
        if current is not None:
            existing.remove(current.text, current.variants or (), current.codename)
        try:
            saved = _term_write(
                existing,
                text=row.text,
                category=row.category,
                codename=row.codename,
                variants=row.variants,
                assets=None,
                note=current.note if current else "",
                term=current,
            )
        except ApplicationError as exc:
            column = {"text": "term"}.get(exc.field or "", exc.field or "")
            errors.append(RowError(row.row, column, exc.message))
            if current is not None:
                existing.add(current.text, current.variants or (), current.codename)
            continue
        existing.add(saved.text, saved.variants, saved.codename)
        stored[saved.normalized] = saved
        if current is None:
            created += 1
        else:
            updated += 1
    if errors:
        transaction.set_rollback(True)
        raise TermsImportError(errors)
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _same(term: Term, row: TermRow) -> bool:
    return (
        term.text == row.text
        and term.category == row.category
        and (not row.codename or term.codename == row.codename)
        and list(term.variants or []) == list(row.variants)
    )


# --- sanitizing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A sanitization waiting for confirmation, with what the preview shows."""

    sanitization: Sanitization
    result: engine.SanitizeResult
    report: engine.ScanReport
    # The recipient's own name, left as written (the terms' texts).
    kept: tuple[str, ...] = ()


def keep_hours() -> int:
    """Return how long a sanitized file is kept for download (the setting
    ``MAMORI_BLACKBOX_KEEP_HOURS``, from the environment variable of that name)."""
    return int(settings.MAMORI_BLACKBOX_KEEP_HOURS)


def run_engine(
    data: bytes, file_name: str, dictionary: engine.Dictionary, *, restore: bool = False
) -> engine.SanitizeResult:
    """Sanitize (or restore) ``data``; raise ``ApplicationError`` (field ``file``)."""
    if not data:
        raise ApplicationError(str(EMPTY_FILE), field="file")
    try:
        if restore:
            return engine.restore(data, file_name, dictionary)
        return engine.sanitize(data, file_name, dictionary)
    except engine.CodenameError as exc:
        raise ApplicationError(document_error_message(exc), field="file") from exc


def sanitized_name(file_name: str, dictionary: engine.Dictionary) -> str:
    """Return the file name with its terms replaced too, and ``MAMORI_BLACKBOX_SUFFIX``
    before the extension, so that it is not taken for the original
    (ナノ社向け.docx -> 供給元A向け_送付用.docx)."""
    name = PurePath(file_name or "document").name[:200]
    replaced, _matches = dictionary.sanitizer.replace(name)
    path = PurePath(replaced)
    suffix = str(settings.MAMORI_BLACKBOX_SUFFIX)
    if not suffix or path.stem.endswith(suffix):
        return replaced
    return f"{path.stem}{suffix}{path.suffix}"


def _counts(result: engine.SanitizeResult) -> tuple[list[dict], list[int]]:
    counts = [
        {"term": term.key, "codename": term.codename, "count": count}
        for term, count in result.counts
    ]
    return counts, [term.key for term, _ in result.counts if term.key is not None]


def _history_row(
    *,
    kind: str,
    file_name: str,
    output_name: str,
    data: bytes,
    result: engine.SanitizeResult,
    **fields: Any,
) -> tuple[Sanitization, list[int]]:
    """Return the unsaved history row of ``data`` turned into ``result`` (names, sizes,
    hashes, what each term was replaced by) and the ids of the terms it replaced."""
    counts, term_ids = _counts(result)
    row = Sanitization(
        kind=kind,
        file_name=file_name[:255],
        output_name=output_name[:255],
        format=result.format,
        encoding=result.encoding,
        size=len(data),
        output_size=len(result.data),
        input_sha256=hashlib.sha256(data).hexdigest(),
        output_sha256=hashlib.sha256(result.data).hexdigest(),
        replaced=result.total,
        counts=counts,
        **fields,
    )
    return row, term_ids


def _residual(report: engine.ScanReport) -> dict:
    kinds: dict[str, int] = {}
    for finding in report.findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    return {"secret": len(report.secrets), "review": len(report.reviews), "kinds": kinds}


@transaction.atomic
def sanitization_prepare(
    *,
    user: User,
    file_name: str,
    data: bytes,
    counterparty: Counterparty | None = None,
    contract: Contract | None = None,
) -> Prepared:
    """Sanitize an uploaded document and keep the sanitized file (never the original)
    until confirmation and download; return it with the residual check of the result.

    Files whose time is up are deleted first (``sanitization_purge_expired``), so that a
    new upload never adds to files that should be gone. Raise ``ApplicationError`` (field
    ``file``) for a document that cannot be read.
    """
    sanitization_purge_expired()
    dictionary = compiled_dictionary()
    # A document addressed to a company keeps that company's own name.
    kept = dictionary.companies_named(counterparty.name) if counterparty is not None else ()
    dictionary = dictionary.without(kept)
    result = run_engine(data, file_name, dictionary)
    output_name = sanitized_name(file_name, dictionary)
    report = engine.scan(result.data, output_name, dictionary)
    sanitization, term_ids = _history_row(
        kind=SanitizationKind.SANITIZE,
        file_name=PurePath(file_name or "document").name,
        output_name=output_name,
        data=data,
        result=result,
        residual=_residual(report),
        created_by=user,
        counterparty=counterparty,
        contract=contract,
        expires_at=timezone.now() + datetime.timedelta(hours=keep_hours()),
    )
    suffix = PurePath(output_name).suffix.lower()[:10]
    save_with_file(
        sanitization, sanitization.output, f"{uuid.uuid4().hex}{suffix}", ContentFile(result.data)
    )
    sanitization.terms.set(Term.objects.filter(pk__in=term_ids))
    return Prepared(
        sanitization=sanitization,
        result=result,
        report=report,
        kept=tuple(term.text for term in kept),
    )


def disclosure_purpose(purpose: str, file_name: str, sha256: str) -> str:
    """Return the disclosure's purpose with the file sent and its SHA-256 (the ledger has
    no field for the hash), within the ledger's 300 characters."""
    suffix = f" — {file_name[:80]} (SHA-256 {sha256})"
    room = 300 - len(suffix)
    base = purpose.strip() or _("Sanitized document")
    if len(base) > room:
        base = base[: room - 1] + "…"
    return base + suffix


@transaction.atomic
def sanitization_confirm(
    *,
    sanitization: Sanitization,
    user: User,
    assets: Iterable[InformationAsset] = (),
    purpose: str = "",
    method: str = "",
    confirmed: Collection[str] = (),
    override_reason: str = "",
    approved_by: User | None = None,
) -> Sanitization:
    """Confirm a prepared sanitization: the file may then be downloaded. With a
    recipient, record the disclosure of ``assets`` (codenamed) in the ledger first.
    ``approved_by`` is the officer who approved the uploader's request (``approval.py``):
    the override is theirs, the disclosure still the uploader's.

    Raise what ``disclosure_record`` raises (``DisclosureNeedsConfirmation``,
    ``DisclosureBlocked``, ``NotPermitted``, ``ApplicationError``) — nothing is written
    then — and ``ApplicationError`` when already confirmed or expired.
    """
    sanitization = Sanitization.objects.select_for_update().get(pk=sanitization.pk)
    if sanitization.confirmed_at is not None:
        raise ApplicationError(str(ALREADY_CONFIRMED))
    if not sanitization.output or (
        sanitization.expires_at and sanitization.expires_at <= timezone.now()
    ):
        raise ApplicationError(str(EXPIRED))
    if sanitization.counterparty_id:
        sanitization.disclosure = disclosure_record(
            counterparty=sanitization.counterparty,
            contract=sanitization.contract,
            assets=list(assets),
            disclosed_on=timezone.localdate(),
            purpose=disclosure_purpose(
                purpose, sanitization.output_name, sanitization.output_sha256
            ),
            method=method or "email",
            user=approved_by or user,
            disclosed_by=person_for_user(user),
            codenamed=True,
            confirmed=confirmed,
            override_reason=override_reason,
        )
    sanitization.purpose = purpose.strip()[:300]
    sanitization.method = method if sanitization.counterparty_id else ""
    sanitization.confirmed_at = timezone.now()
    sanitization.save()
    return sanitization


@transaction.atomic
def sanitization_record(
    *,
    user: User | None,
    file_name: str,
    output_name: str,
    data: bytes,
    result: engine.SanitizeResult,
    report: engine.ScanReport,
    counterparty: Counterparty | None = None,
    contract: Contract | None = None,
    assets: Iterable[InformationAsset] = (),
    purpose: str = "",
    method: str = "",
    confirmed: Collection[str] = (),
    override_reason: str = "",
    via_cli: bool = True,
) -> Sanitization:
    """Record a sanitization whose file the caller writes itself (the command line):
    the history row, confirmed at once, and with a recipient the disclosure."""
    output_sha = hashlib.sha256(result.data).hexdigest()
    disclosure = None
    if counterparty is not None:
        if user is None:
            raise ApplicationError(_("Say who sends the document (--user)."), field="user")
        disclosure = disclosure_record(
            counterparty=counterparty,
            contract=contract,
            assets=list(assets),
            disclosed_on=timezone.localdate(),
            purpose=disclosure_purpose(purpose, output_name, output_sha),
            method=method or "email",
            user=user,
            disclosed_by=person_for_user(user),
            codenamed=True,
            confirmed=confirmed,
            override_reason=override_reason,
        )
    sanitization, term_ids = _history_row(
        kind=SanitizationKind.SANITIZE,
        file_name=PurePath(file_name).name,
        output_name=PurePath(output_name).name,
        data=data,
        result=result,
        residual=_residual(report),
        created_by=user,
        via_cli=via_cli,
        counterparty=counterparty,
        contract=contract,
        purpose=purpose.strip()[:300],
        method=method if counterparty else "",
        disclosure=disclosure,
        confirmed_at=timezone.now(),
    )
    sanitization.save()
    sanitization.terms.set(Term.objects.filter(pk__in=term_ids))
    return sanitization


@transaction.atomic
def sanitization_restore(
    *, user: User | None, file_name: str, data: bytes, via_cli: bool = False
) -> tuple[Sanitization, engine.SanitizeResult]:
    """Turn the codenames of a document (a reply that came back) into the real names;
    record it in the history. The restored file is returned, never stored.

    Raise ``NotPermitted`` unless ``user`` is the officer (the command line passes
    ``None``: whoever runs it has the server) and ``ApplicationError`` for a document
    that cannot be read.
    """
    if user is not None and not user.has_capability(Capability.BLACKBOX_RESTORE):
        raise NotPermitted(str(NOT_RESTORE))
    dictionary = compiled_dictionary()
    result = run_engine(data, file_name, dictionary, restore=True)
    name = PurePath(file_name or "document").name
    sanitization, term_ids = _history_row(
        kind=SanitizationKind.RESTORE,
        file_name=name,
        output_name=name,
        data=data,
        result=result,
        created_by=user,
        via_cli=via_cli,
        confirmed_at=timezone.now(),
    )
    sanitization.save()
    sanitization.terms.set(Term.objects.filter(pk__in=term_ids))
    return sanitization, result


def document_scan(*, file_name: str, data: bytes) -> engine.ScanReport:
    """Return the residual check of a document and record that it was scanned.

    Raise ``ApplicationError`` (field ``file``) for a document that cannot be read."""
    if not data:
        raise ApplicationError(str(EMPTY_FILE), field="file")
    dictionary = compiled_dictionary()
    try:
        report = engine.scan(data, file_name, dictionary)
    except engine.CodenameError as exc:
        raise ApplicationError(document_error_message(exc), field="file") from exc
    audit_record(
        action=Action.VIEW,
        object_type="blackbox.scan",
        object_repr=PurePath(file_name or "document").name,
        changes={
            "sha256": hashlib.sha256(data).hexdigest(),
            "secret": len(report.secrets),
            "review": len(report.reviews),
        },
    )
    return report


def sanitization_purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the kept files whose time is up; the history rows stay. Return how many."""
    now = now or timezone.now()
    expired = Sanitization.objects.filter(expires_at__lte=now).exclude(output="")
    count = 0
    for sanitization in expired:
        sanitization.output.delete(save=False)
        sanitization.output = ""
        sanitization.save(update_fields=["output", "updated_at"])
        count += 1
    return count


def sanitization_downloaded(sanitization: Sanitization) -> None:
    """Record that the sanitized file was downloaded."""
    audit_record(
        action=Action.EXPORT,
        object_type="blackbox.sanitization",
        object_id=sanitization.pk,
        object_repr=sanitization.output_name,
        changes={"sha256": sanitization.output_sha256},
    )


def terms_exported(*, format: str, rows: int) -> None:
    """Record that the dictionary was exported."""
    audit_record(
        action=Action.EXPORT,
        object_type="blackbox.term",
        object_repr="codename dictionary",
        changes={"format": format, "rows": rows},
    )
