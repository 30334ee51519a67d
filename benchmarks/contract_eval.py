"""Contract checker evaluation: precision and recall of missing and weak clauses, per clause,
over the project's labelled contracts (tests/data/contracts).

    .venv/bin/python benchmarks/contract_eval.py [--mistakes]

A problem (a clause that is weak or missing) counts as found when the checker gives exactly
the true status; a weak or missing status where the truth differs is a false alarm. The
Word contracts are also printed as PDF and checked again, which must give the same results.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mistakes", action="store_true", help="list every wrong status")
    args = parser.parse_args()

    from mamori.catalog.loader import load_clause_requirements
    from mamori.engines.clauses import check_document
    from tests.data.contracts.corpus import evaluate, load_corpus, pdf_from_docx, table

    requirements = load_clause_requirements()
    corpus = load_corpus()
    kinds = sorted({item.kind for item in corpus})
    formats = sorted({item.format for item in corpus})
    print(
        f"{len(corpus)} contracts ({', '.join(formats)}; "
        f"{sum(item.language == 'ja' for item in corpus)} Japanese, "
        f"{sum(item.language == 'en' for item in corpus)} English; {', '.join(kinds)})"
    )
    started = time.perf_counter()
    scores, mistakes = evaluate(corpus, requirements)
    elapsed = time.perf_counter() - started
    print(table(scores))
    print(f"{len(mistakes)} wrong statuses of {len(corpus) * len(scores)}; {elapsed:.2f} s")
    if args.mistakes:
        for line in mistakes:
            print(f"  {line}")

    differing = []
    for item in (item for item in corpus if item.format == "docx"):
        word = check_document(item.data, name=item.filename, requirements=requirements)
        pdf = check_document(pdf_from_docx(item.data), name="x.pdf", requirements=requirements)
        if [(r.status, r.article) for r in word.clauses] != [
            (r.status, r.article) for r in pdf.clauses
        ]:
            differing.append(item.name)
    docx = sum(item.format == "docx" for item in corpus)
    print(f"Word vs PDF: {docx - len(differing)} of {docx} give the same results", end="")
    print(f" (different: {', '.join(differing)})" if differing else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
