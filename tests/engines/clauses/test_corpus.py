"""The honest evaluation: precision and recall of missing and weak clauses over the
project's labelled contracts (tests/data/contracts), per clause."""

from __future__ import annotations

import pytest

from mamori.engines.clauses import check_document
from tests.data.contracts.corpus import (
    CLAUSE_KEYS,
    evaluate,
    load_corpus,
    overall,
    pdf_from_docx,
    table,
)

CORPUS = load_corpus()
KINDS = {"nda", "poc", "joint_research", "manufacturing", "licence", "supply", "service"}


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 24
    assert {item.kind for item in CORPUS} == KINDS
    assert {item.language for item in CORPUS} == {"ja", "en"}
    assert {item.format for item in CORPUS} >= {"docx", "text", "md"}
    for kind in KINDS:
        languages = {item.language for item in CORPUS if item.kind == kind}
        assert languages == {"ja", "en"}, f"{kind} lacks a language"
    for key in CLAUSE_KEYS:
        problems = sum(1 for item in CORPUS if item.truth[key] != "present")
        assert problems >= 1, f"no contract where {key} is weak or missing"
    assert sum(1 for item in CORPUS for key in CLAUSE_KEYS if item.truth[key] == "weak") >= 15


def test_precision_and_recall_of_missing_and_weak_clauses(requirements):
    scores, mistakes = evaluate(CORPUS, requirements)
    print(table(scores))  # shown with pytest -s
    precision, recall = overall(scores)
    assert recall >= 0.95 and precision >= 0.9, "\n".join(mistakes)
    for score in scores:
        assert score.precision >= 0.85, f"{score.key}: precision {score.precision:.2f}"
        assert score.recall >= 0.85, f"{score.key}: recall {score.recall:.2f}"


@pytest.mark.parametrize(
    "item", [item for item in CORPUS if item.format == "docx"], ids=lambda item: item.name
)
def test_every_word_contract_gives_the_same_results_as_its_pdf(requirements, item):
    word = check_document(item.data, name=item.filename, requirements=requirements)
    pdf = check_document(pdf_from_docx(item.data), name="x.pdf", requirements=requirements)
    assert [(r.key, r.status, r.article) for r in word.clauses] == [
        (r.key, r.status, r.article) for r in pdf.clauses
    ]
