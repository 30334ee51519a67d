"""PDF: scan only. The text layer, the document information, annotations and attached
files are checked; a PDF is never rewritten (sanitize the source document instead)."""

from __future__ import annotations

import io
import logging
from typing import Any

from mamori.engines.codenames._errors import DocumentError
from mamori.engines.codenames._findings import text_findings
from mamori.engines.codenames._results import Finding, Location, ScanReport

_PROPERTIES = ("/Title", "/Subject", "/Keywords", "/Author", "/Company", "/Manager")
_PEOPLE = ("/Author", "/Company", "/Manager")


def scan_pdf(data: bytes, dictionary: Any, markings: Any, *, limits: Any) -> ScanReport:
    """Return the residual findings of a PDF's text layer and metadata."""
    from pypdf import PdfReader

    # pypdf logs every oddity of real-world PDFs; the scan reports what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                "encrypted",
                "The PDF is password-protected; remove the password and upload it again.",
            )
        pages = reader.pages
        if len(pages) > limits.max_pdf_pages:
            raise DocumentError(
                "too_large",
                f"The PDF has {len(pages):,} pages, more than the limit of "
                f"{limits.max_pdf_pages:,}.",
            )
        findings: list[Finding] = []
        info = reader.metadata or {}
        for key in _PROPERTIES:
            value = str(info.get(key) or "").strip()
            if not value:
                continue
            place = Location("", "property", key.lstrip("/"))
            if key in _PEOPLE:
                findings.append(Finding("property", place, value))
            for found in text_findings(value, dictionary, markings):
                findings.append(Finding(found.kind, place, found.text, found.detail, found.term))
        for number, page in enumerate(pages, start=1):
            place = Location("", "page", str(number))
            text = page.extract_text() or ""
            for found in text_findings(text, dictionary, markings):
                findings.append(Finding(found.kind, place, found.text, found.detail, found.term))
            for annotation in _annotations(page):
                findings.append(Finding("comment", place, annotation[:80]))
                for found in text_findings(annotation, dictionary, markings):
                    findings.append(
                        Finding(found.kind, place, found.text, found.detail, found.term)
                    )
            images = _image_count(page)
            if images:
                findings.append(Finding("image", place, str(images)))
        for name in getattr(reader, "attachments", {}) or {}:
            findings.append(Finding("attachment", Location("", "file", name), name))
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise DocumentError(
            "corrupt", "The PDF is damaged or incomplete and cannot be read."
        ) from exc
    return ScanReport(format="pdf", findings=tuple(findings), scan_only=True)


def _annotations(page: Any) -> list[str]:
    texts = []
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        if annotation.get("/Subtype") in {"/Link", "/Widget", "/Popup"}:
            continue
        contents = str(annotation.get("/Contents") or "").strip()
        if contents:
            texts.append(contents)
    return texts


def _image_count(page: Any) -> int:
    resources = page.get("/Resources")
    if resources is None:
        return 0
    objects = resources.get_object().get("/XObject")
    if objects is None:
        return 0
    objects = objects.get_object()
    return sum(1 for key in objects if objects[key].get_object().get("/Subtype") == "/Image")
