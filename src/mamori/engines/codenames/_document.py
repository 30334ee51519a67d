"""Entry points: sanitize, restore and scan a document of any supported format."""

from __future__ import annotations

from pathlib import PurePath

from mamori.engines.codenames._dictionary import Dictionary
from mamori.engines.codenames._errors import DocumentError
from mamori.engines.codenames._findings import text_findings
from mamori.engines.codenames._markings import Markings, load_markings
from mamori.engines.codenames._matcher import Matcher
from mamori.engines.codenames._ooxml import (
    OOXML_FORMATS,
    Limits,
    rewrite_package,
    scan_package,
)
from mamori.engines.codenames._pdf import scan_pdf
from mamori.engines.codenames._pdf_sanitize import sanitize_pdf
from mamori.engines.codenames._results import Finding, SanitizeResult, ScanReport
from mamori.engines.codenames._text import (
    Lines,
    count_terms,
    decode,
    encode,
    rebuild,
    replace_until_stable,
    replacement_list,
)

TEXT_FORMATS = {"text", "markdown", "csv"}
FORMATS = (*sorted(TEXT_FORMATS), *OOXML_FORMATS, "pdf")
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".log": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".tsv": "csv",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xltx": "xlsx",
    ".pptx": "pptx",
    ".pptm": "pptx",
    ".potx": "pptx",
    ".pdf": "pdf",
}
_LEGACY = {".doc": "docx", ".xls": "xlsx", ".ppt": "pptx", ".rtf": "docx"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def decode_text(data: bytes) -> tuple[str, str]:
    """Return the text of a text file and the name of its encoding (detected: UTF-8 with
    or without BOM, UTF-16 with BOM, Shift_JIS, EUC-JP, ISO-2022-JP). Raise
    ``DocumentError`` when it is not text."""
    text, encoding = decode(data)
    return text, encoding.label


def detect_format(filename: str, data: bytes) -> str:
    """Return the document's format (see ``FORMATS``) from its name and first bytes.

    Raise ``DocumentError`` for encrypted Office files, old binary Office formats and
    anything else mamori cannot read.
    """
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data[:1_000_000] or suffix in {
            ".docx",
            ".xlsx",
            ".pptx",
        }:
            raise DocumentError(
                "encrypted",
                "The file is password-protected (encrypted). Remove the password in Office "
                "(File › Info › Protect) and upload it again.",
            )
        raise DocumentError(
            "legacy",
            "This is an old binary Office file (.doc, .xls or .ppt). Save it as .docx, "
            ".xlsx or .pptx and upload it again.",
        )
    if suffix in _LEGACY:
        raise DocumentError(
            "legacy",
            f"{suffix} files cannot be read; save the document as .{_LEGACY[suffix]} "
            "and upload it again.",
        )
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if suffix in _EXTENSIONS and _EXTENSIONS[suffix] in OOXML_FORMATS:
            return _EXTENSIONS[suffix]
        from mamori.engines.codenames._ooxml import sniff_package

        return sniff_package(data)
    if suffix in _EXTENSIONS and _EXTENSIONS[suffix] in OOXML_FORMATS:
        raise DocumentError(
            "corrupt",
            "The file is damaged or incomplete: it is not an Office document package.",
        )
    return _EXTENSIONS.get(suffix, "text")


def sanitize(
    data: bytes, filename: str, dictionary: Dictionary, *, limits: Limits | None = None
) -> SanitizeResult:
    """Return the document with every dictionary term replaced by its codename.

    Text files keep their encoding, byte-order mark and line endings; Office files keep
    every part that has no term byte for byte. Raise ``DocumentError`` for a document
    that cannot be read (nothing is written then) and for PDF, which can only be scanned.
    """
    return _rewrite(data, filename, dictionary, dictionary.sanitizer, restore=False, limits=limits)


def restore(
    data: bytes, filename: str, dictionary: Dictionary, *, limits: Limits | None = None
) -> SanitizeResult:
    """Return the document with codenames turned back into the dictionary's terms (for a
    reply that comes back). Raise ``DocumentError`` as ``sanitize`` does."""
    return _rewrite(data, filename, dictionary, dictionary.restorer, restore=True, limits=limits)


def _rewrite(
    data: bytes,
    filename: str,
    dictionary: Dictionary,
    matcher: Matcher,
    *,
    restore: bool,
    limits: Limits | None,
) -> SanitizeResult:
    kind = detect_format(filename, data)
    term_of = (
        (lambda index: dictionary.terms[index])
        if restore
        else (lambda index: dictionary.term_of_pattern(index))
    )
    if kind == "pdf":
        if restore:
            raise DocumentError(
                "pdf",
                "Codenames cannot be turned back in a PDF; restore the source document "
                "(Word, Excel, PowerPoint or text) instead.",
            )
        return sanitize_pdf(data, dictionary, limits=limits or Limits())
    if kind in OOXML_FORMATS:
        return rewrite_package(
            data, kind, matcher, term_of, dictionary.terms, limits=limits or Limits()
        )
    text, encoding = decode(data)
    final, passes = replace_until_stable(text, matcher)
    if not passes:
        output = data
    elif len(passes) == 1:
        output = rebuild(data, text, final, encoding, passes[0][1], matcher)
    else:
        output = encode(final, encoding)
    counts = count_terms(passes, matcher)
    terms = dictionary.terms
    return SanitizeResult(
        data=output,
        format=kind,
        encoding=encoding.label,
        counts=[(terms[index], count) for index, count in counts.most_common()],
        replacements=lambda limit: replacement_list(
            passes, matcher, term_of, csv=kind == "csv", limit=limit
        ),
        passes=max(1, len(passes)),
    )


def scan(
    data: bytes,
    filename: str,
    dictionary: Dictionary,
    *,
    markings: Markings | None = None,
    limits: Limits | None = None,
) -> ScanReport:
    """Return what is left in the document that should not leave: dictionary terms and
    confidentiality markings (with their places), sensitivity labels, and what to review
    (authors, comments, tracked changes, hidden sheets, rows and columns, embedded objects
    and images). Raise ``DocumentError`` for a document that cannot be read."""
    markings = markings or load_markings()
    kind = detect_format(filename, data)
    if kind == "pdf":
        return scan_pdf(data, dictionary, markings, limits=limits or Limits())
    if kind in OOXML_FORMATS:
        return scan_package(data, kind, dictionary, markings, limits=limits or Limits())
    text, encoding = decode(data)
    lines = Lines(text, csv=kind == "csv")
    findings: list[Finding] = []
    for finding in text_findings(text, dictionary, markings):
        start = int(finding.location.ref)
        findings.append(
            Finding(finding.kind, lines.location(start), finding.text, finding.detail, finding.term)
        )
    return ScanReport(format=kind, findings=tuple(findings), encoding=encoding.label)
