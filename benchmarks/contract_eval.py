"""Contract checker evaluation: precision and recall of missing and weak clauses, per clause,
over the project's labelled contracts (tests/data/contracts) and over the real contracts
(tests/data/real_contracts), whose tuning and held-out parts are scored separately.

    .venv/bin/python benchmarks/contract_eval.py [--mistakes] [--batch N]
        [--part own|tune|heldout|all|labellers]

A problem (a clause that is weak or missing) counts as found when the checker gives exactly
the true status; a weak or missing status where the truth differs is a false alarm. The
Word contracts are also printed as PDF and checked again, which must give the same results.
For the real contracts it also prints exact status agreement, "missing" precision and
recall, article agreement (where both find the clause) and the type guess's accuracy.
``--mistakes`` lists the wrong answers of the team's set and of the tuning part only: the
held-out part is never looked into (its numbers are reported, its errors are not).
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
    parser.add_argument(
        "--part",
        choices=("own", "tune", "heldout", "all", "labellers"),
        default="all",
        help="own = tests/data/contracts; tune / heldout = the real contracts' parts; "
        "labellers = how far two labellers agree (no checker run)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        help="only the real contracts of this batch (1: the first 41, 2: the next 12)",
    )
    args = parser.parse_args()
    if args.part == "labellers":
        labellers()
        return 0
    if args.part in ("own", "all"):
        own(args.mistakes)
    for part in ("tune", "heldout"):
        if args.part in (part, "all"):
            real(part, args.mistakes and part == "tune", args.batch)
    return 0


def real(part: str, mistakes: bool, batch: int | None = None) -> None:
    from mamori.catalog.loader import load_clause_requirements
    from tests.data.real_contracts.evaluate import load, score, table

    items, absent = load(part)
    if batch is not None:
        items = [item for item in items if item.batch == batch]
    japanese = sum(item.language == "ja" for item in items)
    note = f"; not available (run benchmarks/fetch_contracts.py): {', '.join(absent)}"
    which = f", batch {batch}" if batch is not None else ""
    print(
        f"\nReal contracts, {part} part{which}: {len(items)} contracts ({japanese} Japanese, "
        f"{len(items) - japanese} English)" + (note if absent else "")
    )
    started = time.perf_counter()
    scores = score(items, load_clause_requirements())
    print(table(scores))
    print(f"{time.perf_counter() - started:.2f} s")
    if mistakes:
        for line in scores.mistakes:
            print(f"  {line}")


def labellers() -> None:
    """Print how far the second labeller (tests/data/real_contracts/second_labels) agrees
    with the labels: the ceiling any checker is measured against."""
    from tests.data.real_contracts.evaluate import agreement, confusion_table, load_labels

    found = agreement(load_labels("labels"), load_labels("second_labels"))
    if not found.contracts:
        print("No second labels yet (tests/data/real_contracts/second_labels).")
        return
    print(
        f"\nTwo labellers, {found.contracts} contracts, {found.clauses} required clauses: "
        f"same status {found.same_status / found.clauses:.2f} "
        f"({found.same_status}/{found.clauses}); same article "
        f"{found.same_article / max(found.both_found, 1):.2f} "
        f"({found.same_article}/{found.both_found}, where both find the clause)"
    )
    print("\n".join(confusion_table(found.confusion, "first \\ second")))


def own(show_mistakes: bool) -> None:

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
    if show_mistakes:
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


if __name__ == "__main__":
    sys.exit(main())
