"""The contract checker (plain Python, no Django).

Read a contract (Word, PDF text layer, text or Markdown; Japanese or English), split it into
articles, find each clause the requirements name, grade it present / weak / missing with the
article and sentence that carry it, and guess the contract's type when it is not given::

    requirements = build_requirements(catalog.clauses, catalog.contract_types)
    report = check_document(data, name="nda.docx", requirements=requirements)
    report.missing            # required clauses the contract lacks
    report.as_json()          # what `mamori contract check --format json` prints

The requirements are the catalog's ``clauses.yaml`` and ``contract_types.yaml``, compiled
once by ``build_requirements`` from catalog objects that the caller passes in
(``mamori.catalog.loader.load_clause_requirements`` loads and compiles the shipped ones).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from mamori.engines.clauses._errors import (
    ClauseCheckError,
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    RequirementsError,
    UnsupportedFormat,
)
from mamori.engines.clauses._model import (
    Article,
    CheckReport,
    ClauseResult,
    Contract,
    Document,
    Line,
    Reason,
    Sentence,
    Status,
)
from mamori.engines.clauses._readers import read_document
from mamori.engines.clauses._recognise import recognise_clause
from mamori.engines.clauses._requirements import (
    ClauseRule,
    Requirements,
    TypeRule,
    build_requirements,
)
from mamori.engines.clauses._split import split_contract
from mamori.engines.clauses._terms import resolve_terms
from mamori.engines.clauses._types import guess_type

__all__ = [
    "Article",
    "CheckReport",
    "ClauseCheckError",
    "ClauseResult",
    "ClauseRule",
    "Contract",
    "CorruptDocument",
    "Document",
    "DocumentError",
    "DocumentTooLarge",
    "EncryptedDocument",
    "Line",
    "NoTextLayer",
    "Reason",
    "Requirements",
    "RequirementsError",
    "Sentence",
    "Status",
    "TypeRule",
    "UnsupportedFormat",
    "build_requirements",
    "check_contract",
    "check_document",
    "check_text",
    "read_document",
    "split_contract",
]


def check_contract(
    contract: Contract,
    requirements: Requirements,
    kind: str | None = None,
    document_format: str = "text",
) -> CheckReport:
    """Return the report of a split contract against the requirements of ``kind`` (a kind or
    an alias such as ``license``), or of the type guessed from the contract when ``None``.

    Raise ``RequirementsError`` for an unknown kind.
    """
    contract = resolve_terms(contract, requirements.terms)
    if kind:
        type_rule, confidence, given = requirements.type_named(kind), 1.0, True
    else:
        (type_rule, confidence), given = guess_type(contract, requirements), False
    required = set(type_rule.required)
    results = tuple(
        recognise_clause(rule, contract, rule.id in required) for rule in requirements.clauses
    )
    return CheckReport(
        kind=type_rule.kind,
        type_name=type_rule.name,
        type_confidence=confidence,
        type_given=given,
        language=contract.language,
        title=contract.title,
        article_count=sum(1 for article in contract.articles if article.kind == "article"),
        clauses=results,
        format=document_format,
    )


def check_document(
    data: bytes,
    *,
    name: str = "",
    requirements: Requirements,
    kind: str | None = None,
    ocr: Callable[[Any], Any] | None = None,
) -> CheckReport:
    """Read a document (bytes) and return its report; see ``check_contract``.

    Raise a ``DocumentError`` subclass when the document cannot be read.
    """
    document = read_document(data, name, ocr=ocr)
    report = check_contract(split_contract(document), requirements, kind, document.format)
    if document.ocr_confidence is not None:
        report = dataclasses.replace(report, ocr_confidence=document.ocr_confidence)
    return report


def check_text(text: str, *, requirements: Requirements, kind: str | None = None) -> CheckReport:
    """Return the report of a contract given as text (a convenience for tests and tools)."""
    return check_document(
        text.encode("utf-8"), name="contract.txt", requirements=requirements, kind=kind
    )
